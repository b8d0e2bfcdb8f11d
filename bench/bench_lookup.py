"""Benchmark of the lookup layer: the pool against loopback WHOIS servers, the cache, a
sequential python-whois baseline, and the parser's accuracy on the corpus.

    python bench/bench_lookup.py [--output FILE] [--parser-only]

`--parser-only` runs only the parser part: accuracy per field on the corpus and the
distribution of parse times, each figure beside its target (issue 15).

Everything runs on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from socialgov.lookup.parse import parse_rdap, parse_whois  # noqa: E402
from socialgov.lookup.pool import lookup_many  # noqa: E402
from socialgov.lookup.settings import LookupSettings  # noqa: E402
from socialgov.lookup.whois import query_whois  # noqa: E402
from tests.lookup.lookup_corpus import CORPUS, FIELDS, load_expected, observe, score  # noqa: E402
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
    parser.add_argument(
        "--parser-only", action="store_true", help="only the parser's accuracy and parse times"
    )
    args = parser.parse_args()
    if args.parser_only:
        text, failures = parser_report()
        report = f"# Parser benchmark\n\n{_machine()}\n\n{text}"
        if args.output is not None:
            args.output.write_text(report, "utf-8")
        print(report)
        for line in failures:
            print(f"FAIL: {line}", file=sys.stderr)
        return 1 if failures else 0

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
    parser_text, parser_failures = parser_report()

    report = f"""# Lookup benchmark

{_machine()}
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

{parser_text}"""
    if args.output is not None:
        args.output.write_text(report, "utf-8")
    print(report)
    failures = list(parser_failures)
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


def _machine() -> str:
    return (
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on "
        f"{platform.node() or 'unknown host'}: {os.cpu_count()} CPUs (nproc), Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}, load average "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at the start."
    )


PARSE_BUDGET_S = 0.050  # issue 15: no answer slower than 50 ms to parse
ROUNDS = 5


def _cpu_seconds(entry: dict[str, object]) -> float:
    """CPU seconds of one parse of a corpus answer."""
    raw = (CORPUS / str(entry["file"])).read_bytes()
    domain = str(entry["domain"])
    started = time.process_time()
    if entry["protocol"] == "rdap":
        parse_rdap(domain, raw)
    else:
        parse_whois(domain, raw)
    return time.process_time() - started


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def parser_report() -> tuple[str, list[str]]:
    """Accuracy per field on the corpus, "not found" and registered recognition, and the
    distribution of parse times (median of ROUNDS parses per answer, after a warm-up pass
    that imports python-whois)."""
    entries = load_expected()
    started = time.perf_counter()
    score(entries)  # warm-up: imports, caches
    first_pass_s = time.perf_counter() - started
    accuracy = score(entries)
    per_file = {
        e["file"]: statistics.median(_cpu_seconds(e) for _ in range(ROUNDS)) for e in entries
    }
    wall = {e["file"]: statistics.median(observe(e)[1] for _ in range(ROUNDS)) for e in entries}
    times = list(per_file.values())
    slowest_file, slowest_s = max(per_file.items(), key=lambda kv: kv[1])
    over = sorted(f for f, t in per_file.items() if t > PARSE_BUDGET_S)
    unregistered = [e for e in entries if e["registered"] is False]
    registered = [e for e in entries if e["registered"] is True]
    observed = {e["file"]: observe(e)[0] for e in entries}
    nf_ok = sum(observed[e["file"]].registered is False for e in unregistered)
    reg_ok = sum(observed[e["file"]].registered is True for e in registered)
    reg_as_nf = sum(observed[e["file"]].registered is False for e in registered)
    rows = ["| figure | measured | target |", "| --- | ---: | ---: |"]
    targets = {"registered": "—"}
    for name in FIELDS:
        rows.append(
            f"| {name} ({accuracy.correct[name]}/{accuracy.checked[name]}) "
            f"| {100 * accuracy.ratio(name):.1f}% | {targets.get(name, '≥ 97%')} |"
        )
    rows += [
        f'| "not found" recognised ({nf_ok}/{len(unregistered)}) '
        f"| {100 * nf_ok / max(1, len(unregistered)):.1f}% | ≥ 97% |",
        f"| registered answers recognised ({reg_ok}/{len(registered)}) "
        f"| {100 * reg_ok / max(1, len(registered)):.1f}% | ≥ 99% |",
        f"| registered answers reported as not found | {reg_as_nf} | 0 |",
        f"| answers slower than {PARSE_BUDGET_S * 1000:.0f} ms | {len(over)} | 0 |",
    ]
    dist = ["| parse time | ms |", "| --- | ---: |"]
    for label, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99)):
        dist.append(f"| {label} | {_percentile(times, q) * 1000:.2f} |")
    dist.append(f"| max (`{slowest_file}`) | {slowest_s * 1000:.2f} |")
    dist.append(f"| mean | {statistics.fmean(times) * 1000:.2f} |")
    walls = list(wall.values())
    dist.append(
        f"| wall clock (shared machine): p50 / p99 / max | {_percentile(walls, 0.5) * 1000:.2f} / "
        f"{_percentile(walls, 0.99) * 1000:.2f} / {max(walls) * 1000:.2f} |"
    )
    dist.append(
        f"| first pass over all {len(entries)} answers (imports python-whois) | "
        f"{first_pass_s * 1000:.0f} (total) |"
    )
    text = f"""## Parser on the corpus

{len(entries)} answers (`tests/data/whois-corpus`), fields compared where `checked_fields`
names them; `registrar_alternatives` count as correct.

{chr(10).join(rows)}

Parse times: CPU time of the parsing process (`time.process_time`, so that other jobs on a
shared machine do not count), median of {ROUNDS} parses per answer; wall clock below:

{chr(10).join(dist)}

{"Misses:" if accuracy.misses else "No misses."}
{chr(10).join("- " + m for m in accuracy.misses)}
"""
    failures = [f"corpus miss: {m}" for m in accuracy.misses]
    failures += [f"{f} took more than {PARSE_BUDGET_S * 1000:.0f} ms to parse" for f in over]
    if reg_as_nf:
        failures.append(f"{reg_as_nf} registered answer(s) reported as not found")
    return text, failures


if __name__ == "__main__":
    raise SystemExit(main())
