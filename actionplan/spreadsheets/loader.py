"""One import's state: the rows checked so far, the problems found, and what to write.

Ids must be new and references must exist, in the database (read once per
import into sets) or earlier in the same file or workbook. Sources,
recommendations, complaints and compliments are checked here; actions and
updates in `spreadsheets.history` (a part of the same `Loader`). Only when
nothing is wrong is anything written, in bulk, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from ..complaints.checks import settle_complaint
from ..cqc import cqc_source_problem
from ..errors import ActionPlanError, FieldError, ValidationError
from ..history import STATE_COLUMNS
from ..records import field_names
from ..roles import Acting
from ..rules import EVENT_FIELDS
from ..store import Store, bulk, schema, utc_now
from ..store.people import SNAPSHOT, add_people_in
from ..store.writing import CURRENT_COLUMNS
from ..timeline import Timeline
from .files import CellError
from .rows import Row

#: The parent each kind's rows name, checked even on rows with other problems.
_PARENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "recommendation": (("source_id", "sources", "source"),),
    "action": (("recommendation_id", "recommendations", "recommendation"),),
    "update": (("action_id", "actions", "action"),),
}

Rows = list[tuple[Row, Callable[[str, str, int | None], None]]]


class LoaderBase:
    """One import: the rows checked so far, the problems found, and what to write.

    `actions.Loader` adds the actions and updates; this base holds the rest.

    Args:
        store: the plan being imported into.
        conn: the write transaction everything happens in.
        by: who is importing (the creator of actions without a History sheet).
        today: nothing may be dated later.
    """

    def __init__(self, store: Store, conn: Connection, by: str | None, today: date) -> None:
        self.store = store
        self.conn = conn
        self.by = str(by).strip() if by is not None else ""
        self.today = today
        self.now = utc_now()
        self.ticks = 0
        self.seq = 10**12
        self.history_mode = False
        self.problems: list[FieldError] = []
        self.counts: dict[str, int] = {}
        self.failed_actions: set[str] = set()
        self._known: dict[str, set[str]] = {}
        self._added: dict[str, set[str]] = {}
        self.records: dict[str, list[tuple]] = {}
        #: Every event to insert (`rules.EVENT_FIELDS` tuples), in the order taken.
        self.events: list[tuple] = []
        #: Every action this import creates or updates, with all its events.
        self.timelines: dict[str, Timeline] = {}
        #: Ids of the actions this import creates, in the order created.
        self.created: list[str] = []
        #: Stored actions this import updates, and the version each had.
        self.base_versions: dict[str, int] = {}
        self.touched: set[str] = set()
        #: Current rows worked out by `settle`: new actions', and updates of stored ones.
        self.new_rows: dict[str, dict[str, Any]] = {}
        self.current_updates: list[tuple] = []
        self.action_sheet: list[tuple[Row, Any]] = []
        #: The fields the Actions sheet has columns for.
        self.action_columns: set[str] = set()
        self.noted: dict[tuple, str] = {}
        #: Who is importing (`store.people.acting_in`); allows everything until set.
        self.acting = Acting(self.by)
        #: People to register, cleaned, with their row numbers.
        self.people: list[tuple[dict[str, Any], int]] = []

    # -- helpers -----------------------------------------------------------

    def reporter(
        self, label: str | None, headings: dict[str, str] | None = None, rowless: bool = False
    ) -> Callable[[str, str, int | None], None]:
        """A function that records a problem in the sheet called `label`.

        `headings` names each field's column as the file heads it; `rowless`
        drops the row (for records made from settings rather than rows).
        """

        def report(column: str, message: str, row: int | None) -> None:
            if headings:
                column = headings.get(column, column)
            self.problems.append(CellError(column, message, None if rowless else row, label))

        return report

    def _adopt(self, error: ValidationError, number: int, report: Any) -> None:
        for found in error.problems:
            column = "" if found.field == "update" else found.field
            report(column, found.message, found.row or number)

    def known(self, table: str) -> set[str]:
        """Ids in the database (read once) plus those added by this import."""
        if table not in self._known:
            column = schema.metadata.tables[table].c.id
            self._known[table] = set(self.conn.execute(select(column)).scalars())
            self._added[table] = set()
        return self._known[table]

    def _new_id(self, table: str, record_id: str, number: int, report: Any) -> bool:
        known = self.known(table)
        if record_id in known:
            where = "in this file" if record_id in self._added[table] else "in the database"
            report("id", f"{record_id!r} already exists {where}", number)
            return False
        known.add(record_id)
        self._added[table].add(record_id)
        return True

    def _refers(
        self, table: str, value: str | None, column: str, what: str, number: int, report: Any
    ) -> bool:
        if value is None or value in self.known(table):
            return True
        report(column, f"there is no {what} {value!r}", number)
        return False

    def check_references(self, unread: list[tuple[str, Row, Any]]) -> None:
        """Name the missing parents of rows that failed for other reasons too."""
        for kind, row, report in unread:
            for column, table, what in _PARENTS.get(kind, ()):
                value = row.values.get(column)
                if value is not None and value not in self.failed_actions:
                    self._refers(table, value, column, what, row.number, report)

    def _clock(self) -> datetime:
        """A recording time for the next event: now, in the order rows are taken."""
        self.ticks += 1
        return self.now + timedelta(microseconds=self.ticks)

    def _count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    # -- records other than actions ----------------------------------------

    def check_plain(self, kind: str, rows: Rows) -> None:
        """Sources, recommendations and compliments: new ids, existing references."""
        table = {"source": "sources", "recommendation": "recommendations"}.get(kind, "compliments")
        names = field_names(kind)
        found = self.records.setdefault(table, [])
        self.counts.setdefault(kind, 0)
        for row, report in rows:
            values = row.values
            ok = kind != "recommendation" or self._refers(
                "sources", values["source_id"], "source_id", "source", row.number, report
            )
            if self._new_id(table, values["id"], row.number, report) and ok:
                found.append(tuple(values[name] for name in names))
                self._count(kind)

    def check_complaint(self, rows: Rows) -> None:
        """Complaints: settled and judged as `Store.add_complaint` would; escalations name
        an earlier record, action ids exist."""
        names = [name for name in field_names("complaint") if name != "action_ids"]
        complaints = self.records.setdefault("complaints", [])
        links = self.records.setdefault("complaint_actions", [])
        self.counts.setdefault("complaint", 0)
        settings = self.store.deadline_settings(self.conn)
        for row, report in rows:
            values = dict(row.values)
            problems = settle_complaint(values, settings, row.number)
            for problem in problems:
                report(problem.field, problem.message, row.number)
            ok = not problems
            ok &= self._refers(
                "complaints",
                values["escalated_from"],
                "escalated_from",
                "complaint",
                row.number,
                report,
            )
            for action_id in values["action_ids"]:
                ok &= self._refers("actions", action_id, "action_ids", "action", row.number, report)
            if self._new_id("complaints", values["id"], row.number, report) and ok:
                complaints.append(tuple(values[name] for name in names))
                links.extend((values["id"], a) for a in dict.fromkeys(values["action_ids"]))
                self._count("complaint")

    def check_people(self, rows: Rows) -> None:
        """People: new logins are registered; a row the plan already holds unchanged is left out.

        A row for a registered login that differs is refused: people are
        changed one at a time with `actionplan people set`, so each change is
        its own event in their history.
        """
        table = schema.people
        stored = {found.login: found._mapping for found in self.conn.execute(select(table)).all()}
        seen: dict[str, int] = {}
        self.counts.setdefault("person", 0)
        for row, report in rows:
            values = row.values
            login = values["login"]
            if login in seen:
                report("login", f"{login!r} is on row {seen[login]} too", row.number)
                continue
            seen[login] = row.number
            have = stored.get(login)
            if have is None:
                self.people.append((dict(values), row.number))
                self._count("person")
                continue
            for name in SNAPSHOT:
                if name != "active" and values[name] != have[name]:
                    report(
                        name,
                        f"is {values[name]!r} but {login} is registered with {have[name]!r}; "
                        "change a person with actionplan people set",
                        row.number,
                    )

    def check_cqc_score(self, rows: Rows) -> None:
        """CQC scores: each names a CQC assessment, once per quality statement."""
        found = self.records.setdefault("cqc_scores", [])
        self.counts.setdefault("cqc_score", 0)
        kinds = dict(self.conn.execute(select(schema.sources.c.id, schema.sources.c.kind)).all())
        kinds.update((record[0], record[1]) for record in self.records.get("sources", []))
        scores = schema.cqc_scores.c
        taken = {
            (source, statement): score
            for source, statement, score in self.conn.execute(
                select(scores.source_id, scores.quality_statement, scores.score)
            )
        }
        for row, report in rows:
            values = row.values
            key = (values["source_id"], values["quality_statement"])
            problem = cqc_source_problem(values["source_id"], kinds.get(values["source_id"]))
            if problem:
                report("source_id", problem, row.number)
            elif key in taken:
                report(
                    "quality_statement",
                    f"{key[0]} already scores {key[1]!r} ({taken[key]})",
                    row.number,
                )
            else:
                taken[key] = values["score"]
                found.append((*key, values["score"]))
                self._count("cqc_score")

    def check_evidence(self, rows: Rows) -> None:
        """Evidence items (SPEC section 8): new ids, on actions that exist; kept without files."""
        found = self.records.setdefault("evidence", [])
        self.counts.setdefault("evidence", 0)
        owners = dict(self.conn.execute(select(schema.actions.c.id, schema.actions.c.owner)).all())
        names = field_names("evidence")
        for row, report in rows:
            values = row.values
            action_id = values["action_id"]
            timeline = self.timelines.get(action_id)
            owner = owners.get(action_id) or (timeline.full.get("owner") if timeline else None)
            if owner is None:
                report("action_id", f"there is no action {action_id!r}", row.number)
                continue
            self.acting.check_evidence(action_id, owner, f"add evidence (row {row.number}) to")
            if self._new_id("evidence", values["id"], row.number, report):
                found.append(tuple(values[name] for name in names))
                self._count("evidence")

    def write(self) -> None:
        """Insert everything checked, in the order foreign keys need."""
        sqlite = self.conn.dialect.name == "sqlite"
        if sqlite:
            # Big imports insert into several indexes at once; a larger page
            # cache for this transaction cuts the time by about a third.
            self.conn.exec_driver_sql("PRAGMA cache_size=-262144")
        try:
            self._write()
        finally:
            if sqlite:
                self.conn.exec_driver_sql("PRAGMA cache_size=-2000")

    def _write(self) -> None:
        conn = self.conn
        if self.people:
            add_people_in(
                conn,
                [values for values, _ in self.people],
                self.acting.recorded_by(self.by) or self.acting.login,
                first_needs_manager=not self.acting.checked,
                rows=[number for _, number in self.people],
            )
        for table, kind in (("sources", "source"), ("recommendations", "recommendation")):
            bulk.insert_rows(
                conn, schema.metadata.tables[table], field_names(kind), self.records.get(table, [])
            )
        actions = [tuple(row[name] for name in STATE_COLUMNS) for row in self.new_rows.values()]
        bulk.insert_rows(conn, schema.actions, STATE_COLUMNS, actions)
        bulk.insert_rows(conn, schema.updates, EVENT_FIELDS, self.events)
        changed = bulk.update_rows(
            conn, schema.actions, CURRENT_COLUMNS, ("id", "version"), self.current_updates
        )
        if changed != len(self.current_updates):
            raise ActionPlanError(
                "some actions were changed by someone else during the import; "
                "nothing was imported, try again"
            )
        complaint_columns = [n for n in field_names("complaint") if n != "action_ids"]
        bulk.insert_rows(
            conn, schema.complaints, complaint_columns, self.records.get("complaints", [])
        )
        bulk.insert_rows(
            conn,
            schema.complaint_actions,
            ("complaint_id", "action_id"),
            self.records.get("complaint_actions", []),
        )
        bulk.insert_rows(
            conn, schema.compliments, field_names("compliment"), self.records.get("compliments", [])
        )
        bulk.insert_rows(
            conn, schema.cqc_scores, field_names("cqc_score"), self.records.get("cqc_scores", [])
        )
        evidence = self.records.get("evidence", [])
        if evidence:
            columns = (*field_names("evidence"), "recorded_at")
            bulk.insert_rows(
                conn, schema.evidence, columns, [(*item, self.now) for item in evidence]
            )
            if conn.dialect.name == "postgresql":  # the next item added gets the next id
                conn.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('evidence', 'id'), "
                    "(SELECT max(id) FROM evidence))"
                )
