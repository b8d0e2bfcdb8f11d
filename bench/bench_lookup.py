"""Benchmark of the lookup layer: the pool against loopback WHOIS servers, the cache, a
sequential python-whois baseline, and the parser's accuracy on the corpus.

    python bench/bench_lookup.py [--output FILE]

Everything runs on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from socialgov.lookup.pool import lookup_many  # noqa: E402
from socialgov.lookup.settings import LookupSettings  # noqa: E402
from socialgov.lookup.whois import query_whois  # noqa: E402
from tests.lookup.lookup_corpus import load_expected, score  # noqa: E402
from tests.lookup.loopback import WhoisServerThread  # noqa: E402

DOMAINS = 120
SERVERS = 2
PER_SERVER = 4
DELAY_S = 0.050


def answer(query: str) -> bytes:
    name = query.upper()
    return (
        f"Domain Name: {name}\nRegistry Domain ID: 1_DOMAIN-BENCH\nRegistrar: Bench Registrar, Inc.\n"
        f"Creation Date: 2001-02-03T04:05:06Z\nRegistry Expiry Date: 2031-02-03T04:05:06Z\n"
        f"Name Server: NS1.{name}\nName Server: NS2.{name}\n"
    ).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    args = parser.parse_args()

    tlds = [f"b{i}" for i in range(SERVERS)]
    servers = [WhoisServerThread(answer, delay=DELAY_S) for _ in tlds]
    try:
        domains = [f"domain{i:03d}.{tlds[i % SERVERS]}" for i in range(DOMAINS)]
        settings = LookupSettings(
            order=("whois",),
            timeout_s=5,
            concurrency=SERVERS * PER_SERVER,
            per_server=PER_SERVER,
            cache_hours=24,
            whois_servers={tld: s.label for tld, s in zip(tlds, servers, strict=True)},
            iana_whois="127.0.0.1:9",
        )
        now = datetime.now(UTC)
        with tempfile.TemporaryDirectory() as cache:
            started = time.perf_counter()
            first = lookup_many(domains, settings, cache_dir=Path(cache), now=now)
            pool_s = time.perf_counter() - started
            sent = sum(s.counter.total for s in servers)
            started = time.perf_counter()
            lookup_many(domains, settings, cache_dir=Path(cache), now=now + timedelta(hours=1))
            cached_s = time.perf_counter() - started
            resent = sum(s.counter.total for s in servers) - sent
        ok = sum(o.registered is True for o in first)
        peaks = [s.counter.peak for s in servers]

        from whois.parser import WhoisEntry

        started = time.perf_counter()
        baseline_ok = 0
        for name in domains:
            server = servers[tlds.index(name.rsplit(".", 1)[1])]
            text = query_whois("127.0.0.1", server.port, name, timeout=5).decode()
            entry = WhoisEntry.load(name, text)
            baseline_ok += bool(entry.get("registrar"))
        baseline_s = time.perf_counter() - started
    finally:
        for s in servers:
            s.close()

    ideal_s = DOMAINS / (SERVERS * PER_SERVER) * DELAY_S
    entries = load_expected()
    cold = score(entries)  # includes the one-time import of python-whois
    accuracy = score(entries)
    slowest_file, slowest_s = max(accuracy.parse_seconds.items(), key=lambda kv: kv[1])

    report = f"""# Lookup benchmark

Measured {datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")} on {platform.node() or "unknown host"}:
{os.cpu_count()} CPUs (nproc), Python {platform.python_version()}, {platform.system()} {platform.release()}.
Run with `python bench/bench_lookup.py`; every server is a loopback thread on 127.0.0.1.

## Pool against loopback WHOIS servers

{DOMAINS} domains over {SERVERS} WHOIS servers that answer after {DELAY_S * 1000:.0f} ms,
`per_server = {PER_SERVER}`, `concurrency = {SERVERS * PER_SERVER}`.

| measure | value |
| --- | ---: |
| ideal schedule ({DOMAINS}/({SERVERS}×{PER_SERVER}) × {DELAY_S * 1000:.0f} ms) | {ideal_s * 1000:.0f} ms |
| `lookup_many` wall time | {pool_s * 1000:.0f} ms ({pool_s / ideal_s:.2f}× ideal) |
| registered observations | {ok} / {DOMAINS} |
| most connections at once, per server (counted in the server) | {", ".join(map(str, peaks))} (limit {PER_SERVER}) |
| queries sent by a second run within `cache_hours` | {resent} |
| second run wall time (cache only) | {cached_s * 1000:.0f} ms |
| baseline: sequential `query_whois` + python-whois `WhoisEntry.load` | {baseline_s * 1000:.0f} ms ({baseline_s / pool_s:.1f}× slower than the pool; {baseline_ok} registrars read) |

## Parser accuracy on the corpus

{len(entries)} answers (`tests/data/whois-corpus`), fields compared where `checked_fields` names them;
`registrar_alternatives` count as correct.

{accuracy.table()}

Slowest parse: {slowest_s * 1000:.1f} ms (`{slowest_file}`); budget 200 ms per answer
({max(cold.parse_seconds.values()) * 1000:.1f} ms on the first pass, which imports python-whois).
{"Misses:" if accuracy.misses else "No misses."}
{chr(10).join("- " + m for m in accuracy.misses)}
"""
    if args.output is not None:
        args.output.write_text(report, "utf-8")
    print(report)
    failures = []
    if pool_s > 2 * ideal_s + 0.5:
        failures.append(
            f"pool took {pool_s:.2f} s, more than 2× the ideal {ideal_s:.2f} s plus start-up"
        )
    if max(peaks) > PER_SERVER:
        failures.append(f"a server saw {max(peaks)} connections at once (limit {PER_SERVER})")
    if resent:
        failures.append(f"the cached run sent {resent} queries")
    for line in failures:
        print(f"FAIL: {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
