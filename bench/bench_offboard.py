"""Benchmark `socialgov offboard` end to end on a large registry.

    python bench/bench_offboard.py [--assets 10000] [--owned 1000] [--runs 3] [--keep DIR]

Generates a synthetic registry with bench/generate.py, makes one active person (with an
active manager) the accountable owner of --owned assets, commits it, then times whole
`socialgov offboard PERSON` processes (plan, file edits and the git commit), resetting
the repository between runs. Also times the parts, to say where the time goes:

- `offboard --dry-run` (start-up, loading the registry, planning);
- in-process: load, plan, and rendering every edited file (offboard.py's own work);
- the commit's two costs as vcs.Repo.commit pays them today — one git object write per
  file through GitPython, one fsync per written file — against one batched
  `git hash-object -w --stdin-paths` and un-synced writes plus a single `os.sync()`.

Prints a table; exits 1 when the end-to-end median misses --target seconds (3.0).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate, git_commit

TODAY = "2026-11-23"


def socialgov() -> str:
    return str(Path(sys.executable).parent / "socialgov")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def timed(args: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall and CPU (user + system of the child and its children) seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def pick_leaver(root: Path) -> str:
    """An active person whose manager is active too, so every asset has a successor."""
    import tomllib

    people = tomllib.loads((root / "people.toml").read_text())["people"]
    for handle, entry in people.items():
        manager = people.get(entry.get("manager", ""), {})
        if entry.get("status") == "active" and manager.get("status") == "active":
            return handle
    raise SystemExit("no active person with an active manager in the synthetic roster")


_OWNERS = re.compile(r"^owners = \[(.*)\]$", re.MULTILINE)


def give_assets(root: Path, handle: str, count: int) -> int:
    """Make `handle` the accountable owner of `count` assets spread over the registry."""
    files = sorted((root / "assets").rglob("*.toml"))
    step = max(1, len(files) // count)
    changed = 0
    for path in files[::step][:count]:
        text = path.read_text(encoding="utf-8")
        match = _OWNERS.search(text)
        if match is None:
            continue
        others = [o.strip() for o in match.group(1).split(",") if o.strip()]
        others = [o for o in others if o != f'"{handle}"']
        line = "owners = [" + ", ".join([f'"{handle}"', *others]) + "]"
        path.write_text(text[: match.start()] + line + text[match.end() :], encoding="utf-8")
        changed += 1
    return changed


def in_process_parts(root: Path, handle: str) -> dict[str, float]:
    from socialgov.offboard import apply_plan, plan_with_observations
    from socialgov.registry.load import load_registry

    started = time.perf_counter()
    registry = load_registry(root)
    loaded = time.perf_counter()
    plan = plan_with_observations(root, registry, handle, None, date.fromisoformat(TODAY))
    planned = time.perf_counter()

    class Sink:
        def write(self, rel: str, data: bytes) -> None:
            pass

    apply_plan(Sink(), registry, plan)
    applied = time.perf_counter()
    return {
        "load registry": loaded - started,
        "plan (incl. observation scan)": planned - loaded,
        "render edited files": applied - planned,
        "files": float(len(plan.edits) + 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--owned", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--target", type=float, default=3.0)
    parser.add_argument("--keep", type=Path, help="build the registry here and keep it")
    args = parser.parse_args(argv)

    holder = tempfile.TemporaryDirectory(prefix="socialgov-bench-offboard-")
    root = (args.keep or Path(holder.name) / "registry").resolve()
    generate(root, args.assets, args.people, seed=7)
    handle = pick_leaver(root)
    owned = give_assets(root, handle, args.owned)
    git_commit(root)
    git(root, "config", "user.name", "Bench")
    git(root, "config", "user.email", "bench@example.com")
    initial = git(root, "rev-parse", "HEAD").strip()
    load = os.getloadavg()[0]
    print(f"registry: {args.assets} assets, {args.people} people; {handle} owns {owned}")

    command = [socialgov(), "--today", TODAY, "offboard", handle, "--format", "json"]
    timed([*command, "--dry-run"], root)  # warm-up: page cache, .pyc files
    dry = [timed([*command, "--dry-run"], root)[:2] for _ in range(args.runs)]
    full: list[tuple[float, float]] = []
    for _ in range(args.runs):
        wall, cpu, proc = timed(command, root)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 2
        full.append((wall, cpu))
        git(root, "reset", "-q", "--hard", initial)
    parts = in_process_parts(root, handle)

    end_to_end = statistics.median(w for w, _ in full)
    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"load average at start: {load:.1f}\n")
    print("| measure | wall s (median) | CPU s (median) |\n|---|---|---|")
    print(
        f"| offboard, end to end | {end_to_end:.2f} | {statistics.median(c for _, c in full):.2f} |"
    )
    print(
        f"| offboard --dry-run | {statistics.median(w for w, _ in dry):.2f} "
        f"| {statistics.median(c for _, c in dry):.2f} |"
    )
    for name, value in parts.items():
        if name != "files":
            print(f"| in process: {name} | {value:.2f} | |")
    verdict = "met" if end_to_end <= args.target else "MISSED"
    print(f"\ntarget {args.target:.1f} s end to end: {verdict}")
    holder.cleanup()
    return 0 if end_to_end <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
