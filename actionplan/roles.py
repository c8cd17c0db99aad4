"""Who may do what (SPEC section 7): the rules, over a registered person, with no database.

A plan with no people registered needs no set-up: whoever runs it may do
everything, and `by` is whatever they give, as before. Once a team registers
its people, every write is checked here against the person signed in
(`identity.acting_login`), whatever front end made it: the store calls these
checks on its one write path, so the CLI, the workbook, an import and a
notebook get the same refusal, as one line saying who may not do what.

| role    | may                                                                    |
|---------|------------------------------------------------------------------------|
| viewer  | read everything; write nothing                                         |
| officer | update the actions they own: progress, status up to complete, note,    |
|         | evidence; a new due date is a request a lead approves (SPEC section 8) |
| lead    | all an officer may, on every action, and any field; add sources,       |
|         | recommendations, actions, complaints, compliments; correct their dates;|
|         | verify or reject completions; approve or refuse due-date requests      |
| manager | all a lead may; register people and change roles; write commentary     |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .errors import NotPermittedError
from .vocab import ROLES

#: How an unregistered login is described in a refusal.
UNREGISTERED = "not registered"
#: How a person who has left (marked inactive) is described in a refusal.
INACTIVE = "no longer active"

#: Fields of an update an officer may set on an action they own.
OFFICER_FIELDS: frozenset[str] = frozenset(
    {"action_id", "by", "as_of", "progress", "status", "note", "evidence", "completed_on", "reason"}
)

#: What an officer may not change, in the words of a refusal.
_FIELD_WORDS: dict[str, str] = {
    "due": "change the due date",
    "title": "change the title",
    "owner": "hand over",
    "team": "change the team",
    "description": "change the description",
    "start_on": "change the start date",
    "success_measure": "change the success measure",
}

#: The plural words of the records a lead adds.
RECORD_WORDS: dict[str, str] = {
    "source": "sources",
    "recommendation": "recommendations",
    "action": "actions",
    "complaint": "complaints",
    "compliment": "compliments",
    "person": "people",
}


def rank(role: str) -> int:
    """A role's place from viewer (0) to manager (3)."""
    return ROLES.index(role)


def owner_key(owner: object) -> str:
    """An owner name as compared: case and surrounding or doubled spaces ignored."""
    return " ".join(str(owner or "").split()).casefold()


@dataclass(frozen=True)
class Person:
    """One registered person (a row of the `people` table).

    Attributes:
        login: the name they sign in with (the team service's user name).
        name: how they appear in history and reports.
        role: `viewer`, `officer`, `lead` or `manager`.
        owns: the owner names they answer for (an action whose owner is one of
            them is theirs).
        team, email: optional; email is where update requests go.
        active: False once they have left: they may not sign in or write.
    """

    login: str
    name: str
    role: str
    owns: tuple[str, ...] = ()
    team: str | None = None
    email: str | None = None
    active: bool = True

    def answers_for(self, owner: object) -> bool:
        """True when an action with this owner is theirs."""
        key = owner_key(owner)
        return bool(key) and key in {owner_key(name) for name in self.owns}


@dataclass(frozen=True)
class Acting:
    """Who is making a write, and what they may do.

    Attributes:
        login: the signed-in login (`identity.acting_login`).
        person: their registration, or None.
        checked: False when the plan has no people registered: then every
            write is allowed and `by` is recorded as given.
    """

    login: str
    person: Person | None = None
    checked: bool = False

    @property
    def name(self) -> str:
        """The name a refusal uses and history records: the person's, else the login."""
        return self.person.name if self.person is not None else self.login or "(nobody)"

    @property
    def role(self) -> str:
        """Their role, or why they have none (`not registered`, `no longer active`)."""
        if self.person is None:
            return UNREGISTERED
        return self.person.role if self.person.active else INACTIVE

    def _rank(self) -> int:
        if self.person is None or not self.person.active:
            return -1
        return rank(self.person.role)

    def refuse(self, what: str, hint: str = "") -> NotPermittedError:
        """The refusal of `what` for this person (raise it)."""
        if self.person is None:
            hint = (
                f"this plan has people registered and {self.login or 'this user'!r} is not one "
                "of them; ask a manager to add you (actionplan people add)"
            )
        elif not self.person.active:
            hint = "ask a manager if you are back (actionplan people set --active)"
        return NotPermittedError(self.name, self.role, what, hint)

    def require(self, role: str, what: str) -> None:
        """Refuse `what` unless the person is at least `role`."""
        if not self.checked or self._rank() >= rank(role):
            return
        needed = " or a ".join(ROLES[rank(role) :])
        raise self.refuse(what, f"ask a {needed}")

    def recorded_by(self, by: object, row: int | None = None) -> str:
        """The `by` a write is recorded under.

        Without people, `by` as given. With people, the person's own name; a
        `by` naming anyone else (not their name or login) is refused.
        """
        given = str(by or "").strip()
        if not self.checked:
            return given
        if self.person is None:
            raise self.refuse("record anything")
        if given and " ".join(given.split()).casefold() not in {
            self.person.name.casefold(),
            self.person.login.casefold(),
        }:
            where = f" (row {row})" if row is not None else ""
            raise self.refuse(
                f"record as {given!r}{where}",
                "with people registered, every change is recorded under the name of the "
                "person signed in",
            )
        return self.person.name

    def may_only_ask_for_due(self) -> bool:
        """True for an active officer: their new due date is a request (SPEC section 8)."""
        return self.checked and self.role == "officer"

    def check_evidence(self, action_id: str, owner: object, what: str) -> None:
        """Adding or withdrawing evidence: officers on the actions they own; leads on any."""
        if not self.checked or self._rank() >= rank("lead"):
            return
        self.require("officer", f"{what} action {action_id}")
        assert self.person is not None
        if not self.person.answers_for(owner):
            theirs = "; ".join(self.person.owns) or "none"
            raise self.refuse(
                f"{what} action {action_id}, owned by {owner}",
                f"officers keep evidence for the actions they own (theirs: {theirs}); ask a lead",
            )

    def check_add(self, kind: str) -> None:
        """Adding a source, recommendation, action, complaint or compliment: leads and managers."""
        self.require("lead", f"add {RECORD_WORDS.get(kind, kind + 's')}")

    def check_people(self) -> None:
        """Registering people and changing roles: managers."""
        self.require("manager", "register people or change their roles")

    def check_commentary(self) -> None:
        """The quarter's commentary: managers."""
        self.require("manager", "write the quarter's commentary")

    def check_correction(self, kind: str) -> None:
        """Correcting a date of a source, complaint or compliment: leads and managers."""
        self.require("lead", f"correct the dates of {RECORD_WORDS.get(kind, kind + 's')}")

    def check_update(
        self, action_id: str, owner: object, values: dict[str, object], row: int | None = None
    ) -> None:
        """An update to one action: officers on their own actions, some fields; leads anything.

        Args:
            action_id: the action.
            owner: its owner when the update is made.
            values: the update's cleaned fields; None means unchanged.
            row: the spreadsheet row it came from, named in a refusal.
        """
        if not self.checked or self._rank() >= rank("lead"):
            return
        where = f" (row {row})" if row is not None else ""
        self.require("officer", f"update action {action_id}{where}")
        assert self.person is not None
        if not self.person.answers_for(owner):
            theirs = "; ".join(self.person.owns) or "none"
            raise self.refuse(
                f"update action {action_id}, owned by {owner}{where}",
                f"officers update the actions they own (theirs: {theirs}); ask a lead",
            )
        changed = sorted(
            name
            for name, value in values.items()
            if value is not None and name not in OFFICER_FIELDS
        )
        if changed:
            words = _FIELD_WORDS.get(changed[0], f"change the {changed[0]}")
            hint = (
                "ask a lead or a manager for a new due date"
                if changed[0] == "due"
                else "ask a lead or a manager"
            )
            raise self.refuse(f"{words} of action {action_id}{where}", hint)
        if values.get("status") == "cancelled":
            raise self.refuse(f"cancel action {action_id}{where}", "ask a lead or a manager")


def people_by_login(people: Iterable[Person]) -> dict[str, Person]:
    """People keyed by login, compared without case (logins are case-insensitive)."""
    return {person.login.casefold(): person for person in people}


def split_owns(text: object) -> tuple[str, ...]:
    """`"A; B ;A"` -> `("A", "B")`: the owner names a person answers for, in order, once each."""
    found: dict[str, str] = {}
    for part in str(text or "").split(";"):
        name = " ".join(part.split())
        if name:
            found.setdefault(name.casefold(), name)
    return tuple(found.values())
