"""The fictional demo plan (Westbury Council) and larger plans for benchmarks."""

from .generate import COUNCIL_NAME, SCALES, generate
from .load import DEMO_CREATOR, DEMO_FOLDER, demo_files, load_demo

__all__ = [
    "COUNCIL_NAME",
    "DEMO_CREATOR",
    "DEMO_FOLDER",
    "SCALES",
    "demo_files",
    "generate",
    "load_demo",
]
