"""Adding the records that carry no history of their own.

Sources, recommendations, complaints, compliments and CQC scores are added
whole (an action, with its events, is `writing`'s). Each add asks who is
signed in first (`people.acting_in`), as every write does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from ..complaints.checks import settle_complaint
from ..complaints.deadlines import DeadlineSettings
from ..cqc import cqc_source_problem
from ..errors import FieldError, ValidationError
from ..records import clean_record
from . import schema
from .people import acting_in
from .reading import Reads


class Adds(Reads):
    """The half of `Store` that adds records without history."""

    def _exists(self, conn: Connection, table: Any, record_id: str) -> bool:
        return conn.execute(select(table.c.id).where(table.c.id == record_id)).first() is not None

    def _refuse_duplicate(
        self, conn: Connection, table: Any, record_id: str, row: int | None
    ) -> None:
        if self._exists(conn, table, record_id):
            raise ValidationError([FieldError("id", f"{record_id!r} already exists", row)])

    def _require(
        self, conn: Connection, table: Any, record_id: str, field: str, what: str, row: int | None
    ) -> None:
        if not self._exists(conn, table, record_id):
            raise ValidationError([FieldError(field, f"there is no {what} {record_id!r}", row)])

    def add_source(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record where recommendations came from (a peer challenge, a CQC assessment...)."""
        values = clean_record("source", record, row)
        with self._using(conn) as tx:
            acting_in(tx).check_add("source")
            self._refuse_duplicate(tx, schema.sources, values["id"], row)
            tx.execute(insert(schema.sources).values(**values))
        return values

    def add_recommendation(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record one recommendation under an existing source."""
        values = clean_record("recommendation", record, row)
        with self._using(conn) as tx:
            acting_in(tx).check_add("recommendation")
            self._refuse_duplicate(tx, schema.recommendations, values["id"], row)
            self._require(tx, schema.sources, values["source_id"], "source_id", "source", row)
            tx.execute(insert(schema.recommendations).values(**values))
        return values

    def add_complaint(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record one stage of a complaint, with the actions it gave rise to.

        A blank `response_due` is worked out from the procedure's deadlines
        (the plan's `deadline_settings`); an extension past the longest the
        procedure allows is refused (`complaints.checks.settle_complaint`).
        """
        values = clean_record("complaint", record, row)
        action_ids = values.pop("action_ids")
        with self._using(conn) as tx:
            acting_in(tx).check_add("complaint")
            problems = settle_complaint(values, self.deadline_settings(tx), row)
            if problems:
                raise ValidationError(problems)
            self._refuse_duplicate(tx, schema.complaints, values["id"], row)
            if values["escalated_from"]:
                self._require(
                    tx,
                    schema.complaints,
                    values["escalated_from"],
                    "escalated_from",
                    "complaint",
                    row,
                )
            for action_id in action_ids:
                self._require(tx, schema.actions, action_id, "action_ids", "action", row)
            tx.execute(insert(schema.complaints).values(**values))
            if action_ids:
                tx.execute(
                    insert(schema.complaint_actions),
                    [
                        {"complaint_id": values["id"], "action_id": a}
                        for a in dict.fromkeys(action_ids)
                    ],
                )
        return {**values, "action_ids": action_ids}

    def add_cqc_score(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record a CQC assessment's score (1 to 4) for one quality statement.

        Raises:
            ValidationError: the source is missing or not a CQC assessment, or
                it already has a score for that statement.
        """
        values = clean_record("cqc_score", record, row)
        with self._using(conn) as tx:
            kind = tx.execute(
                select(schema.sources.c.kind).where(schema.sources.c.id == values["source_id"])
            ).scalar_one_or_none()
            problem = cqc_source_problem(values["source_id"], kind)
            if problem:
                raise ValidationError([FieldError("source_id", problem, row)])
            scores = schema.cqc_scores.c
            taken = tx.execute(
                select(scores.score).where(
                    scores.source_id == values["source_id"],
                    scores.quality_statement == values["quality_statement"],
                )
            ).first()
            if taken is not None:
                raise ValidationError(
                    [
                        FieldError(
                            "quality_statement",
                            f"{values['source_id']} already scores "
                            f"{values['quality_statement']!r} ({taken.score})",
                            row,
                        )
                    ]
                )
            tx.execute(insert(schema.cqc_scores).values(**values))
        return values

    def set_deadline_settings(self, changes: Mapping[str, object]) -> DeadlineSettings:
        """Change some of the plan's complaint time limits (`deadline.*` keys), all or none.

        `default` puts a setting back to SPEC section 10's value; a blank
        `extension_days` means no limit (as agreed). Complaints already
        recorded keep the response due date they were given or worked out.

        Raises:
            FieldError: a key is not a setting or a value is not allowed.
        """
        defaults = DeadlineSettings().as_settings()
        for key in changes:
            if key not in defaults:
                raise FieldError(
                    str(key), f"is not a deadline setting; the settings are {', '.join(defaults)}"
                )
        with self.write() as tx:
            stored = dict(tx.execute(select(schema.meta.c.key, schema.meta.c.value)).all())
            merged = {key: value for key, value in stored.items() if key in defaults}
            for key, value in changes.items():
                text = "" if value is None else str(value).strip()
                if text.lower() == "default":
                    merged.pop(key, None)
                else:
                    merged[key] = text
            settings = DeadlineSettings.from_settings(merged)
            tx.execute(delete(schema.meta).where(schema.meta.c.key.in_(list(defaults))))
            wanted = {
                key: value
                for key, value in settings.as_settings().items()
                if value != defaults[key]
            }
            if wanted:
                tx.execute(insert(schema.meta), [{"key": k, "value": v} for k, v in wanted.items()])
        return settings

    def add_compliment(
        self, record: Mapping[str, object], conn: Connection | None = None, row: int | None = None
    ) -> dict[str, Any]:
        """Record a compliment (counted in the quarter it was received)."""
        values = clean_record("compliment", record, row)
        with self._using(conn) as tx:
            acting_in(tx).check_add("compliment")
            self._refuse_duplicate(tx, schema.compliments, values["id"], row)
            tx.execute(insert(schema.compliments).values(**values))
        return values
