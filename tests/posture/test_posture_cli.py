"""`socialgov dns`, `web` and `audit` end to end against Knot DNS and an HTTPS server on
loopback: every posture rule fires on its fixture zone or page, at the asserted line and
subject, and not on the healthy ones."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

from socialgov.model import AssetId
from socialgov.policy.rule import fingerprint
from tests.conftest import commit_count, git
from tests.posture.conftest import (
    DOMAIN_LINE,
    PARKED_LINE,
    URL_LINE,
    blog_file,
    domain_file,
    make_registry,
)
from tests.posture.servers import DnsServers, WebServers

TODAY = date.today().isoformat()  # the test certificates are minted relative to now


def _assets(web: WebServers) -> dict[str, str]:
    port = web.https_port
    return {
        "domains/healthy.test.toml": domain_file(criticality="high"),
        "domains/nodmarc.test.toml": domain_file(criticality="high"),
        "domains/parked-open.test.toml": domain_file(parked=True),
        "domains/parked-closed.test.toml": domain_file(parked=True),
        "domains/signed.test.toml": domain_file(),
        "domains/broken.test.toml": domain_file(),
        "domains/lame.test.toml": domain_file(),
        "blogs/old-blog.toml": blog_file("https://old-blog.healthy.test/"),
        "blogs/takeover.toml": blog_file(f"https://unclaimed.web.test:{port}/"),
        "blogs/claimed.toml": blog_file(f"https://claimed.web.test:{port}/"),
        "blogs/valid.toml": blog_file(f"https://valid.web.test:{port}/"),
        "blogs/expiring.toml": blog_file(f"https://expiring.web.test:{port}/"),
        "blogs/expired.toml": blog_file(f"https://expired.web.test:{port}/"),
        "blogs/wrong.toml": blog_file(f"https://wrong.web.test:{port}/"),
    }


# (rule, asset, line, subject): everything the posture rules must find, and nothing more.
EXPECTED = {
    ("dangling-cname", "blog:old-blog", URL_LINE, "old-blog.healthy.test"),
    ("takeover-risk", "blog:takeover", URL_LINE, "unclaimed.web.test|WordPress.com"),
    ("lame-delegation", "domain:lame.test", DOMAIN_LINE, "ns.refuser.test"),
    ("parked-domain-mail-open", "domain:parked-open.test", PARKED_LINE, "parked"),
    ("dmarc-missing", "domain:nodmarc.test", DOMAIN_LINE, "missing"),
    ("caa-missing", "domain:nodmarc.test", DOMAIN_LINE, "caa"),
    ("dnssec-missing", "domain:broken.test", DOMAIN_LINE, "invalid"),
    ("tls-invalid", "blog:expired", URL_LINE, "expired"),
    ("tls-invalid", "blog:wrong", URL_LINE, "wrong-name"),
    *(
        ("dnssec-missing", f"domain:{name}", DOMAIN_LINE, "unsigned")
        for name in ("healthy.test", "nodmarc.test", "parked-open.test", "parked-closed.test")
    ),
    ("dnssec-missing", "domain:lame.test", DOMAIN_LINE, "unsigned"),
}
POSTURE_RULES = {rule for rule, *_ in EXPECTED} | {"tls-expiring", "dns-drift"}


def test_each_rule_fires_on_its_fixture_and_not_on_the_healthy_ones(
    tmp_path: Path, knot: DnsServers, web: WebServers
) -> None:
    root, sg = make_registry(tmp_path, knot, web, _assets(web))
    before = commit_count(root)

    dns = sg("--today", TODAY, "dns", "--all", "--record", "--format", "json")
    assert dns.code == 0, dns.stderr
    by_name = {o["name"]: o for o in json.loads(dns.stdout)}
    assert by_name["old-blog.healthy.test"]["cname"] == ["campaign.healthy.test", "gone.ghost.io"]
    assert by_name["old-blog.healthy.test"]["cname_end"] == "nxdomain"
    assert by_name["signed.test"]["dnssec"] == {"ds": True, "dnskey": True, "validates": True}
    assert by_name["parked-closed.test"]["mx"] == ["0 ."]
    web_run = sg("--today", TODAY, "web", "--all", "--record", "--format", "json")
    assert web_run.code == 0, web_run.stderr
    by_asset = {o["asset"]: o for o in json.loads(web_run.stdout)}
    assert by_asset["blog:valid"]["status"] == 200
    assert by_asset["blog:valid"]["tls"]["problem"] is None
    assert by_asset["blog:takeover"]["unclaimed"]["service"] == "WordPress.com"
    assert "CC BY 4.0" in by_asset["blog:takeover"]["unclaimed"]["source"]
    assert by_asset["blog:claimed"]["unclaimed"] is None
    assert commit_count(root) == before + 2
    assert git(root, "log", "-1", "--format=%s") == "web --record: 7 observations\n"
    recorded = tomllib.loads((root / "observations/web/expiring.toml").read_text())
    assert recorded["tls"]["names"] == ["expiring.web.test"]

    audit = sg(
        "--today", TODAY, "audit", "--policy", "strict", "--format", "json", "--fail-on", "none"
    )
    assert audit.code == 0, audit.stderr
    findings = [f for f in json.loads(audit.stdout)["findings"] if f["rule"] in POSTURE_RULES]
    expiring = [f for f in findings if f["rule"] == "tls-expiring"]
    assert [(f["asset"], f["line"], f["severity"]) for f in expiring] == [
        ("blog:expiring", URL_LINE, "high")
    ]
    found = {(f["rule"], f["asset"], f["line"], f["fingerprint"]) for f in findings} - {
        (f["rule"], f["asset"], f["line"], f["fingerprint"]) for f in expiring
    }
    want = {
        (rule, asset, line, fingerprint(rule, AssetId.parse(asset), subject))
        for rule, asset, line, subject in EXPECTED
    }
    assert found == want


def test_web_refuses_private_loopback_and_metadata_addresses(
    tmp_path: Path, knot: DnsServers, web: WebServers
) -> None:
    assets = {
        "blogs/loopback.toml": blog_file(f"https://127.0.0.1:{web.https_port}/"),
        "blogs/private.toml": blog_file("https://10.0.0.1/"),
        "blogs/metadata.toml": blog_file("http://169.254.169.254/latest/meta-data/"),
        "blogs/named.toml": blog_file(f"https://valid.web.test:{web.https_port}/"),
        "blogs/named-metadata.toml": blog_file("https://metadata.web.test/"),
    }
    root, sg = make_registry(tmp_path, knot, None, assets, allow_private=False)
    result = sg("web", "--all", "--record", "--format", "json")
    assert result.code == 0, result.stderr
    refused = {o["asset"]: o["refused"] for o in json.loads(result.stdout)}
    assert refused == {
        "blog:loopback": "not connecting: 127.0.0.1 is a loopback address",
        "blog:private": "not connecting: 10.0.0.1 is a private address",
        "blog:metadata": "not connecting: 169.254.169.254 is a cloud metadata address",
        "blog:named": "not connecting to valid.web.test: 127.0.0.1 is a loopback address",
        "blog:named-metadata": "not connecting to metadata.web.test: "
        "169.254.169.254 is a cloud metadata address",
    }
    recorded = tomllib.loads((root / "observations/web/named.toml").read_text())
    assert recorded["refused"].endswith("127.0.0.1 is a loopback address")
    assert "status" not in recorded


def test_web_caps_size_and_follows_redirects_only_over_http(
    tmp_path: Path, knot: DnsServers, web: WebServers
) -> None:
    redirect = f"http://redirect.web.test:{web.http_port}"
    assets = {
        "blogs/big.toml": blog_file(f"https://valid.web.test:{web.https_port}/big"),
        "blogs/moved.toml": blog_file(f"{redirect}/"),
        "blogs/to-ftp.toml": blog_file(f"{redirect}/ftp"),
    }
    _, sg = make_registry(
        tmp_path, knot, web, assets, settings="max_bytes = 1000\nmax_redirects = 3\n"
    )
    result = sg("web", "--all", "--format", "json")
    assert result.code == 0, result.stderr
    by_asset = {o["asset"]: o for o in json.loads(result.stdout)}
    assert (by_asset["blog:big"]["size"], by_asset["blog:big"]["truncated"]) == (1000, True)
    moved = by_asset["blog:moved"]
    assert moved["status"] == 200 and moved["redirects"] == [
        f"https://valid.web.test:{web.https_port}/"
    ]
    assert moved["final_url"] == f"https://valid.web.test:{web.https_port}/"
    assert by_asset["blog:to-ftp"]["refused"] == "a redirect to the scheme 'ftp'"
    assert by_asset["blog:to-ftp"]["status"] == 301
