"""Benchmarks of actionplan at council (S), region (M) and national (L) scale.

Run `python -m bench` (or `make bench`); `--quick` runs S and M only. See
docs/performance.md for what is measured and the last full run.
"""
