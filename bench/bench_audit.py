"""Benchmark `socialgov audit` against `socialgov list` on a synthetic registry.

    python bench/bench_audit.py [--assets 10000] [--people 2000] [--runs 3] [--keep DIR]

Generates a registry with bench/generate.py (committed to git, so that the audit's
history read for registration-drift runs too), then times whole processes, median of
--runs after one warm-up:

- `socialgov list --format json`
- `socialgov audit --format json --fail-on none`

Before each run a file of the registry is rewritten, so that both do their work rather
than print their memo of the last run. The audit must cost at most 2x the listing. Prints a table; exits 1 when it does not.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import bypass_output_memo, generate, git_commit

TODAY = "2026-11-23"
TARGET = 2.0


def entry_point() -> str:
    candidate = Path(sys.executable).parent / "socialgov"
    return str(candidate) if candidate.exists() else "socialgov"


def timed(args: list[str], runs: int) -> tuple[float, int]:
    """Median wall time of `runs` runs after one warm-up, and the output size."""
    env = {**os.environ, "SOCIALGOV_TODAY": TODAY}
    size = 0
    samples = []
    for n in range(runs + 1):
        bypass_output_memo(Path(args[args.index("--registry") + 1]))
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, env=env)
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.decode()[-2000:]}")
        size = len(proc.stdout)
        if n:
            samples.append(elapsed)
    return statistics.median(samples), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="socialgov-bench-") as tmp:
        root = options.keep or Path(tmp) / "registry"
        started = time.perf_counter()
        generate(root, options.assets, options.people, seed=1)
        git_commit(root)
        print(
            f"generated {options.assets} assets, {options.people} people in {time.perf_counter() - started:.1f}s"
        )
        base = [entry_point(), "--registry", str(root)]
        list_s, list_size = timed([*base, "list", "--format", "json"], options.runs)
        audit_s, audit_size = timed(
            [*base, "audit", "--format", "json", "--fail-on", "none"], options.runs
        )
    ratio = audit_s / list_s
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}"
    )
    print(f"{'command':<48} {'median s':>9} {'stdout':>10}")
    print(f"{'socialgov list --format json':<48} {list_s:>9.3f} {list_size:>10}")
    print(f"{'socialgov audit --format json --fail-on none':<48} {audit_s:>9.3f} {audit_size:>10}")
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"audit / list = {ratio:.2f} (target <= {TARGET}) {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
