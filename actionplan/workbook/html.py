"""Small pieces of HTML the workbook shows: RAG badges, messages, history, a bar chart.

Every piece of text that came from a person (titles, notes, names) is escaped
here, so a title like `<b>Fix</b> & review` is shown as typed and cannot change
the page. Widgets hold the returned strings in `ipywidgets.HTML` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from html import escape
from typing import Any

from ..dates import as_date, in_words
from ..vocab import RAG_PALETTE, RAG_VALUES, word

#: The look of the whole workbook; one `<style>` element shown once at the top.
#: Widths come from container queries on the workbook itself, not the window,
#: so JupyterLab with its file browser open lays out like a narrow window.
STYLE = """
<style>
.ap-workbook { font-size: 14px; container: workbook / inline-size; }
.ap-workbook .widget-html-content { line-height: 1.45; }
.ap-workbook .widget-html-content p { margin: 2px 0 6px 0; }
.ap-workbook h1 { margin: 4px 0 4px 0; font-size: 22px; line-height: 1.25; }
.ap-workbook h2 { margin: 8px 0 4px 0; font-size: 17px; }
.ap-workbook :focus-visible, .ap-workbook .widget-button:focus,
.ap-workbook a:focus { outline: 3px solid #1a4fb8 !important; outline-offset: 2px; }
.ap-badge { display: inline-block; min-width: 72px; padding: 1px 6px; border-radius: 10px;
  font-size: 12px; font-weight: 600; text-align: center; box-sizing: border-box; }
.ap-error { color: #b3261e; font-size: 13px; line-height: 1.3; margin: 0 0 4px 0; }
.ap-message-ok { background: #e6f4ea; border-left: 4px solid #1e7b34; padding: 6px 10px; }
.ap-message-bad { background: #fce8e6; border-left: 4px solid #b3261e; padding: 6px 10px; }
.ap-workbook .jupyter-button.mod-info { background-color: #0b57a4; color: #ffffff; }
.ap-workbook .jupyter-button.mod-success { background-color: #1e6b35; color: #ffffff; }
.ap-workbook .jupyter-button.mod-warning { background-color: #8a4b00; color: #ffffff; }
.ap-message-info { background: #e8f0fe; border-left: 4px solid #1a56db; padding: 6px 10px; }
.ap-table { border-collapse: collapse; width: 100%; font-size: 13px; }
.ap-table th { text-align: left; border-bottom: 2px solid #ccc; padding: 3px 6px; }
.ap-table td { border-bottom: 1px solid #eee; padding: 3px 6px; vertical-align: top; }
.ap-table td:first-child { white-space: nowrap; }
.ap-muted { color: #595959; }
.ap-overdue { color: #b3261e; font-size: 12px; font-weight: 600; }
.ap-stale { display: block; color: #8a4b00; font-size: 12px; font-weight: 600; }
.ap-schedule { display: block; color: #3d4650; font-size: 12px; margin-top: 2px; }
.ap-list { container: list / inline-size; }
.ap-cells { display: grid; grid-template-columns: minmax(0, 1fr) 100px 84px;
  column-gap: 8px; align-items: center; line-height: 1.3; padding: 3px 0; }
.ap-title { overflow-wrap: break-word; word-break: normal; hyphens: manual; }
.ap-owner { display: block; color: #595959; font-size: 12px; }
.ap-head { font-weight: 600; border-bottom: 2px solid #ccc; padding: 2px 0; }
@container list (max-width: 440px) {
  .ap-cells { grid-template-columns: auto auto 1fr; }
  .ap-cells .ap-title-cell { grid-column: 1 / -1; }
  .ap-head { display: none; }
}
.ap-panel { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px;
  box-sizing: border-box; min-width: 0; }
.ap-work-row { display: flex; flex-flow: row nowrap; gap: 12px; align-items: flex-start; }
.ap-work-row > .ap-list-box { flex: 1 1 58%; min-width: 0; }
.ap-work-row > .ap-update-panel { flex: 1 1 42%; min-width: 0; }
@container workbook (max-width: 900px) {
  .ap-work-row { flex-direction: column; align-items: stretch; }
  .ap-work-row > .ap-list-box, .ap-work-row > .ap-update-panel { flex: 0 0 auto; width: 100%; }
}
.ap-filters { display: flex; flex-flow: row wrap; gap: 4px 12px; }
.ap-filters .widget-text, .ap-filters .widget-dropdown { width: 300px; max-width: 100%; }
.ap-stacked .widget-inline-hbox:not(.widget-checkbox) { flex-direction: column;
  align-items: stretch; height: auto; width: auto; max-width: 560px; box-sizing: border-box; }
.ap-stacked .widget-inline-hbox > select, .ap-stacked .widget-inline-hbox > input,
.ap-stacked .widget-inline-hbox > textarea { flex: 0 0 auto; }
.ap-stacked .widget-inline-hbox > select, .ap-stacked .widget-inline-hbox > input {
  height: var(--jp-widgets-inline-height, 28px); }
.ap-stacked .widget-inline-hbox.ap-progress { max-width: 160px; }
.ap-stacked .widget-inline-hbox:not(.widget-checkbox) > .widget-label { width: auto !important;
  max-width: none; text-align: left; line-height: 1.4; height: auto; white-space: normal; }
.ap-stacked .widget-hbox .ap-date { width: 180px; }
.ap-date-words { margin-left: 8px; align-self: flex-end; }
.ap-date-read { font-weight: 600; }
.ap-workbook a.ap-skip { font-size: 13px; color: #1a4fb8; text-decoration: underline; }
.ap-tabs > .lm-TabBar .lm-TabBar-content { flex-wrap: wrap; }
.ap-tabs > .lm-TabBar .lm-TabBar-tab { flex: 0 0 auto; min-width: 0; }
.ap-tabs > .lm-TabBar { height: auto; min-height: 0; }
.ap-tabs > .lm-TabBar .lm-TabBar-tab .lm-TabBar-tabLabel { color: #3d3d3d; }
.ap-plan-name { overflow-wrap: anywhere; }
.ap-workbook .ap-signed-in a { color: #1a4fb8; text-decoration: underline; margin-left: 6px; }
.ap-bar { display: flex; align-items: center; margin: 3px 0; }
.ap-bar-label { width: 110px; }
.ap-bar-fill { height: 18px; margin-right: 6px; border-radius: 3px; }
</style>
"""

#: How the fields of an update read in history and messages.
FIELD_WORDS = {
    "due": "due date",
    "as_of": "date of the update",
    "completed_on": "completed on",
    "baseline_due": "first agreed due date",
}
_DATE_FIELDS = {"due", "as_of", "completed_on", "baseline_due", "start_on", "created_on"}


def text(value: object) -> str:
    """Any stored value as escaped text; blanks read as an empty string."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, date):
        return in_words(value)
    return escape(str(value))


def day(value: object) -> str:
    """A stored date (a `date` or ISO text) in words, `31 Mar 2027`; blank for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return in_words(value)
    try:
        return in_words(as_date(str(value)))
    except ValueError:
        return escape(str(value))


def one_line(problem: BaseException) -> str:
    """Any exception as one escaped line: its message, else its kind."""
    lines = str(problem).strip().splitlines()
    return escape(lines[0] if lines else type(problem).__name__)


def badge(rag: str) -> str:
    """A RAG value as a coloured badge that also says the word (colour is not enough)."""
    colour = RAG_PALETTE.get(rag, RAG_PALETTE["cancelled"])
    return (
        f'<span class="ap-badge ap-rag-{escape(rag)}" '
        f'style="background:{colour.fill};color:{colour.ink}">{escape(word(rag))}</span>'
    )


def due(when: date | None, overdue: bool) -> str:
    """A due date in words, marked when it has passed on an open action."""
    if when is None:
        return ""
    mark = '<br><span class="ap-overdue">overdue</span>' if overdue else ""
    return f"{in_words(when, non_breaking=True)}{mark}"


def list_header() -> str:
    """The column headings of the action list, beside the ID column."""
    names = "".join(f"<span>{name}</span>" for name in ("Title and owner", "Due", "RAG"))
    return f'<div class="ap-cells ap-head">{names}</div>'


def list_row(row: Mapping[str, Any]) -> str:
    """One action of the list beside its ID button: title (owner under it), due date and RAG."""
    return (
        '<div class="ap-cells">'
        f'<span class="ap-title-cell"><span class="ap-title">{text(row["title"])}</span>'
        f'<span class="ap-owner">{text(row["owner"])}</span>{stale_mark(row)}</span>'
        f'<span class="ap-due">{due(row["due"], row["overdue"])}</span>'
        f'<span class="ap-rag">{badge(row["rag"])}{schedule_mark(row)}</span>'
        "</div>"
    )


def stale_mark(row: Mapping[str, Any]) -> str:
    """A flag under the owner when the action was not updated this quarter."""
    if not row.get("not_updated"):
        return ""
    return '<span class="ap-stale">Not updated this quarter</span>'


def schedule_mark(row: Mapping[str, Any]) -> str:
    """The schedule RAG under the officer's, when the dates say something worse or else."""
    schedule = row.get("schedule_rag")
    if not schedule:
        return ""
    return f'<span class="ap-schedule">Dates: {escape(word(schedule))}</span>'


def schedule_line(row: Mapping[str, Any]) -> str:
    """What the dates suggest about an open action, and whether it was updated this quarter."""
    schedule = row.get("schedule_rag")
    if not schedule:
        return ""
    stale = " It has not been updated this quarter." if row.get("not_updated") else ""
    return (
        f'<p class="ap-schedule-line">The dates suggest {badge(schedule)} '
        f"(its progress against the share of time gone from start to due date).{stale}</p>"
    )


def message(kind: str, body: str) -> str:
    """A message box; `kind` is `ok`, `bad` or `info`, `body` is already-escaped HTML."""
    return f'<div class="ap-message-{kind}" role="status">{body}</div>'


def error(message_text: str) -> str:
    """A field's error, shown under the field."""
    return f'<div class="ap-error" role="alert">{escape(message_text)}</div>'


def value_words(field: str, value: object) -> str:
    """A stored value of an update's field as a person reads it (escaped)."""
    if value is None or value == "":
        return "blank"
    if field in _DATE_FIELDS:
        return day(value)
    if field == "progress":
        return f"{text(value)}%"
    return escape(word(value, field))


def describe_change(field: str, old: object, new: object) -> str:
    """One change of an event in words, e.g. `status On track → At risk`."""
    label = FIELD_WORDS.get(field, field.replace("_", " "))
    return f"{escape(label)} {value_words(field, old)} → {value_words(field, new)}"


def describe_changes(changes: Mapping[str, Mapping[str, object]]) -> str:
    """Every change of an event, joined for one table cell or message."""
    return "; ".join(
        describe_change(field, pair.get("old"), pair.get("new")) for field, pair in changes.items()
    )


def conflict(
    action_id: str,
    changed_by: str,
    changed_at: str,
    expected: int,
    events: Iterable[Mapping[str, Any]],
) -> str:
    """A refused save: who changed the action since, when, and what each of their saves changed."""
    events = list(events)
    theirs = "".join(
        f"<li>{text(event['by'])}, version {text(event['version'])} (as of "
        f"{day(event['as_of'])}): {describe_changes(event['changes']) or 'no field changed'}"
        + (f"; note: {text(event['note'])}" if event.get("note") else "")
        + "</li>"
        for event in events
    )
    current = events[-1]["version"] if events else expected
    return message(
        "bad",
        f"<b>Not saved: {escape(changed_by)} changed action {escape(action_id)} at "
        f"{escape(changed_at)}</b> (it is now version {current}; you started from version "
        f"{expected}). What changed meanwhile:<ul>{theirs}</ul>Your changes are still on "
        "screen. Click <b>Reload and reapply</b> to load the new version with your changes "
        "on top, check it, then Save again.",
    )


#: How an event of each kind of SPEC section 8 reads in the history, before its changes.
_KIND_WORDS: dict[str, str] = {
    "verify": "Verified the completion",
    "reject": "Rejected the completion",
    "approve": "Approved the due-date request",
    "refuse": "Refused the due-date request",
}


def event_words(event: Mapping[str, Any]) -> str:
    """What one event did, in words (escaped): created, the changes, or a verification."""
    kind, changes = event["kind"], event["changes"]
    if kind == "create":
        return "created"
    if kind == "request":
        return f"Asked for a new due date: {day(changes['requested_due']['new'])}"
    shown = {
        field: pair for field, pair in changes.items() if field not in ("verification", "request")
    }
    said = describe_changes(shown)
    if kind in _KIND_WORDS:
        return _KIND_WORDS[kind] + (f": {said}" if said else "")
    return said


def history_table(events: Iterable[Mapping[str, Any]]) -> str:
    """Recent events, newest first, as a small table."""
    rows = []
    for event in events:
        what = event_words(event)
        rows.append(
            "<tr>"
            f"<td>{text(event['version'])}</td>"
            f"<td>{day(event['as_of'])}</td>"
            f"<td>{text(event['by'])}</td>"
            f"<td>{what or '<span class=ap-muted>note only</span>'}</td>"
            f"<td>{text(event.get('reason'))}</td>"
            f"<td>{text(event.get('note'))}</td>"
            "</tr>"
        )
    if not rows:
        return '<p class="ap-muted">No history yet.</p>'
    return (
        '<table class="ap-table ap-history"><thead><tr><th>Ver.</th><th>As of</th><th>By</th>'
        "<th>What changed</th><th>Reason</th><th>Note</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def rag_bars(counts: Mapping[str, int]) -> str:
    """RAG counts as horizontal bars with the number beside each, worst first."""
    most = max(counts.values(), default=0) or 1
    bars = []
    for rag in RAG_VALUES:
        count = int(counts.get(rag, 0))
        background = RAG_PALETTE[rag].fill
        width = round(240 * count / most)
        bars.append(
            f'<div class="ap-bar" data-rag="{rag}"><span class="ap-bar-label">{word(rag)}'
            f'</span><span class="ap-bar-fill" style="width:{width}px;background:{background}">'
            f"</span><span>{count}</span></div>"
        )
    total = sum(int(value) for value in counts.values())
    return (
        '<div class="ap-rag-chart" role="img" aria-label="RAG counts: '
        + ", ".join(f"{word(r)} {int(counts.get(r, 0))}" for r in RAG_VALUES)
        + f'">{"".join(bars)}<div class="ap-muted">{total} actions</div></div>'
    )


def actions_table(rows: Iterable[Mapping[str, Any]]) -> str:
    """A read-only table of actions (id, title, owner, due, RAG)."""
    body = "".join(
        "<tr>"
        f"<td>{text(row['id'])}</td><td>{text(row['title'])}</td><td>{text(row['owner'])}</td>"
        f"<td>{due(row['due'], row.get('overdue', False))}</td><td>{badge(row['rag'])}</td>"
        "</tr>"
        for row in rows
    )
    if not body:
        return '<p class="ap-muted">None.</p>'
    return (
        '<table class="ap-table"><thead><tr><th>ID</th><th>Title</th><th>Owner</th>'
        f"<th>Due</th><th>RAG</th></tr></thead><tbody>{body}</tbody></table>"
    )
