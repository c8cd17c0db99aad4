"""The team's people and roles (SPEC section 7): reading, registering, changing, and who is acting.

`acting_in(conn)` is what every write asks first: who is signed in
(`identity.acting_login`) and, once people are registered, their registration,
so `roles.Acting` can allow or refuse the write inside the same transaction.

Registering a person and every change to them (a role, the owner names they
answer for, leaving, a new password) is an event in `people_history`, which is
never updated or deleted; `people` is each person as they stand, rewritten
from the change in the same transaction, like `actions` from `updates`. Two
rules keep a team from locking itself out: the first person registered must
be a manager, and no change may leave the plan without an active manager.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from ..errors import FieldError, NotFoundError, ValidationError
from ..identity import acting_login
from ..passwords import check_strength, hash_password, verify_password
from ..records import as_plain, clean_record
from ..roles import Acting, Person, split_owns
from . import schema
from .engine import Database, utc_now

#: Fields of a person that a change may set (login is who they are; it never changes).
CHANGEABLE: tuple[str, ...] = ("name", "role", "owns", "team", "email", "active")
#: Fields kept in every history row: the person as they stood after the event.
SNAPSHOT: tuple[str, ...] = ("name", "role", "owns", "team", "email", "active")


def person_from_row(row: Mapping[str, Any]) -> Person:
    """A `roles.Person` from a `people` row."""
    return Person(
        login=row["login"],
        name=row["name"],
        role=row["role"],
        owns=split_owns(row["owns"]),
        team=row["team"],
        email=row["email"],
        active=bool(row["active"]),
    )


def acting_in(conn: Connection, login: str | None = None) -> Acting:
    """Who is acting (`identity.acting_login()` unless `login` is given), read in `conn`.

    With no people registered the result allows everything (`checked` False).
    """
    who = (login if login is not None else acting_login()).strip()
    people = schema.people
    if not _has_people_table(conn):
        return Acting(who)  # a plan from before schema 4, being filled or migrated
    if conn.execute(select(func.count()).select_from(people)).scalar_one() == 0:
        return Acting(who)
    found = conn.execute(select(people).where(people.c.login == who.lower())).first()
    return Acting(who, person_from_row(found._mapping) if found else None, checked=True)


#: Engines known to have the `people` table (once there, it stays).
_WITH_PEOPLE: weakref.WeakSet[Engine] = weakref.WeakSet()


def _has_people_table(conn: Connection) -> bool:
    if conn.engine in _WITH_PEOPLE:
        return True
    if conn.dialect.has_table(conn, "people"):
        _WITH_PEOPLE.add(conn.engine)
        return True
    return False


def acting(store: Database, login: str | None = None) -> Acting:
    """Who is acting in this plan (for screens that offer only what a role allows)."""
    with store.read() as conn:
        return acting_in(conn, login)


def has_people(store: Database) -> bool:
    """True once a team has registered anyone: from then on every write is checked."""
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(schema.people)).scalar_one() > 0


def list_people(store: Database) -> list[Person]:
    """Everyone registered, active or not, by login."""
    with store.read() as conn:
        rows = conn.execute(select(schema.people).order_by(schema.people.c.login)).all()
    return [person_from_row(row._mapping) for row in rows]


def get_person(store: Database, login: str) -> Person:
    """One registered person.

    Raises:
        NotFoundError: nobody has that login.
    """
    with store.read() as conn:
        found = _row(conn, login)
    return person_from_row(found)


def _row(conn: Connection, login: str) -> dict[str, Any]:
    found = conn.execute(
        select(schema.people).where(schema.people.c.login == str(login).strip().lower())
    ).first()
    if found is None:
        raise NotFoundError(f"login: nobody is registered as {str(login).strip()!r}")
    return dict(found._mapping)


def add_person(store: Database, record: Mapping[str, object], by: str | None = None) -> Person:
    """Register a person (SPEC section 7): login, name, role, and optionally owns, team, email.

    Raises:
        NotPermittedError: people are registered and the acting person is not a manager.
        ValidationError: a field is wrong, the login is taken, or the first
            person registered is not a manager.
    """
    values = clean_record("person", record)
    with store.write() as conn:
        actor = acting_in(conn)
        actor.check_people()
        who = actor.recorded_by(by) or actor.login
        add_people_in(conn, [values], who, first_needs_manager=not actor.checked)
    return Person(**{**values, "owns": split_owns(values["owns"])})


def add_people_in(
    conn: Connection,
    records: list[dict[str, Any]],
    by: str,
    first_needs_manager: bool,
    rows: list[int | None] | None = None,
) -> None:
    """Insert cleaned person records and their `register` events in an open transaction.

    Raises:
        ValidationError: a login is taken (here or in the plan), or the plan
            would have people and no manager.
    """
    rows = rows or [None] * len(records)
    problems: list[FieldError] = []
    taken = set(conn.execute(select(schema.people.c.login)).scalars())
    for values, row in zip(records, rows, strict=True):
        if values["login"] in taken:
            problems.append(
                FieldError(
                    "login",
                    f"{values['login']!r} is already registered; change a person with "
                    "actionplan people set",
                    row,
                )
            )
        taken.add(values["login"])
    if first_needs_manager and records and not any(r["role"] == "manager" for r in records):
        problems.append(
            FieldError(
                "role",
                "the first people registered must include a manager, who can then register "
                "the rest (from now on every write is checked)",
                rows[0],
            )
        )
    if problems:
        raise ValidationError(problems)
    now = utc_now()
    for values in records:
        current = {**values, "active": True}
        conn.execute(
            insert(schema.people).values(
                **current, password_hash=None, version=1, changed_at=now, changed_by=by
            )
        )
        changes = {name: {"old": None, "new": current[name]} for name in SNAPSHOT if current[name]}
        _event(conn, current, 1, "register", by, now, changes)


def change_person(
    store: Database, login: str, changes: Mapping[str, object], by: str | None = None
) -> Person:
    """Change a person's name, role, owner names, team, email or whether they are active.

    Args:
        store: the plan.
        login: who to change.
        changes: new values by field (`CHANGEABLE`); None leaves a field alone,
            an empty string clears an optional one.
        by: who is changing it (the acting person's name is recorded).

    Raises:
        NotPermittedError: the acting person is not a manager.
        NotFoundError: nobody has that login.
        ValidationError: a value is wrong, nothing would change, or no active
            manager would be left.
    """
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        raise ValidationError([FieldError(name, "cannot be changed") for name in unknown])
    with store.write() as conn:
        actor = acting_in(conn)
        actor.check_people()
        who = actor.recorded_by(by) or actor.login
        stored = _row(conn, login)
        after = dict(stored)
        given = {name: value for name, value in changes.items() if value is not None}
        if "active" in given:
            after["active"] = bool(given.pop("active"))
        if given:
            merged = {name: stored[name] for name in ("login", "name", "role", "owns", "team")}
            merged["email"] = stored["email"]
            merged.update(given)
            after.update(clean_record("person", merged))
        difference = {
            name: {"old": stored[name], "new": after[name]}
            for name in SNAPSHOT
            if stored[name] != after[name]
        }
        if not difference:
            raise ValidationError(
                [FieldError("login", f"nothing to change for {stored['login']!r}")]
            )
        _keep_a_manager(conn, stored["login"], after)
        _save(conn, after, stored["version"] + 1, "change", who, difference)
    return person_from_row(after)


def set_password(store: Database, login: str, password: str, by: str | None = None) -> None:
    """Set a person's sign-in password for the team service (only its hash is kept).

    A manager may set anyone's; a person may set their own.

    Raises:
        NotPermittedError: someone else's password, and not a manager.
        NotFoundError: nobody has that login.
        FieldError: the password is too short.
    """
    check_strength(password)
    hashed = hash_password(password)
    with store.write() as conn:
        actor = acting_in(conn)
        stored = _row(conn, login)
        if actor.person is None or actor.person.login != stored["login"]:
            actor.require("manager", f"set the password of {stored['name']}")
        who = actor.recorded_by(by) or actor.login
        after = {**stored, "password_hash": hashed}
        changes = {"password": {"old": "(hidden)", "new": "(changed)"}}
        _save(conn, after, stored["version"] + 1, "password", who, changes)


def follow_groups(
    store: Database, login: str, name: str, role: str, by: str = "JupyterHub groups"
) -> Person:
    """Give a person the role their groups in the council's sign-on give (`hub.groups`).

    Called by the team service only, for a council that manages roles as
    groups in its directory: the hub, not a signed-in person, is the authority
    then, so no manager check applies. A person signing in for the first time
    is registered; a changed role is an event in their history like any other.
    """
    values = clean_record("person", {"login": login, "name": name or login, "role": role})
    with store.write() as conn:
        found = conn.execute(
            select(schema.people).where(schema.people.c.login == values["login"])
        ).first()
        if found is None:
            add_people_in(conn, [values], by, first_needs_manager=False)
            return person_from_row({**values, "active": True})
        stored = dict(found._mapping)
        if stored["role"] != values["role"]:
            after = {**stored, "role": values["role"]}
            changes = {"role": {"old": stored["role"], "new": values["role"]}}
            _save(conn, after, stored["version"] + 1, "change", by, changes)
            stored = after
    return person_from_row(stored)


def check_password(store: Database, login: str, password: str) -> Person | None:
    """The person, when `login` is registered, active and `password` is theirs; else None.

    Takes as long for an unknown login as for a wrong password.
    """
    with store.read() as conn:
        found = conn.execute(
            select(schema.people).where(schema.people.c.login == str(login).strip().lower())
        ).first()
    stored = found._mapping if found is not None else None
    matches = verify_password(password, stored["password_hash"] if stored else None)
    if stored is None or not matches or not stored["active"]:
        return None
    return person_from_row(stored)


def person_history(store: Database, login: str) -> list[dict[str, Any]]:
    """Every registration and change of one person, oldest first (as `people history` shows)."""
    table = schema.people_history
    with store.read() as conn:
        _row(conn, login)
        found = conn.execute(
            select(table)
            .where(table.c.login == str(login).strip().lower())
            .order_by(table.c.version)
        ).all()
    events = []
    for event in found:
        view = {name: as_plain(value) for name, value in event._mapping.items() if name != "seq"}
        view["changes"] = json.loads(event.changes)
        view["active"] = bool(event.active)
        events.append(view)
    return events


def _keep_a_manager(conn: Connection, login: str, after: Mapping[str, Any]) -> None:
    if after["role"] == "manager" and after["active"]:
        return
    people = schema.people
    others = conn.execute(
        select(func.count())
        .select_from(people)
        .where(people.c.login != login, people.c.role == "manager", people.c.active.is_(True))
    ).scalar_one()
    if others == 0:
        raise ValidationError(
            [
                FieldError(
                    "role",
                    f"{after['name']} is the plan's only active manager; make someone else a "
                    "manager first, so people can still be registered",
                )
            ]
        )


def _save(
    conn: Connection,
    after: Mapping[str, Any],
    version: int,
    kind: str,
    by: str,
    changes: dict[str, Any],
) -> None:
    now = utc_now()
    result = conn.execute(
        update(schema.people)
        .where(schema.people.c.login == after["login"], schema.people.c.version == version - 1)
        .values(
            **{name: after[name] for name in SNAPSHOT},
            password_hash=after["password_hash"],
            version=version,
            changed_at=now,
            changed_by=by,
        )
    )
    if result.rowcount != 1:
        raise ValidationError(
            [FieldError("login", f"{after['login']!r} was changed by someone else; try again")]
        )
    _event(conn, after, version, kind, by, now, changes)


def _event(
    conn: Connection,
    person: Mapping[str, Any],
    version: int,
    kind: str,
    by: str,
    now: Any,
    changes: dict[str, Any],
) -> None:
    conn.execute(
        insert(schema.people_history).values(
            login=person["login"],
            version=version,
            kind=kind,
            by=by,
            recorded_at=now,
            changes=json.dumps(changes, default=as_plain),
            **{name: person[name] for name in SNAPSHOT},
        )
    )
