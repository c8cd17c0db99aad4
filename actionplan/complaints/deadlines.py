"""Complaint deadlines in working days: the procedures' time limits, and the settings holding them.

SPEC section 10. A working day is a weekday that is not a bank holiday of
England and Wales (the `holidays` package's England calendar, which Wales
shares, counted in `actionplan.workdays`); nothing here keeps a
hand-written list of holidays. Each procedure
and stage has a rule (acknowledge within N working days; respond within N
working days of the acknowledgement, or N calendar months of receipt; extend
by at most N working days, or as agreed). The rules are settings of the plan
with the SPEC's defaults (`DeadlineSettings`, stored under `deadline.*` keys
in the plan's `meta` table); docs/complaints.md explains each.

Everything here is pure: the store passes the plan's settings in.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..errors import FieldError
from ..workdays import add_working_days


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` calendar months later (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Rule:
    """One procedure's (and stage's) time limits.

    Attributes:
        acknowledge_days: working days after receipt to acknowledge the complaint.
        respond_days: working days after the acknowledgement to respond (corporate).
        respond_months: calendar months after receipt to respond (statutory).
        extension_days: the longest extension past the response due date, in
            working days; None when the regulations leave it to what is agreed.
    """

    acknowledge_days: int
    respond_days: int | None = None
    respond_months: int | None = None
    extension_days: int | None = None

    def describe(self) -> str:
        """The rule in a sentence, for `actionplan complaint-deadlines` and the reports."""
        respond = (
            f"{self.respond_days} working days from acknowledgement"
            if self.respond_days is not None
            else f"{self.respond_months} months from receipt, or the period agreed"
        )
        extend = (
            "as agreed"
            if self.extension_days is None
            else f"at most {self.extension_days} working days"
        )
        return (
            f"acknowledge within {self.acknowledge_days} working days; respond within "
            f"{respond}; extension {extend}"
        )


#: The rules' names: the statutory procedure (all stages), and the corporate stages.
RULE_NAMES: tuple[str, ...] = ("statutory", "corporate_stage1", "corporate_stage2")

#: Where each rule comes from, for the reports and `complaint-deadlines`.
RULE_SOURCES: dict[str, str] = {
    "statutory": "Statutory (Local Authority Social Services and NHS Complaints "
    "(England) Regulations 2009)",
    "corporate_stage1": "Corporate stage 1 (LGSCO Complaint Handling Code)",
    "corporate_stage2": "Corporate stage 2 (LGSCO Complaint Handling Code)",
}

#: The prefix of the plan's `meta` keys that hold these settings.
SETTING_PREFIX = "deadline."

#: Largest value a setting may take (a year of working days, two years of months).
_LIMITS = {"respond_months": 24}
_MOST_DAYS = 260


@dataclass(frozen=True)
class DeadlineSettings:
    """The plan's complaint time limits, with SPEC section 10's defaults."""

    statutory: Rule = Rule(acknowledge_days=3, respond_months=6)
    corporate_stage1: Rule = Rule(acknowledge_days=5, respond_days=10, extension_days=10)
    corporate_stage2: Rule = Rule(acknowledge_days=5, respond_days=20, extension_days=10)

    def rule(self, procedure: str | None, stage: str | None) -> Rule | None:
        """The rule a record follows; None for an Ombudsman record (the LGSCO sets its own)."""
        if stage not in ("stage1", "stage2"):
            return None
        if (procedure or "statutory") == "statutory":
            return self.statutory
        return self.corporate_stage1 if stage == "stage1" else self.corporate_stage2

    def as_settings(self) -> dict[str, str]:
        """Every setting as its `meta` key and text (blank: no limit, as agreed)."""
        found: dict[str, str] = {}
        for name in RULE_NAMES:
            rule = getattr(self, name)
            for part in _parts(name):
                value = getattr(rule, part)
                found[f"{SETTING_PREFIX}{name}.{part}"] = "" if value is None else str(value)
        return found

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> DeadlineSettings:
        """The settings stored in a plan: the defaults, changed where a `deadline.*` key says.

        Raises:
            FieldError: a key is not a setting, or its value is not a whole number in range.
        """
        settings = cls()
        for key, raw in values.items():
            if not str(key).startswith(SETTING_PREFIX):
                continue
            name, _, part = str(key).removeprefix(SETTING_PREFIX).partition(".")
            if name not in RULE_NAMES or part not in _parts(name):
                raise FieldError(
                    str(key), f"is not a deadline setting; the settings are {', '.join(SETTINGS)}"
                )
            value = _setting_value(str(key), part, raw)
            settings = replace(
                settings, **{name: replace(getattr(settings, name), **{part: value})}
            )
        return settings


def _parts(name: str) -> tuple[str, ...]:
    """The settings of one rule: the statutory rule counts months, the corporate ones days."""
    respond = "respond_months" if name == "statutory" else "respond_days"
    return ("acknowledge_days", respond, "extension_days")


def _setting_value(key: str, part: str, raw: Any) -> int | None:
    text = "" if raw is None else str(raw).strip()
    if not text:
        if part == "extension_days":
            return None
        raise FieldError(key, "needs a whole number")
    most = _LIMITS.get(part, _MOST_DAYS)
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise FieldError(key, f"{text!r} is not a whole number from 1 to {most}")
    return int(text)


#: Every setting's key, in the order `complaint-deadlines` lists them.
SETTINGS: tuple[str, ...] = tuple(DeadlineSettings().as_settings())


# -- one record's deadlines ---------------------------------------------------


def acknowledge_by(record: Mapping[str, Any], settings: DeadlineSettings) -> date | None:
    """The last day a record may be acknowledged on time (None: no rule applies)."""
    rule = settings.rule(record.get("procedure"), record.get("stage"))
    received = record.get("received_on")
    if rule is None or received is None:
        return None
    return add_working_days(received, rule.acknowledge_days)


def worked_out_response_due(record: Mapping[str, Any], settings: DeadlineSettings) -> date | None:
    """The response due date the record's procedure gives, from its receipt or acknowledgement.

    Statutory: `respond_months` calendar months after receipt. Corporate:
    `respond_days` working days after the acknowledgement, or, when it has not
    been acknowledged, after the last day it should have been (the longest the
    Code allows). None for an Ombudsman record.
    """
    rule = settings.rule(record.get("procedure"), record.get("stage"))
    received = record.get("received_on")
    if rule is None or received is None:
        return None
    if rule.respond_days is None:
        return add_months(received, rule.respond_months or 0)
    start = record.get("acknowledged_on") or add_working_days(received, rule.acknowledge_days)
    return add_working_days(start, rule.respond_days)


def latest_extension(record: Mapping[str, Any], settings: DeadlineSettings) -> date | None:
    """The latest date a response may be extended to (None: as agreed, or no rule applies)."""
    rule = settings.rule(record.get("procedure"), record.get("stage"))
    due = record.get("response_due")
    if rule is None or rule.extension_days is None or due is None:
        return None
    return add_working_days(due, rule.extension_days)


def due_for_response(record: Mapping[str, Any]) -> date | None:
    """The day the response is due: the extended date where one was agreed."""
    return record.get("extended_to") or record.get("response_due")
