"""The README's test command (`pytest -n 2`), timed as a whole process against its target.

Run from the repository root with the venv's Python: `.venv/bin/python bench/bench_suite.py`.
The machine's load average is printed beside the figure: on a shared machine it explains
most of the spread between runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 120.0
ROOT = Path(__file__).resolve().parents[1]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> int:
    before = load_average()
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - started
    after = load_average()
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-500:]
    counted = re.search(r"(\d+) passed", summary)
    passed = int(counted.group(1)) if counted else 0
    met = proc.returncode == 0 and wall <= TARGET_S
    print(f"{'benchmark':<40} {'measured':>12} {'target':>10}")
    print(
        f"{'pytest -n 2 (README), whole process':<40} {wall:>10.1f} s {'≤ 120 s':>10}  {'met' if met else 'MISSED'}"
    )
    print(f"tests: {summary}")
    print(f"load average (1, 5, 15 min): before {before}, after {after}; {os.cpu_count()} CPUs")
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
    return 0 if met and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
