"""The floors a report is compared with, measured in the same run.

- the papermill CLI on a one-cell notebook, then `jupyter nbconvert --to html
  --no-input` of its output: what a report built from stock command-line tools
  costs before it computes anything;
- a plain Python script that imports pandas and matplotlib and writes one
  chart: the least a report with a chart can cost in a new process.
"""

from __future__ import annotations

import json
from pathlib import Path

from .runner import Sample, python, run, tool

ONE_CELL_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "only-cell",
            "metadata": {},
            "outputs": [],
            "source": ["print('floor')"],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}

CHART_SCRIPT = """\
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

frame = pd.DataFrame({"rag": ["red", "amber", "green", "complete"], "actions": [5, 9, 17, 8]})
figure, axes = plt.subplots(figsize=(6, 3))
axes.bar(frame["rag"], frame["actions"])
figure.savefig(OUT, dpi=100)
"""


def prepare(folder: Path) -> tuple[Path, Path]:
    """Write the one-cell notebook and the chart script into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    notebook = folder / "one_cell.ipynb"
    notebook.write_text(json.dumps(ONE_CELL_NOTEBOOK, indent=1))
    script = folder / "chart.py"
    script.write_text(CHART_SCRIPT.replace("OUT", repr(str(folder / "chart.png"))))
    return notebook, script


def papermill_nbconvert(notebook: Path) -> tuple[Sample, Sample]:
    """One run of the CLI floor: papermill, then nbconvert of its output."""
    executed = notebook.with_name("one_cell.out.ipynb")
    executed.unlink(missing_ok=True)
    papermill = run(
        [tool("papermill"), "-k", "python3", "--log-level", "WARNING", notebook, executed]
    )
    nbconvert = run(
        [
            tool("jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            "--log-level",
            "WARN",
            executed,
        ]
    )
    return papermill, nbconvert


def chart_script(script: Path) -> Sample:
    """One run of the plain-script floor."""
    return run(python(script))
