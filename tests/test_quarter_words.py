"""Every command that takes a quarter accepts the same words, in any case.

`latest` (the last finished quarter with data), `current`, `previous` and a
label such as `2024-25-Q3` or `2024/25 q3` mean the same to `summary`, `list`,
`report`, `commentary` and `board-paper`, because all of them ask
`store.queries.resolve_quarter`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from actionplan.cli import cli
from actionplan.quarters import QUARTER_WORDS, quarter_of
from actionplan.store import Store
from actionplan.store.queries import latest_quarter, resolve_quarter

#: The commands that take `--quarter`, and the arguments that make each print JSON.
QUARTER_COMMANDS: dict[str, list[str]] = {
    "summary": ["--json"],
    "list": ["--json"],
    "report": [],
    "commentary": ["--json"],
    "board-paper": ["--out", "paper.docx"],
}

WORDS = ["latest", "LATEST", "Latest", "current", "Previous", "2024-25-Q3", "2024/25 q3"]


def test_every_command_with_a_quarter_is_checked_here() -> None:
    with_quarter = {
        name for name, command in cli.commands.items()
        if any(param.name == "quarter" for param in command.params)
    }  # fmt: skip
    assert with_quarter == set(QUARTER_COMMANDS)
    assert set(QUARTER_WORDS) <= {word.lower() for word in WORDS}


@pytest.mark.parametrize("word", WORDS)
def test_quarter_words_mean_the_same_everywhere(demo_db: Path, word: str) -> None:
    store = Store(demo_db)
    expected = resolve_quarter(store, word)
    if word.lower() == "latest":
        assert expected == latest_quarter(store)
    elif word.lower() == "current":
        assert expected == quarter_of(date.today())
    runner = CliRunner()
    summary = runner.invoke(cli, ["--db", str(demo_db), "summary", "--quarter", word, "--json"])
    assert summary.exit_code == 0, summary.output
    assert json.loads(summary.output)["quarter"] == expected.label
    listed = runner.invoke(cli, ["--db", str(demo_db), "list", "--quarter", word, "--json"])
    assert listed.exit_code == 0, listed.output
    assert isinstance(json.loads(listed.output), list)
    noted = runner.invoke(cli, ["--db", str(demo_db), "commentary", "--quarter", word, "--json"])
    assert noted.exit_code == 0, noted.output
    assert json.loads(noted.output) == []


def test_report_accepts_latest_in_capitals(demo_db: Path, tmp_path: Path) -> None:
    expected = latest_quarter(Store(demo_db)).label
    result = CliRunner().invoke(
        cli, ["--db", str(demo_db), "report", "--quarter", "LATEST", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    written = Path(result.output.strip().splitlines()[-1])
    assert written == tmp_path / expected / f"actionplan-{expected}.html"
    assert written.exists()


@pytest.mark.parametrize("command", sorted(QUARTER_COMMANDS))
def test_a_word_that_is_no_quarter_is_one_line_naming_the_choices(
    demo_db: Path, command: str
) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(demo_db), command, "--quarter", "lastest", *QUARTER_COMMANDS[command]]
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "'lastest' is not a quarter" in result.output and "latest" in result.output
