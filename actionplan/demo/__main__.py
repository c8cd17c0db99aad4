"""`python -m actionplan.demo OUT_DIR [--scale demo|S|M|L] [--seed N] [--councils N]`.

How `data/demo/` is regenerated, and how the benchmark's plans are made by
hand. The same arguments always write byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .generate import SCALES, generate


def main(argv: Sequence[str] | None = None) -> int:
    """Write a plan's six CSV files and print how many rows each has.

    Returns:
        The exit status: 0, or 1 after printing the error for an unknown scale
        or a bad number of councils.
    """
    parser = argparse.ArgumentParser(
        prog="python -m actionplan.demo",
        description="Write a deterministic demo or benchmark action plan as CSV files.",
    )
    parser.add_argument("out_dir", help="directory to write the six CSV files into")
    parser.add_argument("--scale", choices=tuple(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--councils", type=int, default=None, help="councils for S/M/L")
    args = parser.parse_args(argv)
    try:
        counts = generate(args.out_dir, args.scale, args.seed, args.councils)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, rows in counts.items():
        print(f"{name}: {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
