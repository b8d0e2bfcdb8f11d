"""Benchmark the roster feeds end to end: `people import` and `people sync` (LDAP).

    python bench/bench_roster.py [--people 20000] [--ldap 5000] [--runs 3]

1. A registry whose people.toml holds --people people, and an export of the same size (a
   BambooHR-style file with 1% leavers, 1% department moves, 0.5% new hires and 0.5%
   future termination dates). Times a whole `people import` process (read, plan, write,
   one commit): cold (no parse cache, as in a fresh clone) and with the cache the cold
   run left; then a second run of the same file (no commit; must be no slower).
2. OpenLDAP's slapd on 127.0.0.1 with --ldap entries (tests/roster/servers.py), and a
   registry with none of them: times `people sync` (paged search, 5,000 people added, one
   commit), then a second sync that changes nothing.

Prints a table with each figure beside its target; exits 1 when a target is missed.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-23"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def socialgov() -> str:
    return str(Path(sys.executable).parent / "socialgov")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, env=ENV
    ).stdout


CPU: list[float] = []  # user + system seconds of each run, beside its wall time
CPU_MEDIANS: list[float] = []
COLD: list[tuple[float, float]] = []  # the first import with no parse cache: wall, CPU


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [socialgov(), "--registry", str(root), "--today", TODAY, *args],
        capture_output=True,
        text=True,
        env={**ENV, **(env or {})},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"socialgov {' '.join(args)} failed:\n{proc.stderr}")
    return wall


def make_registry(root: Path, people: str, settings: str = "") -> None:
    root.mkdir(parents=True)
    (root / "socialgov.toml").write_text(
        '[organization]\nname = "Example Corp"\nemail_domains = ["example.com"]\n\n'
        "[policy]\nfiles = []\n" + settings
    )
    (root / "people.toml").write_text(people)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "registry")


def roster_and_export(count: int) -> tuple[str, str]:
    departments = ("Marketing", "Sales", "IT", "Support", "Finance")
    toml: list[str] = []
    rows = [
        "Employee #,First Name,Last Name,Work Email,Status,Department,Supervisor Email,Termination Date"
    ]
    for n in range(count):
        handle = f"person{n:05}"
        department = departments[n % 5]
        manager = "person00000" if n else ""
        toml.append(
            f'[people.{handle}]\nname = "Person {n:05}"\nemail = "{handle}@example.com"\n'
            f'status = "active"\ndepartment = "{department}"\nemployee_id = "{10000 + n}"\n'
            + (f'manager = "{manager}"\n' if manager else "")
            + "\n"
        )
        status, ending = "Active", "0000-00-00"
        if n % 100 == 1:
            status, ending = "Terminated", "11/02/2026"
        elif n % 100 == 2:
            department = departments[(n + 1) % 5]
        elif n % 200 == 3:
            ending = "12/01/2026"  # leaving soon
        boss = f"{manager}@example.com" if manager else ""
        rows.append(
            f"{10000 + n},Person,{n:05},{handle}@example.com,{status},{department},{boss},{ending}"
        )
    for n in range(count, count + count // 200):
        rows.append(
            f"{10000 + n},Person,{n:05},person{n:05}@example.com,Active,Sales,"
            f"person00000@example.com,0000-00-00"
        )
    return "".join(toml), "\n".join(rows) + "\n"


def bench_import(workdir: Path, count: int, runs: int) -> tuple[float, float, bool]:
    people, export = roster_and_export(count)
    csv_file = workdir / "bamboohr.csv"
    csv_file.write_text(export)
    root = workdir / "import"
    make_registry(root, people)
    initial = git(root, "rev-parse", "HEAD").strip()
    command = ["people", "import", str(csv_file), "--preset", "bamboohr", "--format", "json"]
    run(root, *command, "--dry-run")  # warm-up: page cache, .pyc files
    # Cold: as in a fresh clone or CI checkout, no parse cache (.socialgov/cache).
    cold: list[float] = []
    for _ in range(runs):
        git(root, "reset", "-q", "--hard", initial)
        shutil.rmtree(root / ".socialgov", ignore_errors=True)
        cold.append(run(root, *command))
    COLD.append((statistics.median(cold), statistics.median(CPU[-runs:])))
    first: list[float] = []
    for _ in range(runs):
        git(root, "reset", "-q", "--hard", initial)
        first.append(run(root, *command))
    CPU_MEDIANS.append(statistics.median(CPU[-runs:]))
    changed = git(root, "rev-parse", "HEAD").strip()
    second = [run(root, *command) for _ in range(runs)]
    CPU_MEDIANS.append(statistics.median(CPU[-runs:]))
    no_commit = git(root, "rev-parse", "HEAD").strip() == changed != initial
    return statistics.median(first), statistics.median(second), no_commit


def bench_sync(workdir: Path, count: int, runs: int) -> tuple[float, float] | None:
    from tests.roster.servers import (
        BIND_DN,
        BIND_PASSWORD,
        SLAPADD,
        SLAPD,
        STAFF,
        DirectoryPerson,
        Slapd,
        ldif,
    )

    if SLAPD is None or SLAPADD is None:
        print("slapd is not installed: the LDAP benchmark is skipped")
        return None
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    tls = {k: workdir / f"{k}.pem" for k in ("ca", "cert", "key")}
    ca.cert_pem.write_to_path(str(tls["ca"]))
    cert.cert_chain_pems[0].write_to_path(str(tls["cert"]))
    cert.private_key_pem.write_to_path(str(tls["key"]))
    people = [DirectoryPerson("boss", "The Boss", "Executive")] + [
        DirectoryPerson(f"user{n:05}", f"User {n:05}", "Sales", "boss", disabled=n % 50 == 7)
        for n in range(1, count)
    ]
    server = Slapd(workdir / "slapd", ldif(people), cert=tls["cert"], key=tls["key"], ca=tls["ca"])
    try:
        settings = (
            f'\n[people_source]\nkind = "ldap"\nurl = "{server.url}"\nbase_dn = "{STAFF}"\n'
            f'bind_dn = "{BIND_DN}"\npassword_env = "SOCIALGOV_LDAP_PASSWORD"\npage_size = 1000\n'
        )
        env = {"SOCIALGOV_LDAP_PASSWORD": BIND_PASSWORD}
        root = workdir / "sync"
        make_registry(root, "", settings)
        initial = git(root, "rev-parse", "HEAD").strip()
        run(root, "people", "sync", "--dry-run", env=env)  # warm-up
        first: list[float] = []
        for _ in range(runs):
            git(root, "reset", "-q", "--hard", initial)
            first.append(run(root, "people", "sync", env=env))
        CPU_MEDIANS.append(statistics.median(CPU[-runs:]))
        second = [run(root, "people", "sync", env=env) for _ in range(runs)]
        CPU_MEDIANS.append(statistics.median(CPU[-runs:]))
        return statistics.median(first), statistics.median(second)
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--ldap", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    missed = False
    with tempfile.TemporaryDirectory(prefix="socialgov-bench-roster-") as tmp:
        first, second, no_commit = bench_import(Path(tmp), args.people, args.runs)
        synced = bench_sync(Path(tmp), args.ldap, args.runs) if args.ldap else None
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average at start {load:.1f}\n"
    )
    print("| measure | wall s (median) | CPU s (median) | target | |\n|---|---|---|---|---|")
    rows = [
        (f"people import, {args.people:,}-row export into {args.people:,} people", first, 3.0),
        ("people import, second run of the same file (no commit)", second, first),
    ]
    if synced is not None:
        rows += [
            (f"people sync, {args.ldap:,} LDAP entries into an empty roster", synced[0], 5.0),
            ("people sync, second run (nothing changes)", synced[1], 5.0),
        ]
    cold_wall, cold_cpu = COLD[0]
    print(
        f"| people import as above, cold (no .socialgov/cache, as in a fresh clone) "
        f"| {cold_wall:.2f} | {cold_cpu:.2f} | ≤ 3.00 | {'met' if cold_wall <= 3.0 else 'MISSED'} |"
    )
    missed |= cold_wall > 3.0
    for (name, value, target), cpu in zip(rows, CPU_MEDIANS, strict=False):
        ok = value <= target * 1.05 if "second" in name and target != 5.0 else value <= target
        missed |= not ok
        print(
            f"| {name} | {value:.2f} | {cpu:.2f} | ≤ {target:.2f} | {'met' if ok else 'MISSED'} |"
        )
    print(
        f"\nsecond import made no commit: {no_commit}; load average at the end {os.getloadavg()[0]:.1f}"
    )
    missed |= not no_commit
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
