"""`python -m actionplan.demo OUT_DIR [--scale demo|S|M|L]`."""

from .generate import main

if __name__ == "__main__":
    raise SystemExit(main())
