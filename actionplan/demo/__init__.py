"""The fictional demo plan (Westbury Council), and larger plans for benchmarks.

`generate` writes the six CSV files the importer reads (SPEC section 2) for a
fictional council, Westbury Council, from April 2023 to September 2025;
`load_demo` loads the committed copy in `data/demo/` through the real importer
(`actionplan init --demo`). The demo plan is hand-written: real-sounding
recommendations from an LGA Corporate Peer Challenge, a CQC assessment,
Ombudsman decisions, complaints learning, staff and community feedback and two
audits, each turned into actions whose histories follow a small set of
storylines (on time, slipped, overdue, off track and recovered, stalled,
reopened, cancelled). Every quarter from 2023-24-Q3 to 2025-26-Q1 therefore
shows red, amber, green, not-started and complete actions, slipped due dates
and Ombudsman remedies done late, so a report or a test has something to show
in every figure of SPEC section 5. Scales `S`, `M` and `L` repeat a randomised
version for 1, 100 and 2,000 councils to measure import, replay and reporting
at size; the same seed always gives byte-identical files.

Every file obeys the importer's history rules, and no record holds personal
data: owners are job titles, and free text is about learning, never people.

Modules: `content` reads the hand-written words and weights in `content/`;
`days` is the data's calendar; `stories` draws action histories; `complaints`
draws complaints and compliments; `generate` builds councils and writes the
files; `load` loads them; `python -m actionplan.demo OUT_DIR` regenerates them.
"""

from .generate import COLUMNS, COUNCIL_NAME, SCALES, generate
from .load import DEMO_CREATOR, DEMO_FOLDER, demo_files, load_demo

__all__ = [
    "COLUMNS",
    "COUNCIL_NAME",
    "DEMO_CREATOR",
    "DEMO_FOLDER",
    "SCALES",
    "demo_files",
    "generate",
    "load_demo",
]
