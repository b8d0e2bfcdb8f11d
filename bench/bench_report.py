"""Benchmark `socialgov report --html` on a large registry with two years of history.

    python bench/bench_report.py [--assets 10000] [--people 2000] [--commits 500] [--runs 3]

Writes a synthetic registry (bench/generate.py), then builds a history for it with
`git fast-import`: a first commit 24 months before today holding ~80% of the assets and a
roster where nobody has left yet, then --commits commits spread evenly over the two years
that add the remaining assets, hand assets over to their final owners and let people
depart one by one, ending exactly at the generated registry. Times the whole command as
a user runs it (median of --runs after one warm-up), and where the time goes in-process.
Exits 1 when the median exceeds --target seconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import TODAY, generate

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
_OWNERS_LINE = re.compile(r"^owners = .*$", re.M)


def _read_tree(root: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(root.rglob("*.toml")):
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def _people_variants(text: str) -> tuple[str, list[str], dict[str, tuple[str, str]]]:
    """Split people.toml into blocks; for each departed person, their final and still-active block."""
    head, *rest = text.split("\n[")
    blocks = ["\n[" + part for part in rest]
    departed: dict[str, tuple[str, str]] = {}
    for block in blocks:
        if 'status = "departed"' in block:
            key = block.strip().splitlines()[0]
            active = block.replace('status = "departed"', 'status = "active"')
            active = re.sub(r"(?m)^departed_on = .*\n?", "", active)
            departed[key] = (block, active)
    return head, blocks, departed


def build_history(root: Path, commits: int, seed: int = 7) -> int:
    """Commit the generated registry as two years of history; return the number of commits made."""
    rng = random.Random(seed)
    final = _read_tree(root)
    head, blocks, departed = _people_variants(final["people.toml"].decode())
    not_yet = set(departed)

    def people() -> bytes:
        out = [head]
        for block in blocks:
            key = block.strip().splitlines()[0]
            out.append(departed[key][1] if key in not_yet else block)
        return "".join(out).encode()

    assets = [rel for rel in final if rel.startswith("assets/")]
    rng.shuffle(assets)
    added_later = assets[: len(assets) // 5]
    handles = re.findall(r"(?m)^\[people\.\"?([^\]\"]+)\"?\]", final["people.toml"].decode())
    handed_over = assets[len(added_later) : len(added_later) + len(assets) // 6]
    start: dict[str, bytes] = {rel: data for rel, data in final.items() if rel not in added_later}
    for rel in handed_over:
        text = final[rel].decode()
        start[rel] = _OWNERS_LINE.sub(f'owners = ["{rng.choice(handles)}"]', text, 1).encode()
    start["people.toml"] = people()

    events: list[tuple[str, str]] = (
        [("add", rel) for rel in added_later]
        + [("hand-over", rel) for rel in handed_over]
        + [("depart", key) for key in departed]
    )
    rng.shuffle(events)
    per_commit = [events[i::commits] for i in range(commits)]

    first_day = datetime(TODAY.year - 2, TODAY.month, 1, 9, tzinfo=UTC)
    span = datetime(TODAY.year, TODAY.month, TODAY.day, 9, tzinfo=UTC) - first_day
    stream: list[bytes] = []

    def commit(when: datetime, message: str, files: dict[str, bytes], parent: bool) -> None:
        stamp = f"{int(when.timestamp())} +0000"
        msg = message.encode()
        stream.append(
            b"commit refs/heads/main\n"
            + f"author Bench <bench@example.com> {stamp}\n".encode()
            + f"committer Bench <bench@example.com> {stamp}\n".encode()
            + f"data {len(msg)}\n".encode()
            + msg
            + b"\n"
            + b""
        )
        for rel, data in sorted(files.items()):
            stream.append(f"M 100644 inline {rel}\ndata {len(data)}\n".encode() + data + b"\n")
        stream.append(b"\n")

    commit(first_day, "synthetic registry: first import", start, parent=False)
    for index, batch in enumerate(per_commit, start=1):
        when = first_day + span * index / (commits + 1)
        changed: dict[str, bytes] = {}
        for kind, item in batch:
            if kind == "depart":
                not_yet.discard(item)
                changed["people.toml"] = people()
            else:
                changed[item] = final[item]
        commit(when, f"change {index}: {len(batch)} edits", changed, parent=True)
    if not_yet:
        raise AssertionError("history does not end at the generated registry")

    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=env, check=True)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=root, env=env, check=True, input=b"".join(stream)
    )
    subprocess.run(["git", "reset", "-q"], cwd=root, env=env, check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, env=env, check=True, capture_output=True
    )
    if status.stdout.strip():
        raise AssertionError("the working tree differs from the last commit")
    return commits + 1


def _socialgov() -> str:
    candidate = Path(sys.executable).parent / "socialgov"
    return str(candidate) if candidate.exists() else "socialgov"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def breakdown(root: Path, months: int) -> dict[str, float]:
    """Where one in-process report spends its time, one part after the other (the command
    replays the history in a forked child while it audits and gathers)."""
    from socialgov.htmlreport.data import gather
    from socialgov.htmlreport.history import monthly_history
    from socialgov.htmlreport.render import render_html
    from socialgov.policy.findings_memo import audit_remembering
    from socialgov.policy.inputs import working_tree_inputs
    from socialgov.registry.load import load_observations, load_registry

    times: dict[str, float] = {}
    times["load registry"], registry = _timed(lambda: load_registry(root))
    times["load observations"], observations = _timed(lambda: load_observations(root))
    times["audit (with its findings memo)"], result = _timed(
        lambda: audit_remembering(
            root, working_tree_inputs(registry, observations=observations), today=TODAY
        )
    )
    times[f"history ({months} months, beside the audit)"], history = _timed(
        lambda: monthly_history(root, today=TODAY, months=months, seed=registry)
    )
    times["gather figures"], data = _timed(
        lambda: gather(registry, observations, result.findings, today=TODAY, history=history)
    )
    times["render HTML"], page = _timed(lambda: render_html(data))
    times["_findings"] = float(len(result.findings))
    times["_gaps"] = float(len(history.gaps))
    times["_bytes"] = float(len(page.encode()))
    return times


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {git}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--target", type=float, default=10.0, help="seconds")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="socialgov-bench-report-") as tmp:
        root = Path(tmp) / "registry"
        setup, _ = _timed(lambda: generate(root, args.assets, args.people, seed=1))
        history_setup, made = _timed(lambda: build_history(root, args.commits))
        print(
            f"setup: {args.assets} assets, {args.people} people in {setup:.1f}s; "
            f"{made} commits in {history_setup:.1f}s",
            file=sys.stderr,
        )
        out = Path(tmp) / "report.html"
        command = [
            _socialgov(),
            "--registry",
            str(root),
            "--today",
            TODAY.isoformat(),
            "--quiet",
            "report",
            "--html",
            str(out),
            "--months",
            str(args.months),
        ]
        times = []
        cpu_times = []
        for run in range(args.runs + 1):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            proc = subprocess.run(command, capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 2
            if run:
                times.append(elapsed)
                cpu_times.append(cpu)
        median = statistics.median(times)
        parts = breakdown(root, args.months)

    print(f"machine: {_machine()}")
    print(f"date: {date.today().isoformat()}")
    print(
        f"registry: {args.assets} assets, {args.people} people, {made} commits over 24 months, "
        f"{int(parts['_findings'])} findings"
    )
    print(
        f"socialgov report --html --months {args.months}: median {median:.2f}s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}), page {parts['_bytes'] / 1e6:.1f} MB, "
        f"{int(parts['_gaps'])} gap months"
    )
    print(
        f"  CPU time (user+sys, socialgov and git): median {statistics.median(cpu_times):.2f}s; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    for name, seconds in parts.items():
        if not name.startswith("_"):
            print(f"  {name:<22} {seconds:6.2f}s")
    ok = median <= args.target
    print(f"target: under {args.target:.0f}s — {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
