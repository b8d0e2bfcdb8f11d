"""Benchmark `socialgov notify`: computing the digests, and sending them over loopback SMTP.

    python bench/bench_notify.py [--assets 10000] [--people 2000] [--runs 3] [--send 500]

1. Generates a registry with bench/generate.py and times whole processes, median of --runs
   after one warm-up: `audit --format json --fail-on none` and `notify --dry-run --format
   json` (the audit, the deadlines, routing, the record and every digest). Target: notify
   at most 1.5x audit. The machine is shared, so CPU time (user + system of the process)
   decides; wall time is printed beside it.
2. Sends --send digests of that registry to an aiosmtpd server on 127.0.0.1 through the
   code `notify` uses (render, compose, one SMTP connection) and writes the sent record.
   Target: 500 digests in at most 10 s (CPU of the process, the SMTP server's thread
   included; wall printed beside it).

Prints a table; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import bypass_output_memo, generate, git_commit

TODAY = "2026-11-23"
RATIO_TARGET = 1.5
SEND_TARGET_S = 10.0


def entry_point() -> str:
    candidate = Path(sys.executable).parent / "socialgov"
    return str(candidate) if candidate.exists() else "socialgov"


def timed(args: list[str], runs: int, cwd: Path) -> tuple[float, float]:
    """Median wall and CPU seconds of `runs` runs after one warm-up (each run does its work:
    `audit` would otherwise print its memo of the last run's output)."""
    env = {**os.environ, "SOCIALGOV_TODAY": TODAY}
    walls, cpus = [], []
    for n in range(runs + 1):
        bypass_output_memo(cwd)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, env=env, cwd=cwd)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.decode()[-2000:]}")
        if n:
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def send(root: Path, count: int) -> tuple[float, float, int]:
    """Send `count` digests to a loopback aiosmtpd server the way notify does: wall seconds,
    CPU seconds of this process (the server's thread included), messages received."""
    from socialgov.notify.plan import NotifyPlan, updated_record
    from socialgov.notify.record import dump_record, parse_record
    from socialgov.notify.run import NotifyResult, _plan, _send_mail
    from socialgov.notify.settings import NotifySettings
    from socialgov.registry.store import load_current
    from tests.notify.servers import SmtpServer

    server = SmtpServer(parse=False)
    try:
        registry = load_current(root)
        settings = NotifySettings(
            sender="socialgov@example.com", smtp=server.smtp, allow_private=True
        )
        registry = replace(registry, settings=replace(registry.settings, notify=settings))
        today = date.fromisoformat(TODAY)
        planned, record = _plan(registry, today, parse_record(None), None)
        if len(planned.digests) < count:
            raise SystemExit(f"only {len(planned.digests)} digests; generate more assets")
        planned = NotifyPlan(
            today=today, digests=planned.digests[:count], channels=(), unrouted=(),
            open=planned.open,
        )  # fmt: skip
        result = NotifyResult(plan=planned, dry_run=False)
        start, cpu = time.perf_counter(), time.process_time()
        _send_mail(registry, planned, record, today, os.environ, result)
        delivered = {d.to for d in result.sent}
        dump_record(updated_record(record, planned, delivered, today))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        deadline = time.monotonic() + 10
        while len(server.inbox.messages) < len(delivered) and time.monotonic() < deadline:
            time.sleep(0.05)
        return elapsed, cpu, len(server.inbox.messages)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--send", type=int, default=500)
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "registry"
        if not (root / "socialgov.toml").exists():
            generate(root, args.assets, args.people)
            git_commit(root)
        sg = entry_point()
        audit_wall, audit_cpu = timed(
            [sg, "audit", "--format", "json", "--fail-on", "none"], args.runs, root
        )
        notify_wall, notify_cpu = timed(
            [sg, "--quiet", "notify", "--dry-run", "--format", "json"], args.runs, root
        )
        send_s, send_cpu, received = send(root, args.send)

    ratio = notify_cpu / audit_cpu
    rows = [
        ("audit --format json (CPU / wall)", f"{audit_cpu:.2f} s / {audit_wall:.2f} s", ""),
        (
            "notify --dry-run --format json (CPU / wall)",
            f"{notify_cpu:.2f} s / {notify_wall:.2f} s",
            "",
        ),
        ("notify / audit (CPU)", f"{ratio:.2f}x", f"<= {RATIO_TARGET}x"),
        (
            f"send {args.send} digests over loopback SMTP (CPU / wall)",
            f"{send_cpu:.2f} s / {send_s:.2f} s ({received} received)",
            f"<= {SEND_TARGET_S:.0f} s",
        ),
    ]
    print(
        f"socialgov notify benchmark: {args.assets} assets, {args.people} people, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {date.today()}"
    )
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"  {name:<{width}}  {value:>26}  {target}")
    # CPU decides on a shared machine: wall time there measures the other tenants
    ok = ratio <= RATIO_TARGET and send_cpu <= SEND_TARGET_S and received == args.send
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
