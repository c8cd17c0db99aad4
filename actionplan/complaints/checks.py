"""A complaint record as a whole: its defaults and the checks that need more than one field.

`records.clean_record` reads each field; `settle_complaint` then gives the
record its defaults (outcome, procedure, the worked-out response due date)
and `complaint_problems` judges it. The store's `add_complaint`, the import,
an edited export brought back and `correct-date` all call these, so a
complaint is accepted or refused the same way wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..dates import in_words
from ..errors import FieldError
from .deadlines import DeadlineSettings, latest_extension, worked_out_response_due

#: Dates of a complaint that cannot come before it was received.
_AFTER_RECEIPT: tuple[str, ...] = (
    "acknowledged_on",
    "response_due",
    "responded_on",
    "extended_to",
    "decided_on",
    "remedy_done_on",
)
#: Fields only an Ombudsman record holds.
_OMBUDSMAN_ONLY: tuple[str, ...] = (
    "lgsco_reference",
    "lgsco_decision",
    "remedied_before_ombudsman",
)
#: Outcomes that contradict an Ombudsman decision.
_CONTRADICTS: dict[str, tuple[str, ...]] = {
    "upheld": ("not_upheld", "withdrawn"),
    "not_upheld": ("upheld", "partly_upheld", "withdrawn"),
}


def settle_complaint(
    values: dict[str, Any], settings: DeadlineSettings, row: int | None = None
) -> list[FieldError]:
    """Give a cleaned complaint its defaults, then check it as a whole.

    The defaults: outcome `pending`, procedure `statutory`, and a blank
    `response_due` worked out from the procedure's deadlines (SPEC section 10).
    The store, the import, an edited export brought back and `correct-date`
    all settle a complaint here, so each applies the same defaults and rules.

    Returns:
        The problems (`complaint_problems`); `values` is changed in place.
    """
    values["outcome"] = values.get("outcome") or "pending"
    values["procedure"] = values.get("procedure") or "statutory"
    if values.get("response_due") is None:
        values["response_due"] = worked_out_response_due(values, settings)
    return complaint_problems(values, row, settings)


def complaint_problems(
    values: Mapping[str, Any], row: int | None, settings: DeadlineSettings | None = None
) -> list[FieldError]:
    """Checks of a cleaned complaint record that need more than one field."""
    problems: list[FieldError] = []
    received = values["received_on"]
    for field_name in _AFTER_RECEIPT:
        if values.get(field_name) and received and values[field_name] < received:
            problems.append(
                FieldError(
                    field_name, f"{values[field_name].isoformat()} is before received_on", row
                )
            )
    if values["stage"] == "stage1" and values.get("escalated_from"):
        problems.append(
            FieldError("escalated_from", "a stage 1 complaint is not escalated from another", row)
        )
    if values.get("decided_on") and values.get("outcome") == "pending":
        problems.append(FieldError("outcome", "is pending but decided_on is given", row))
    if values["stage"] != "ombudsman":
        for field_name in _OMBUDSMAN_ONLY:
            if values.get(field_name):
                problems.append(
                    FieldError(field_name, "is only for an Ombudsman (LGSCO) record", row)
                )
    decision = values.get("lgsco_decision")
    if decision in _CONTRADICTS and values.get("outcome") in _CONTRADICTS[decision]:
        problems.append(
            FieldError("outcome", f"is {values['outcome']} but lgsco_decision is {decision}", row)
        )
    return problems + _extension_problems(values, row, settings or DeadlineSettings())


def _extension_problems(
    values: Mapping[str, Any], row: int | None, settings: DeadlineSettings
) -> list[FieldError]:
    """An extension needs a reason, a due date to extend, and to stay within the limit."""
    extended, reason, due = (
        values.get("extended_to"),
        values.get("extension_reason"),
        values.get("response_due"),
    )
    if not extended:
        if reason:
            return [FieldError("extension_reason", "is given but extended_to is blank", row)]
        return []
    if not reason:
        return [FieldError("extension_reason", "is required when extended_to is given", row)]
    if due is None:
        return [FieldError("extended_to", "needs a response_due to extend", row)]
    if extended <= due:
        return [
            FieldError(
                "extended_to",
                f"{extended.isoformat()} is not after response_due ({in_words(due)})",
                row,
            )
        ]
    latest = latest_extension(values, settings)
    if latest is not None and extended > latest:
        rule = settings.rule(values.get("procedure"), values.get("stage"))
        days = rule.extension_days if rule else 0
        return [
            FieldError(
                "extended_to",
                f"{extended.isoformat()} is more than {days} working days after response_due "
                f"({in_words(due)}); the latest extension allowed is {in_words(latest)}",
                row,
            )
        ]
    return []
