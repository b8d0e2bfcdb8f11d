"""Benchmark `socialgov dns --all` and the cost of the DNS and web rules in `audit`.

    python bench/bench_posture.py [--domains 2000] [--latency-ms 10] [--concurrency 16]
                                  [--assets 10000] [--skip-dns] [--skip-audit]

DNS: Knot DNS serves one zone per synthetic domain on 127.0.0.1; socialgov asks it through
a UDP relay that holds every query for --latency-ms (a resolver on the network, not in the
same machine: without latency there is nothing for concurrency to overlap). Whole
`socialgov dns --all` processes are timed:

- one by one (`[dns] concurrency = 1`) over a sample of names, giving the start-up cost and
  the time per domain; "one by one" for all domains = start-up + N × per-domain;
- the ideal schedule under concurrency C = start-up + N × per-domain / C;
- the real run with concurrency C over all N domains.

Targets: real ≤ 1.5 × ideal, and one by one ≥ 10 × real.

Audit: a synthetic registry of --assets assets (bench/generate.py) gets a DNS observation
for every domain and blog host and a web observation for every blog; the audit is run in
process, with every rule and then without each posture rule in turn (median of --runs).
Target: each rule adds ≤ 5%. Also printed: all ten posture rules together (which includes
reading the observation files) as a whole `socialgov audit` process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tests.posture.servers import KNOTD, _knot_config, _wait_for, free_port  # noqa: E402

TODAY = "2026-11-23"
last_cpu = 0.0  # CPU seconds (user + system) of the last `socialgov dns` process
POSTURE_RULES = (
    "dangling-cname",
    "takeover-risk",
    "lame-delegation",
    "parked-domain-mail-open",
    "dmarc-missing",
    "caa-missing",
    "dnssec-missing",
    "tls-expiring",
    "tls-invalid",
    "dns-drift",
)


def entry_point() -> str:
    candidate = Path(sys.executable).parent / "socialgov"
    return str(candidate) if candidate.exists() else "socialgov"


# --- a UDP relay that adds latency ----------------------------------------------------


class Relay:
    """Forwards each UDP query to the upstream server after `delay` seconds."""

    def __init__(self, upstream: tuple[str, int], delay: float) -> None:
        self.upstream = upstream
        self.delay = delay
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        self.queries = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        relay = self

        class Answer(asyncio.DatagramProtocol):
            def __init__(self, reply_to: tuple[str, int], server: asyncio.DatagramTransport):
                self.reply_to, self.server = reply_to, server

            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                self.server.sendto(data, self.reply_to)
                assert self.transport is not None
                self.transport.close()

            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self.transport = transport  # type: ignore[assignment]

        class Listen(asyncio.DatagramProtocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self.transport = transport  # type: ignore[assignment]

            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                relay.queries += 1
                relay.loop.call_later(relay.delay, self._forward, data, addr)

            def _forward(self, data: bytes, addr: tuple[str, int]) -> None:
                async def go() -> None:
                    transport, _ = await relay.loop.create_datagram_endpoint(
                        lambda: Answer(addr, self.transport), remote_addr=relay.upstream
                    )
                    transport.sendto(data)

                relay.loop.create_task(go())

        async def start() -> None:
            transport, _ = await self.loop.create_datagram_endpoint(
                Listen, local_addr=("127.0.0.1", 0)
            )
            self.port = transport.get_extra_info("sockname")[1]
            self.ready.set()

        self.loop.run_until_complete(start())
        self.loop.run_forever()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


# --- DNS ------------------------------------------------------------------------------


def _zone(name: str) -> str:
    return (
        f"$ORIGIN {name}.\n$TTL 300\n@ SOA ns1.bench-ns. h.bench-ns. 1 3600 600 86400 300\n"
        "@ NS ns1.bench-ns.\n@ A 127.0.0.1\n@ MX 10 mail.bench-ns.\n"
        '@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject"\n'
    )


def _registry(root: Path, names: list[str], resolver: str, ns_port: int, concurrency: int) -> None:
    (root / "assets" / "domains").mkdir(parents=True, exist_ok=True)
    (root / "socialgov.toml").write_text(
        '[organization]\nname = "Bench"\n\n'
        f'[dns]\nnameservers = ["{resolver}"]\ntimeout_s = 5\nconcurrency = {concurrency}\n'
        f"ns_port = {ns_port}\n\n[web]\nallow_private = true\n"
    )
    (root / "people.toml").write_text('[people.a]\nname = "A"\nemail = "a@bench.example"\n')
    for name in names:
        (root / "assets" / "domains" / f"{name}.toml").write_text('owners = ["a"]\n')


def _run_dns(root: Path, args: list[str]) -> float:
    global last_cpu
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [entry_point(), "--registry", str(root), "dns", *args, "--format", "json"],
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    last_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"dns failed: {proc.stderr.decode()[-2000:]}")
    if b'"timeout"' in proc.stdout:
        raise SystemExit("a query timed out: the machine is too loaded for a fair figure")
    return elapsed


def bench_dns(domains: int, latency_ms: float, concurrency: int, tmp: Path) -> bool:
    if KNOTD is None:
        print("knotd is not installed: DNS benchmark skipped")
        return True
    names = [f"d{i:05d}.bench" for i in range(domains)]
    zones = tmp / "zones"
    zones.mkdir()
    for name in names:
        (zones / f"{name}.zone").write_text(_zone(name))
    (zones / "bench-ns.zone").write_text(
        "$ORIGIN bench-ns.\n$TTL 300\n@ SOA ns1 h 1 3600 600 86400 300\n@ NS ns1\n"
        "ns1 A 127.0.0.1\nmail A 127.0.0.1\n"
    )
    port = free_port()
    config = _knot_config(zones, "127.0.0.1", port, [*(f"{n}." for n in names), "bench-ns."])
    config.write_text(config.read_text().replace("udp-workers: 1", "udp-workers: 2"))
    with (zones / "knotd.log").open("wb") as log:
        knot = subprocess.Popen([KNOTD, "-c", str(config)], stdout=log, stderr=log)
    relay = None
    try:
        _wait_for("127.0.0.1", port, "bench-ns.", deadline_s=60)
        _wait_for("127.0.0.1", port, f"{names[-1]}.", deadline_s=60)
        relay = Relay(("127.0.0.1", port), latency_ms / 1000)
        resolver = f"127.0.0.1:{relay.port}"
        serial_root, real_root = tmp / "serial", tmp / "real"
        _registry(serial_root, names, resolver, relay.port, 1)
        _registry(real_root, names, resolver, relay.port, concurrency)
        small, large = 5, 60
        _run_dns(serial_root, names[:small])  # warm-up
        t_small = statistics.median(_run_dns(serial_root, names[:small]) for _ in range(3))
        before = relay.queries
        t_large = _run_dns(serial_root, names[:large])
        per_domain = (t_large - t_small) / (large - small)
        queries_per_domain = (relay.queries - before) / large
        startup = max(0.0, t_small - small * per_domain)
        one_by_one = startup + domains * per_domain
        ideal = startup + domains * per_domain / concurrency
        real = statistics.median(_run_dns(real_root, ["--all"]) for _ in range(2))
        real_cpu = last_cpu
    finally:
        if relay is not None:
            relay.close()
        knot.terminate()
        knot.wait(timeout=10)
    ok_ideal = real <= 1.5 * ideal
    ok_speedup = one_by_one / real >= 10
    print(
        f"dns --all over {domains} domains, {latency_ms:g} ms per query, concurrency {concurrency}"
    )
    print(f"  queries per domain                {queries_per_domain:8.1f}")
    print(f"  start-up                          {startup:8.2f} s")
    print(f"  per domain, one by one            {per_domain * 1000:8.1f} ms")
    print(f"  one by one (start-up + N x)       {one_by_one:8.2f} s")
    print(f"  ideal schedule under concurrency  {ideal:8.2f} s")
    print(
        f"  measured                          {real:8.2f} s  = {real / ideal:.2f}x ideal "
        f"(target <= 1.5) {'met' if ok_ideal else 'MISSED'}"
    )
    print(
        f"  CPU used by the measured process  {real_cpu:8.2f} s (user + system) = "
        f"{real_cpu / real * 100:.0f}% of one CPU over its wall time (load {os.getloadavg()[0]:.1f})"
    )
    print(
        f"  speed-up over one by one          {one_by_one / real:8.1f}x (target >= 10) "
        f"{'met' if ok_speedup else 'MISSED'}"
    )
    return ok_ideal and ok_speedup


# --- audit ------------------------------------------------------------------------------


def _add_observations(root: Path) -> int:
    """A DNS observation for every domain and blog host, a web observation for every blog."""
    from socialgov.posture.targets import blog_host, dns_relpath, web_relpath
    from socialgov.registry.load import load_registry

    registry = load_registry(root)
    written = 0
    for asset in registry.assets.values():
        if asset.kind.value == "domain":
            n = int.from_bytes(asset.name.encode()[-2:], "big")
            text = (
                f'name = "{asset.name}"\nroles = ["domain"]\nfetched_at = 2026-11-20T08:00:00Z\n'
                'status = "address"\nns = ["ns1.dns.example", "ns2.dns.example"]\n'
                f'mx = ["{"0 ." if n % 5 == 0 else "10 mx.mail.example"}"]\n'
                f'spf = ["v=spf1 -all"]\ndmarc = ["v=DMARC1; p={"none" if n % 3 else "reject"}"]\n'
                "caa = []\n[dnssec]\nds = false\ndnskey = false\n"
                '[[name_servers]]\nhost = "ns1.dns.example"\nanswer = "authoritative"\n'
                '[[name_servers]]\nhost = "ns2.dns.example"\n'
                f'answer = "{"refused" if n % 7 == 0 else "authoritative"}"\n'
            )
            path = root / dns_relpath(asset.name)
        elif asset.kind.value == "blog" and (host := blog_host(asset)):
            n = len(host)
            chain = f'cname = ["{asset.name}.wordpress.com"]\n'
            end = "nxdomain" if n % 11 == 0 else "address"
            path = root / dns_relpath(host)
            text = (
                f'name = "{host}"\nroles = ["host"]\nfetched_at = 2026-11-20T08:00:00Z\n'
                f'status = "address"\na = ["192.0.2.1"]\n{chain}cname_end = "{end}"\n'
            )
            web = root / web_relpath(asset.id)
            web.parent.mkdir(parents=True, exist_ok=True)
            web.write_text(
                f'asset = "{asset.id}"\nurl = "https://{host}/"\n'
                "fetched_at = 2026-11-20T08:00:00Z\nstatus = 200\n"
                f'final_url = "https://{host}/"\nsize = 1000\nelapsed_ms = 80\n'
                '[tls]\nissuer = "CN=R11,O=Let\'s Encrypt,C=US"\n'
                f'subject = "CN={host}"\nnames = ["{host}"]\n'
                "not_before = 2026-09-01T00:00:00Z\n"
                f"not_after = 2026-12-{1 + n % 28:02d}T00:00:00Z\nvalid = true\n"
            )
            written += 1
        else:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        written += 1
    return written


def bench_audit(assets: int, runs: int, tmp: Path) -> bool:
    from datetime import date

    from generate import generate, git_commit

    from socialgov.policy.config import load_policy_paths
    from socialgov.policy.engine import audit
    from socialgov.policy.rules import RULES
    from socialgov.registry.load import load_registry

    root = tmp / "registry"
    generate(root, assets, assets // 5, seed=1)
    count = _add_observations(root)
    git_commit(root)
    registry = load_registry(root)
    policy = load_policy_paths([Path("strict")])
    today = date.fromisoformat(TODAY)
    everything = [r for r in RULES if policy.config(RULES[r].info).enabled]

    from collections import defaultdict

    from socialgov.policy.inputs import AuditInputs, History
    from socialgov.policy.rule import Rule
    from socialgov.posture.load import (
        load_dns_observations,
        load_web_observations,
        previous_dns_observations,
    )
    from socialgov.registry.files import DiskFiles

    spent: dict[str, float] = defaultdict(float)

    def timed(rule: Rule) -> Rule:
        def check(asset: Any, ctx: Any) -> Any:
            start = time.process_time()
            found = list(rule.check(asset, ctx))
            spent[rule.info.id] += time.process_time() - start
            return iter(found)

        return Rule(rule.info, check)

    for rule_id in POSTURE_RULES:
        RULES[rule_id] = timed(RULES[rule_id])
    # The timers count in this process: evaluate here, not in forked workers (a large audit
    # shares the rules out across the cores, where these timers would count nothing).
    from socialgov.policy import engine

    engine.PARALLEL_MIN = 10**9

    files = DiskFiles(root)
    cache = root / ".socialgov" / "cache"

    def load(cached: bool) -> tuple[float, dict[str, Any]]:
        start = time.process_time()
        data = {
            "dns_observations": load_dns_observations(files, cache if cached else None),
            "web_observations": load_web_observations(files, cache if cached else None),
            "previous_dns_observations": previous_dns_observations(root, "HEAD", files),
        }
        return time.process_time() - start, data

    def inputs(given: dict[str, Any]) -> AuditInputs:
        # Sources the other rules read (whois observations, history) load inside the
        # audit as in `socialgov audit`; the posture sources are given, loaded once.
        return AuditInputs(
            registry, policy, files=files, history=History(root, "HEAD"), given=given
        )

    cold, _ = load(False)
    load(True)  # fills the cache
    warm, posture = load(True)
    others = [r for r in everything if r not in POSTURE_RULES]
    bases, per_rule = [], defaultdict(list)
    for _ in range(runs):
        start = time.process_time()
        audit(inputs({}), today=today, rules=others)
        bases.append(time.process_time() - start)
        spent.clear()
        audit(inputs(posture), today=today, rules=everything)
        for rule_id in POSTURE_RULES:
            per_rule[rule_id].append(spent[rule_id])
    base = statistics.median(bases)
    print(f"audit in process, {assets} assets, {count} DNS/web observation files, policy strict")
    print(f"  audit without the posture rules   {base:8.3f} s CPU (median of {runs})")
    ok = True
    for rule_id in POSTURE_RULES:
        share = statistics.median(per_rule[rule_id]) / base
        ok &= share <= 0.05
        verdict = "met" if share <= 0.05 else "MISSED"
        print(f"  {rule_id:<25} adds {share * 100:5.1f}% (target <= 5%) {verdict}")
    print(
        f"  reading the observations, shared by the posture rules: {warm:.3f} s CPU "
        f"= {warm / base * 100:.1f}% with the parsed cache, {cold:.3f} s = "
        f"{cold / base * 100:.1f}% parsing every file"
    )
    env = {**os.environ, "SOCIALGOV_TODAY": TODAY}
    cli = [entry_point(), "--registry", str(root), "audit", "--format", "json", "--fail-on", "none"]
    whole = []
    for n in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([*cli, "--policy", "strict"], capture_output=True, env=env, check=False)
        if n:
            whole.append(time.perf_counter() - start)
    print(f"  whole `socialgov audit --policy strict` process: {statistics.median(whole):.2f} s")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-dns", action="store_true")
    parser.add_argument("--skip-audit", action="store_true")
    options = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="socialgov-bench-") as tmp:
        if not options.skip_dns:
            (Path(tmp) / "dns").mkdir()
            ok &= bench_dns(
                options.domains, options.latency_ms, options.concurrency, Path(tmp) / "dns"
            )
        if not options.skip_audit:
            (Path(tmp) / "audit").mkdir()
            ok &= bench_audit(options.assets, options.runs, Path(tmp) / "audit")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
