"""The report's sections by name, and how its figures are worked out, in words.

Plain data, kept apart from the sections themselves so that the pipeline can
name a failed section without importing pandas or matplotlib.
"""

from __future__ import annotations

from ..vocab import REPORT_SECTIONS, word

#: The section headings, in order; the pipeline names a failed section by these.
#: The words live in `vocab` (field `section`), where commentary finds them too.
SECTION_HEADINGS: dict[str, str] = {key: word(key, "section") for key in REPORT_SECTIONS}

RULES: tuple[str, ...] = (
    "The report describes the plan as it stood at the end of the quarter's last day "
    "(the as-of day). A change recorded later but dated on or before that day counts.",
    "Figures count actions that exist at the as-of day and are not cancelled.",
    "RAG, by the first rule that applies: status complete gives Complete; a due date "
    "before the as-of day gives Red (overdue, whatever the status says); off track gives "
    "Red; at risk gives Amber; on track gives Green; otherwise Not started.",
    "Overdue: not complete and due before the as-of day.",
    "Slipped: the current due date is later than the due date the action was created with "
    "(its baseline). A slip is a change of due date to a later one.",
    "Completed this quarter: complete with a completion date in the quarter. On time means "
    "completed on or before the baseline due date: a revised date does not make a late "
    "completion on time.",
    "Mean progress: the average of every action's progress, a complete action counting 100%.",
    "Due next quarter: not complete and due within the next quarter.",
    "What the dates suggest (the schedule RAG): for an open action, the progress expected "
    "by the as-of day is the share of the time from its start (else its creation) to its "
    "due date that has passed. Overdue is Red; progress of at least 90% of what is expected "
    "is Green, at least 70% Amber, less Red. An action is reported better than its dates "
    "suggest when this is worse than its own RAG (Not started counting as Green).",
    "Not updated this quarter: open at the as-of day, created before the quarter, and no "
    "update (other than its creation) dated in the quarter.",
    "Movement: each action that existed at the end of the previous quarter, by its RAG then "
    "and now. It got worse when it moved down this order: Complete, Green, Not started, "
    "Amber, Red.",
    "Complaints: records received in the quarter, by stage (each stage of a case is its own "
    "record). Upheld rate: upheld and partly upheld decisions as a share of decisions made "
    "in the quarter (withdrawn and pending excluded). Remedies: those due in the quarter, "
    "done on or before the agreed date (on time), after it (late), or not done by the "
    "as-of day (outstanding).",
    "Timeliness: acknowledgements and responses of stage 1 and stage 2 complaints (not "
    "withdrawn), counted in working days (no weekends or bank holidays of England and Wales). "
    "Responses due in the quarter (the extended date where one was agreed), answered on or "
    "before that day (on time), after it (late), or not answered by the as-of day "
    "(outstanding); acknowledgements due in the quarter, and the share made on time.",
    "CQC scores: each quality statement scored 1 to 4; the total as a percentage of the "
    "maximum, rounded to a whole number, gives the rating: 25 to 38% inadequate, 39 to 62% "
    "requires improvement, 63 to 87% good, 88% or more outstanding.",
    "Public version: owner names, complaint ids and complaint free text are left out; "
    "complaint counts from 1 to 4 are shown as <5 and a rate worked out from such a count "
    "is withheld.",
)
