"""Benchmark CI mode and history: `check --base` against a plain audit, and `history` in a long repo.

    python bench/bench_check.py [--assets 10000] [--people 2000] [--commits 5000] [--runs 5]

1. A 10,000-asset registry in git; the working tree changes one asset file. `socialgov check
   --base HEAD` (audits the working tree and HEAD read from git objects) must cost at most
   1.2x `socialgov audit` (whole processes, run in turn, the median of their ratios; parse
   caches warm). Before each run a scratch file in the registry is rewritten, so that
   neither command is answered from its output memo: this measures the work, not the memo.
2. A repository with 5,000 commits (built with git fast-import) that touch random assets;
   `socialgov history ID` on an asset changed in 50 of them must take under 1 s.
Exits non-zero if a target is missed.
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
from generate import SCRATCH, bypass_output_memo, generate, git_commit

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "SOCIALGOV_TODAY": "2026-11-23",
}


def socialgov() -> str:
    return str(Path(sys.executable).parent / "socialgov")


def timed(command: list[str], cwd: Path, runs: int) -> float:
    """Median wall time of `command` (after a warm-up run)."""
    return statistics.median(interleaved([command], cwd, runs, computed=False)[0])


def interleaved(
    commands: list[list[str]], cwd: Path, runs: int, *, computed: bool = True
) -> list[list[float]]:
    """Wall times of each command, run in turn `runs` times after a warm-up of each, so that
    a drifting machine load weighs on all alike. `computed`: a file of the registry changed
    before each run, so that none is answered from its output memo (registry/output_memo.py)."""
    for command in commands:
        subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=False)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, spent in zip(commands, times, strict=True):
            if computed:
                bypass_output_memo(cwd)
            started = time.perf_counter()
            proc = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=False)
            spent.append(time.perf_counter() - started)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(command)} failed: {proc.stderr.decode()[-500:]}")
    return times


def build_history(root: Path, commits: int, target: str) -> int:
    """Append `commits` commits, each rewriting one asset file; every 100th touches `target`."""
    files = sorted(str(p.relative_to(root)) for p in (root / "assets").rglob("*.toml"))
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    stream = bytearray()
    when = 1_700_000_000
    for n in range(commits):
        path = target if n % 100 == 0 else files[(n * 7919) % len(files)]
        text = (root / path).read_text() + f"# edit {n}\n"
        message = f"edit {path}".encode()
        stream += b"commit refs/heads/main\n"
        stream += b"committer Bench <bench@example.com> %d +0000\n" % (when + n * 600)
        stream += b"data %d\n%b\n" % (len(message), message)
        if n == 0:
            stream += b"from %b\n" % head.encode()
        data = text.encode()
        stream += b"M 100644 inline %b\ndata %d\n%b\n" % (path.encode(), len(data), data)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=bytes(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True)
    return commits // 100 + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--commits", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    ok = True
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="socialgov-bench-check-") as tmp:
        root = Path(tmp) / "registry"
        generate(root, args.assets, args.people, seed=3)
        subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=ENV)
        git_commit(root)
        changed = sorted((root / "assets/blogs").glob("*.toml"))[0]
        changed.write_text(changed.read_text().replace("owners = [", 'owners = ["ghost", '))
        sg = socialgov()
        audits, checks = interleaved(
            [
                [sg, "audit", "--format", "json", "--fail-on", "none"],
                [sg, "check", "--base", "HEAD", "--format", "json", "--fail-on", "none"],
            ],
            root,
            args.runs,
        )
        audit, check = statistics.median(audits), statistics.median(checks)
        ratio = statistics.median(c / a for a, c in zip(audits, checks, strict=True))
        ok &= ratio <= 1.2
        print(f"audit --format json            {audit:6.2f} s")
        print(f"check --base HEAD --format json {check:6.2f} s   ratio {ratio:.2f} (target <= 1.2)")

        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=root, check=True)
        (root / SCRATCH).unlink()
        target = sorted((root / "assets/domains").glob("*.toml"))[0]
        touched = build_history(root, args.commits, str(target.relative_to(root)))
        total = subprocess.run(
            ["git", "rev-list", "--count", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        asset = "domain:" + target.stem
        history = timed([sg, "history", asset, "--format", "json"], root, args.runs)
        ok &= history < 1.0
        print(
            f"history {asset} ({total} commits, {touched} touch it)  {history:6.2f} s (target < 1 s)"
        )
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
