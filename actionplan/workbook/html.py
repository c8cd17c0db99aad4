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

from ..vocab import RAG_PALETTE, RAG_VALUES, word

#: The look of the whole workbook; one `<style>` element shown once at the top.
STYLE = """
<style>
.ap-workbook { font-size: 14px; }
.ap-workbook .widget-html-content { line-height: 1.45; }
.ap-workbook .widget-html-content p { margin: 2px 0 6px 0; }
.ap-workbook h2 { margin: 4px 0 8px 0; font-size: 20px; }
.ap-workbook h3 { margin: 8px 0 4px 0; font-size: 16px; }
.ap-badge { display: inline-block; min-width: 78px; padding: 1px 6px; border-radius: 10px;
  font-size: 12px; font-weight: 600; text-align: center; }
.ap-error { color: #b3261e; font-size: 12px; line-height: 1.3; }
.ap-indent-form .ap-error { padding-left: 156px; }
.ap-indent-update .ap-error { padding-left: 126px; }
.ap-message-ok { background: #e6f4ea; border-left: 4px solid #1e7b34; padding: 6px 10px; }
.ap-message-bad { background: #fce8e6; border-left: 4px solid #b3261e; padding: 6px 10px; }
.ap-message-info { background: #e8f0fe; border-left: 4px solid #1a56db; padding: 6px 10px; }
.ap-table { border-collapse: collapse; width: 100%; font-size: 13px; }
.ap-table th { text-align: left; border-bottom: 2px solid #ccc; padding: 3px 6px; }
.ap-table td { border-bottom: 1px solid #eee; padding: 3px 6px; vertical-align: top; }
.ap-muted { color: #5f6368; }
.ap-overdue { color: #b3261e; font-size: 12px; font-weight: 600; }
.ap-cells { display: grid; grid-template-columns: minmax(0, 1fr) 150px 92px 96px;
  column-gap: 8px; align-items: center; line-height: 1.3; padding: 3px 0; }
.ap-cells > span { overflow: hidden; text-overflow: ellipsis; }
.ap-head { font-weight: 600; border-bottom: 2px solid #ccc; padding: 2px 0; }
.ap-panel { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; }
.ap-bar { display: flex; align-items: center; margin: 3px 0; }
.ap-bar-label { width: 110px; }
.ap-bar-fill { height: 18px; margin-right: 6px; border-radius: 3px; }
</style>
"""


def text(value: object) -> str:
    """Any stored value as escaped text; blanks read as an empty string."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return escape(str(value))


def badge(rag: str) -> str:
    """A RAG value as a coloured badge that also says the word (colour is not enough)."""
    colour = RAG_PALETTE.get(rag, RAG_PALETTE["cancelled"])
    return (
        f'<span class="ap-badge ap-rag-{escape(rag)}" '
        f'style="background:{colour.fill};color:{colour.ink}">{escape(word(rag))}</span>'
    )


def due(day: date | None, overdue: bool) -> str:
    """A due date, marked when it has passed on an open action."""
    if day is None:
        return ""
    mark = '<br><span class="ap-overdue">overdue</span>' if overdue else ""
    return f"{day.isoformat()}{mark}"


def list_header() -> str:
    """The column headings of the action list, beside the ID column."""
    names = "".join(f"<span>{name}</span>" for name in ("Title", "Owner", "Due", "RAG"))
    return f'<div class="ap-cells ap-head">{names}</div>'


def list_row(row: Mapping[str, Any]) -> str:
    """One action of the list beside its ID button: title, owner, due date and RAG."""
    return (
        '<div class="ap-cells">'
        f'<span class="ap-title">{text(row["title"])}</span>'
        f'<span class="ap-owner">{text(row["owner"])}</span>'
        f'<span class="ap-due">{due(row["due"], row["overdue"])}</span>'
        f'<span class="ap-rag">{badge(row["rag"])}</span>'
        "</div>"
    )


def message(kind: str, body: str) -> str:
    """A message box; `kind` is `ok`, `bad` or `info`, `body` is already-escaped HTML."""
    return f'<div class="ap-message-{kind}" role="status">{body}</div>'


def error(message_text: str) -> str:
    """A field's error, shown under the field."""
    return f'<div class="ap-error" role="alert">{escape(message_text)}</div>'


def describe_change(field: str, old: object, new: object) -> str:
    """One change of an event in words, e.g. `progress 30 → 50`."""
    label = field.replace("_", " ")
    before = text(old) if old not in (None, "") else "blank"
    after = text(new) if new not in (None, "") else "blank"
    return f"{escape(label)} {before} → {after}"


def describe_changes(changes: Mapping[str, Mapping[str, object]]) -> str:
    """Every change of an event, joined for one table cell or message."""
    return "; ".join(
        describe_change(field, pair.get("old"), pair.get("new")) for field, pair in changes.items()
    )


def history_table(events: Iterable[Mapping[str, Any]]) -> str:
    """Recent events, newest first, as a small table."""
    rows = []
    for event in events:
        what = "created" if event["kind"] == "create" else describe_changes(event["changes"])
        rows.append(
            "<tr>"
            f"<td>{text(event['version'])}</td>"
            f"<td>{text(event['as_of'])}</td>"
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
