"""Exceptions a person can act on.

Every error the package raises for a user's mistake is an `ActionPlanError`; its
`str()` is the one line the CLI prints. Anything else escaping is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ActionPlanError(Exception):
    """A problem the user can fix; `str(error)` is one line saying what and where."""


class FieldError(ActionPlanError):
    """One field of one record is wrong."""

    def __init__(self, field_name: str, message: str, row: int | None = None) -> None:
        self.field = field_name
        self.message = message
        self.row = row
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.field}" if self.row is not None else self.field
        return f"{where}: {self.message}"


@dataclass
class ValidationError(ActionPlanError):
    """Several field problems found together, so a person can fix them in one go."""

    problems: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        shown = "; ".join(str(problem) for problem in self.problems[:20])
        more = len(self.problems) - 20
        return shown + (f"; and {more} more problems" if more > 0 else "")

    def by_field(self) -> dict[str, str]:
        """First message for each field, for showing next to form fields."""
        messages: dict[str, str] = {}
        for problem in self.problems:
            messages.setdefault(problem.field, problem.message)
        return messages


class NotFoundError(ActionPlanError):
    """A record named by id does not exist."""


class StaleVersionError(ActionPlanError):
    """A save was based on an older version of the action than the one stored."""

    def __init__(
        self, action_id: str, expected: int, current: int, changed_by: str, changed_at: str
    ) -> None:
        self.action_id = action_id
        self.expected = expected
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(
            f"action {action_id} was changed by {changed_by} at {changed_at} "
            f"(version {current}; you started from version {expected}): "
            "reload it and apply your change again"
        )


class StaleCommentaryError(ActionPlanError):
    """A commentary save was based on an older version than the one stored."""

    def __init__(
        self,
        quarter: str,
        heading: str,
        expected: int,
        current: int,
        changed_by: str,
        changed_at: str,
    ) -> None:
        self.quarter = quarter
        self.heading = heading
        self.expected = expected
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(
            f'the "{heading}" commentary for {quarter} was changed by {changed_by} at '
            f"{changed_at} (version {current}; you started from version {expected}): "
            "reload it and write your change again"
        )


class NotPermittedError(ActionPlanError):
    """The person acting may not make this write (SPEC section 7); nothing was stored.

    Attributes:
        who: the person's name (or the login, when they are not registered).
        role: their role, or `not registered`.
        what: what they tried, as words that follow "may not" (`add actions`).
        hint: who may, or what to do instead.
    """

    def __init__(self, who: str, role: str, what: str, hint: str = "") -> None:
        self.who = who
        self.role = role
        self.what = what
        self.hint = hint
        super().__init__(f"{who} ({role}) may not {what}" + (f": {hint}" if hint else ""))


class SchemaVersionError(ActionPlanError):
    """The database was made by a different version of actionplan."""


class ReportError(ActionPlanError):
    """A report could not be produced; the previous report is left as it was."""


class EvidenceIntegrityError(ActionPlanError):
    """A stored evidence file no longer matches the SHA-256 recorded when it was added.

    The file is not served: what the plan holds is not what was added.
    """
