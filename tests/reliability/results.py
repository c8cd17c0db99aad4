"""The numbers of the last reliability run, for docs/reliability.md.

Each reliability test records what it tried and what held as one JSON file in
`build/reliability/`; `python -m tests.reliability.results` rewrites the table
between the markers in docs/reliability.md from those files.
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "build" / "reliability"
DOC = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def record(name: str, **figures: Any) -> None:
    """Keep one test's figures (overwriting the previous run's)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures["recorded_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=1, sort_keys=True))


def load_all() -> dict[str, dict[str, Any]]:
    """Every recorded result, by name."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(RESULTS.glob("*.json"))}


def table(results: dict[str, dict[str, Any]]) -> str:
    """The Markdown table of the last run."""
    lines = [
        "| check | backend | tried | held |",
        "|---|---|---|---|",
    ]
    for name, figures in results.items():
        lines.append(
            f"| {figures.get('check', name)} | {figures.get('backend', '-')} "
            f"| {figures.get('tried', '')} | {figures.get('held', '')} |"
        )
    stamps = sorted(figures["recorded_at"] for figures in results.values())
    when = f"{stamps[0]} to {stamps[-1]}" if stamps else "never"
    lines.append("")
    lines.append(
        f"Last run: {when}, Python {platform.python_version()} on {platform.system()} "
        f"({len(results)} results from `build/reliability/`)."
    )
    return "\n".join(lines)


def main() -> int:
    """Rewrite the results section of docs/reliability.md."""
    results = load_all()
    if not results:
        print("no results in build/reliability/; run `make test` first", file=sys.stderr)
        return 1
    text = DOC.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{table(results)}\n{END}{tail}")
    print(f"updated {DOC.relative_to(ROOT)} from {len(results)} results")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
