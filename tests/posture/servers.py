"""Real servers for the DNS and web tests: Knot DNS (authoritative) serving the fixture zones
on 127.0.0.1, a second Knot on 127.0.0.2 that answers REFUSED, and an HTTPS server with
trustme certificates on 127.0.0.1.

Why Knot: it runs in the foreground from one small config file, serves pre-signed zone
files as they are (the zones are signed here with dnspython), answers DS queries from the
parent zone when it serves parent and child, and answers REFUSED for zones it does not
serve, which is exactly the lame name server the tests need.
"""

from __future__ import annotations

import contextlib
import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

KNOTD = shutil.which("knotd") or ("/usr/sbin/knotd" if Path("/usr/sbin/knotd").exists() else None)

WORDPRESS_UNCLAIMED = "<html><body><h1>Do you want to register *.wordpress.com?</h1></body></html>"
HEALTHY_PAGE = "<html><body><h1>Welcome to our blog</h1></body></html>"

# The zones, as templates: {signed_ds} and {broken_ds} are the DS records of the signed zones.
PARENT = """\
$ORIGIN test.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
ns1 A 127.0.0.1
ns.refuser A 127.0.0.2
healthy NS ns1.test.
parked-closed NS ns1.test.
parked-open NS ns1.test.
nodmarc NS ns1.test.
web NS ns1.test.
signed NS ns1.test.
{signed_ds}
broken NS ns1.test.
{broken_ds}
lame NS ns1.test.
lame NS ns.refuser.test.
"""

ZONES = {
    "healthy.test.": """\
$ORIGIN healthy.test.
$TTL 300
@ SOA ns1.test. hostmaster.healthy.test. 1 3600 600 86400 300
@ NS ns1.test.
@ A 127.0.0.1
@ MX 10 mail.healthy.test.
@ TXT "v=spf1 mx -all"
@ CAA 0 issue "letsencrypt.org"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@healthy.test"
mail A 127.0.0.1
blog CNAME live-site.wordpress.com.
old-blog CNAME campaign.healthy.test.
campaign CNAME gone.ghost.io.
""",
    "parked-closed.test.": """\
$ORIGIN parked-closed.test.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
@ MX 0 .
@ TXT "v=spf1 -all"
_dmarc TXT "v=DMARC1; p=reject"
""",
    "parked-open.test.": """\
$ORIGIN parked-open.test.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
@ MX 10 mail.healthy.test.
_dmarc TXT "v=DMARC1; p=none"
""",
    "nodmarc.test.": """\
$ORIGIN nodmarc.test.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
@ MX 10 mail.healthy.test.
@ TXT "v=spf1 mx -all"
""",
    "lame.test.": """\
$ORIGIN lame.test.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
@ NS ns.refuser.test.
@ MX 0 .
""",
    "web.test.": """\
$ORIGIN web.test.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
valid A 127.0.0.1
expiring A 127.0.0.1
expired A 127.0.0.1
wrong A 127.0.0.1
redirect A 127.0.0.1
private A 10.0.0.1
metadata A 169.254.169.254
unclaimed CNAME deleted-site.wordpress.com.
claimed CNAME live-site.wordpress.com.
""",
    "wordpress.com.": """\
$ORIGIN wordpress.com.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
deleted-site A 127.0.0.1
live-site A 127.0.0.1
""",
    "ghost.io.": """\
$ORIGIN ghost.io.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
""",
}

SIGNED = {
    "signed.test.": """\
$ORIGIN signed.test.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
@ A 127.0.0.1
""",
    "broken.test.": """\
$ORIGIN broken.test.
$TTL 300
@ SOA ns1.test. hostmaster.test. 1 3600 600 86400 300
@ NS ns1.test.
@ A 127.0.0.1
""",
}


def free_port() -> int:
    """A port free for UDP and TCP on 127.0.0.1 and 127.0.0.2."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        try:
            for address in ("127.0.0.1", "127.0.0.2"):
                for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
                    with socket.socket(socket.AF_INET, kind) as s:
                        s.bind((address, port))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port")


def _sign(origin: str, text: str, directory: Path) -> tuple[str, str]:
    """Sign a zone with a fresh ECDSA key; returns (signed zone text, its DS record text)."""
    import dns.dnssec
    import dns.name
    import dns.rdtypes.ANY.DNSKEY
    import dns.zone
    from cryptography.hazmat.primitives.asymmetric import ec

    zone = dns.zone.from_text(text, origin=origin, relativize=False)
    key = ec.generate_private_key(ec.SECP256R1())
    dnskey = dns.dnssec.make_dnskey(
        key.public_key(), dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257
    )
    now = datetime.now(UTC)
    with zone.writer() as txn:
        dns.dnssec.sign_zone(
            zone,
            txn,
            keys=[(key, dnskey)],
            inception=now - timedelta(days=1),
            expiration=now + timedelta(days=30),
        )
    ds = dns.dnssec.make_ds(dns.name.from_text(origin), dnskey, "SHA256")
    return zone.to_text(relativize=False), ds.to_text()


def _other_ds(origin: str) -> str:
    """A well-formed DS for a key the zone does not have (a botched key rollover)."""
    import dns.dnssec
    import dns.name
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    dnskey = dns.dnssec.make_dnskey(
        key.public_key(), dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257
    )
    return dns.dnssec.make_ds(dns.name.from_text(origin), dnskey, "SHA256").to_text()


@dataclass
class DnsServers:
    port: int
    processes: list[subprocess.Popen[bytes]]

    @property
    def resolver(self) -> str:
        return f"127.0.0.1:{self.port}"


def _knot_config(directory: Path, address: str, port: int, zones: list[str]) -> Path:
    lines = [
        "server:",
        f'    rundir: "{directory}"',
        f"    listen: {address}@{port}",
        "    udp-workers: 1",
        "    tcp-workers: 1",
        "    background-workers: 1",
        "database:",
        f'    storage: "{directory}"',
        "log:",
        "  - target: stderr",
        "    any: warning",
        "template:",
        "  - id: default",
        f'    storage: "{directory}"',
        '    file: "%s.zone"',
        "    zonefile-sync: -1",
        "    journal-content: none",
        "    semantic-checks: off",
        "zone:",
        *(f'  - domain: "{z}"' for z in zones),
    ]
    path = directory / "knot.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _wait_for(address: str, port: int, zone: str, deadline_s: float = 15.0) -> None:
    import dns.exception
    import dns.message
    import dns.query

    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            dns.query.udp(dns.message.make_query(zone, "SOA"), address, port=port, timeout=0.2)
            return
        except (dns.exception.Timeout, OSError):
            time.sleep(0.05)
    raise RuntimeError(f"knotd on {address}@{port} did not answer within {deadline_s} s")


@contextlib.contextmanager
def knot_servers(directory: Path) -> Iterator[DnsServers]:
    """The main server (every fixture zone) and the refusing one, on a shared free port."""
    assert KNOTD is not None
    port = free_port()
    main = directory / "main"
    refuser = directory / "refuser"
    main.mkdir()
    refuser.mkdir()
    signed_ds = ""
    broken_ds = ""
    for origin, text in SIGNED.items():
        signed_text, ds = _sign(origin, text, main)
        (main / f"{origin}zone").write_text(signed_text, encoding="utf-8")
        if origin == "signed.test.":
            signed_ds = f"signed DS {ds}"
        else:
            broken_ds = f"broken DS {_other_ds(origin)}"
    (main / "test.zone").write_text(
        PARENT.format(signed_ds=signed_ds, broken_ds=broken_ds), encoding="utf-8"
    )
    for origin, text in ZONES.items():
        (main / f"{origin}zone").write_text(text, encoding="utf-8")
    (refuser / "unrelated.example.zone").write_text(
        "$ORIGIN unrelated.example.\n$TTL 300\n@ SOA ns1.test. h.test. 1 3600 600 86400 300\n"
        "@ NS ns1.test.\n",
        encoding="utf-8",
    )
    zones = ["test.", *ZONES, *SIGNED]
    processes = []
    try:
        for folder, address, served in (
            (main, "127.0.0.1", zones),
            (refuser, "127.0.0.2", ["unrelated.example."]),
        ):
            config = _knot_config(folder, address, port, served)
            with (folder / "knotd.log").open("wb") as log:
                processes.append(
                    subprocess.Popen([KNOTD, "-c", str(config)], stdout=log, stderr=log)
                )
        _wait_for("127.0.0.1", port, "test.")
        _wait_for("127.0.0.2", port, "unrelated.example.")
        yield DnsServers(port, processes)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


# --- HTTPS with trustme --------------------------------------------------------------


@dataclass
class WebServers:
    https_port: int
    http_port: int
    ca_pem: Path


class _Handler(http.server.BaseHTTPRequestHandler):
    https_port = 0

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").split(":")[0]
        if host.startswith("redirect."):
            target = {
                "/ftp": "ftp://files.web.test/",
                "/private": f"https://private.web.test:{self.https_port}/",
            }.get(self.path, f"https://valid.web.test:{self.https_port}/")
            self.send_response(301)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = (WORDPRESS_UNCLAIMED if host.startswith("unclaimed.") else HEALTHY_PAGE).encode()
        if self.path == "/big":
            body = b"x" * 50_000
        self.send_response(404 if host.startswith("unclaimed.") else 200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def web_servers(directory: Path) -> Iterator[WebServers]:
    """HTTPS on 127.0.0.1 choosing its certificate by SNI: valid.web.test (valid),
    expiring.web.test (5 days left), expired.web.test (expired), wrong.web.test (a
    certificate for another name); plus plain HTTP for redirects."""
    import trustme

    ca = trustme.CA()
    now = datetime.now(UTC)
    certs = {
        "valid.web.test": ca.issue_cert("valid.web.test", not_after=now + timedelta(days=200)),
        "expiring.web.test": ca.issue_cert("expiring.web.test", not_after=now + timedelta(days=5)),
        "expired.web.test": ca.issue_cert(
            "expired.web.test",
            not_before=now - timedelta(days=100),
            not_after=now - timedelta(days=10),
        ),
        "wrong.web.test": ca.issue_cert("somewhere-else.example"),
        "unclaimed.web.test": ca.issue_cert("unclaimed.web.test", "claimed.web.test"),
        "private.web.test": ca.issue_cert("private.web.test"),
    }
    contexts = {}
    for name, cert in certs.items():
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        contexts[name] = context
    contexts["claimed.web.test"] = contexts["unclaimed.web.test"]
    default = contexts["valid.web.test"]

    def choose(sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, _: object) -> None:
        if name in contexts:
            sock.context = contexts[name]

    default.sni_callback = choose  # type: ignore[assignment]
    ca_pem = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))

    https = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    https.socket = default.wrap_socket(https.socket, server_side=True)
    plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.https_port = https.server_address[1]
    threads = [
        threading.Thread(
            target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name=f"web-{i}"
        )
        for i, s in enumerate((https, plain))
    ]
    for thread in threads:
        thread.start()
    try:
        yield WebServers(https.server_address[1], plain.server_address[1], ca_pem)
    finally:
        for server in (https, plain):
            server.shutdown()
            server.server_close()
