"""Benchmark portfolio scale (issue 19): socialgov against a bare tomllib parse of its registry.

    python bench/bench_scale.py [--assets 100000] [--people 20000] [--runs 3] [--dir DIR]

Generates a registry with bench/generate.py (in git), then measures whole processes, each
the median of `--runs`, and each run right after a run of the baseline (the ratio printed
is the median of the ratios of those pairs):
- the baseline: a bare script that parses every .toml file with tomllib and dumps JSON;
- cold `audit --format json` (no .socialgov/cache);
- warm `list --format json` and warm `audit --format json` (nothing changed);
- `audit` after editing one asset file;
- `check --base HEAD` with one file changed, warm;
- peak memory (max RSS of the child) of the bare parse and of a cold `audit`.
Prints each figure with its ratio to the baseline and the target, with wall and CPU
(user+system) time, and exits non-zero when one misses.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, git_commit

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "SOCIALGOV_TODAY": "2026-11-23",
}

BARE = """
import json, sys, tomllib
from pathlib import Path
root = Path(sys.argv[1])
out = {}
for path in sorted(root.rglob("*.toml")):
    if ".socialgov" not in path.parts:
        out[str(path.relative_to(root))] = tomllib.loads(path.read_text("utf-8"))
sys.stdout.write(json.dumps(out, default=str))
"""


class Run:
    def __init__(self, wall: float, cpu: float, rss_mb: float) -> None:
        self.wall, self.cpu, self.rss_mb = wall, cpu, rss_mb


def run_once(command: list[str], cwd: Path) -> Run:
    """One child process: wall time, its CPU time and its peak memory (getrusage of children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {err.decode()[-800:]}")
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    return Run(wall, cpu, 0.0)


class Figure:
    """A command's runs, each right after a run of the bare parse: the medians of both, and
    the median of the ratios of the pairs."""

    def __init__(self, pairs: list[tuple[Run, Run]]) -> None:
        self.wall = statistics.median(run.wall for run, _ in pairs)
        self.cpu = statistics.median(run.cpu for run, _ in pairs)
        self.bare = statistics.median(bare.wall for _, bare in pairs)
        self.ratio = statistics.median(run.wall / bare.wall for run, bare in pairs)
        self.cpu_ratio = statistics.median(run.cpu / max(bare.cpu, 1e-9) for run, bare in pairs)


def paired(runs: int, once: Callable[[], Run], bare: Callable[[], Run]) -> Figure:
    """`runs` pairs of a bare parse and the command. This VM's speed drifts by a third over
    minutes; a baseline measured once at the start made the later ratios drift with it."""
    pairs = []
    for _ in range(runs):
        baseline = bare()
        pairs.append((once(), baseline))
    return Figure(pairs)


def rss_of(command: list[str], cwd: Path) -> float:
    """Peak memory of one child, measured in a fresh interpreter so no earlier child counts."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(cwd), *command],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip()) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=None, help="default: assets / 5")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="keep the registry here")
    args = parser.parse_args(argv)
    people = args.people or max(1, args.assets // 5)
    work = args.dir or Path(tempfile.mkdtemp(prefix="sg-scale-"))
    root = work / "reg"
    if not (root / "socialgov.toml").exists():
        started = time.perf_counter()
        generate(root, args.assets, people)
        git_commit(root)
        print(
            f"generated {args.assets} assets / {people} people in {time.perf_counter() - started:.1f}s"
        )
    sg = str(Path(sys.executable).parent / "socialgov")
    cache = root / ".socialgov" / "cache"
    edited = root / sorted((root / "assets" / "domains").glob("*.toml"))[0].relative_to(root)
    original = edited.read_text()

    def cold(command: list[str]) -> Callable[[], Run]:
        def once() -> Run:
            shutil.rmtree(cache, ignore_errors=True)
            return run_once(command, root)

        return once

    def warm(command: list[str]) -> Callable[[], Run]:
        return lambda: run_once(command, root)

    counter = iter(range(10**9))

    def after_edit(command: list[str]) -> Callable[[], Run]:
        def once() -> Run:
            edited.write_text(original + f"# edit {next(counter)}\n")
            return run_once(command, root)

        return once

    audit = [sg, "audit", "--format", "json"]
    figures: list[tuple[str, Figure, float]] = []
    bare = [sys.executable, "-c", BARE, str(root)]
    run_once(bare, root)  # the files in the page cache for every run alike, not for the first

    def measure(once: Callable[[], Run]) -> Figure:
        return paired(args.runs, once, warm(bare))

    figures.append(("cold audit", measure(cold(audit)), 1.3))
    listing = [sg, "list", "--format", "json"]
    run_once(audit, root)  # warm: the same command ran before, on the same files
    run_once(listing, root)
    figures.append(("warm list", measure(warm(listing)), 0.3))
    figures.append(("warm audit", measure(warm(audit)), 0.3))
    figures.append(("audit after editing one file", measure(after_edit(audit)), 0.35))
    check = [sg, "check", "--base", "HEAD", "--format", "json"]
    run_once(check, root)
    figures.append(("check --base, one file changed, warm", measure(warm(check)), 0.4))
    edited.write_text(original)
    shutil.rmtree(cache, ignore_errors=True)
    bare_rss = rss_of(bare, root)
    shutil.rmtree(cache, ignore_errors=True)
    audit_rss = rss_of(audit, root)

    load = os.getloadavg()
    print(
        f"{args.assets} assets / {people} people, {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print("each figure: its median, the median of the bare parses run right before each of its")
    print("runs, and the median of the ratios of those pairs")
    missed = 0
    for name, figure, target in figures:
        ok = figure.ratio <= target
        missed += not ok
        print(
            f"{name:38} {figure.wall:6.2f}s wall {figure.cpu:6.2f}s cpu  "
            f"bare {figure.bare:6.2f}s  {figure.ratio:5.2f}x (cpu {figure.cpu_ratio:5.2f}x)  "
            f"target <= {target}x  {'ok' if ok else 'MISSED'}"
        )
    mem_ratio = audit_rss / bare_rss
    missed += mem_ratio > 1.5
    print(
        f"{'peak memory of cold audit':40} {audit_rss:7.0f} MB vs {bare_rss:.0f} MB  "
        f"{mem_ratio:5.2f}x  target <= 1.5x  {'ok' if mem_ratio <= 1.5 else 'MISSED'}"
    )
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
