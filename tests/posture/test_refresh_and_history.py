"""`refresh --record` in one commit; `dns-drift` from git history; `show` and the report."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import commit_count, git
from tests.lookup.loopback import WhoisServerThread, corpus_text
from tests.posture.conftest import URL_LINE, blog_file, domain_file, make_registry
from tests.posture.servers import DnsServers, WebServers


def test_refresh_record_makes_one_commit_of_every_kind(
    tmp_path: Path, knot: DnsServers, web: WebServers
) -> None:
    whois = WhoisServerThread(
        lambda query: corpus_text("weppos--whois.gandi.net--registered--gandi.net.txt")
    )
    try:
        assets = {
            "domains/healthy.test.toml": domain_file(),
            "blogs/claimed.toml": blog_file(f"https://claimed.web.test:{web.https_port}/"),
        }
        settings = f'\n[lookup]\norder = ["whois"]\ntimeout_s = 2\nwhois_servers = {{ test = "{whois.label}" }}\n'
        root, sg = make_registry(tmp_path, knot, web, assets, settings=settings)
        before = commit_count(root)
        result = sg("refresh", "--record", "--format", "json")
        assert result.code == 0, result.stderr
    finally:
        whois.close()
    shown = json.loads(result.stdout)
    assert [o["domain"] for o in shown["whois"]] == ["healthy.test"]
    assert {o["name"] for o in shown["dns"]} == {"healthy.test", "claimed.web.test"}
    assert [o["asset"] for o in shown["web"]] == ["blog:claimed"]
    assert commit_count(root) == before + 1
    lines = git(root, "show", "--name-only", "--format=%s", "HEAD").split("\n")
    assert lines[0] == "refresh --record: 1 whois, 2 dns, 1 web observation"
    assert sorted(f for f in lines[1:] if f) == [
        "observations/dns/claimed.web.test.toml",
        "observations/dns/healthy.test.toml",
        "observations/healthy.test.toml",
        "observations/web/claimed.toml",
    ]


DNS_BEFORE = """\
name = "example.com"
roles = ["domain"]
fetched_at = 2026-10-01T08:00:00Z
status = "address"
ns = ["ns1.example.net", "ns2.example.net"]
mx = ["10 mail.example.com"]
"""


def test_dns_drift_compares_with_the_previous_commit(tmp_path: Path, knot: DnsServers) -> None:
    """The previous DNS observation comes from git history (no servers are asked)."""
    root, sg = make_registry(tmp_path, knot, None, {"domains/example.com.toml": domain_file()})
    path = root / "observations/dns/example.com.toml"
    path.parent.mkdir(parents=True)
    path.write_text(DNS_BEFORE)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "dns observation")
    clean = sg("audit", "--rule", "dns-drift", "--format", "json")
    assert json.loads(clean.stdout)["findings"] == []
    path.write_text(DNS_BEFORE.replace("ns2.example.net", "ns9.hijacked.example"))
    git(root, "commit", "-qam", "dns observation changed")
    result = sg("audit", "--rule", "dns-drift", "--format", "json", "--fail-on", "none")
    assert result.code == 0, result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["asset"] == "domain:example.com"
    assert finding["line"] == 4
    assert "ns9.hijacked.example" in finding["message"]
    # registration-drift reads only observations/*.toml, never the dns/ folder
    other = sg("audit", "--rule", "registration-drift", "--format", "json")
    assert json.loads(other.stdout)["findings"] == []


def test_show_and_report_present_the_observations(
    tmp_path: Path, knot: DnsServers, web: WebServers
) -> None:
    assets = {
        "domains/lame.test.toml": domain_file(),
        "blogs/takeover.toml": blog_file(f"https://unclaimed.web.test:{web.https_port}/"),
        "blogs/old-blog.toml": blog_file("https://old-blog.healthy.test/"),
        "blogs/expiring.toml": blog_file(f"https://expiring.web.test:{web.https_port}/"),
        "blogs/valid.toml": blog_file(f"https://valid.web.test:{web.https_port}/"),
    }
    root, sg = make_registry(tmp_path, knot, web, assets)
    assert sg("dns", "--all", "--record").code == 0
    assert sg("web", "--all", "--record").code == 0

    shown = sg("show", "blog:takeover", "--format", "json")
    assert shown.code == 0, shown.stderr
    details = json.loads(shown.stdout)
    assert details["web"]["unclaimed"]["service"] == "WordPress.com"
    assert details["dns"]["cname"] == ["deleted-site.wordpress.com"]
    assert any(f["rule"] == "takeover-risk" and f["line"] == URL_LINE for f in details["findings"])
    text = sg("show", "lame.test")
    assert "name server ns.refuser.test: refused" in text.stdout

    page = root / "report.html"
    assert sg("report", "--html", str(page)).code == 0
    html = page.read_text()
    section = html[html.index('<section id="posture"') :]
    section = section[: section.index("</section>")]
    takeovers = section[section.index("Takeover risks") : section.index("Certificates by expiry")]
    assert "unclaimed WordPress.com page" in takeovers
    assert "CNAME target does not exist" in takeovers
    certificates = section[section.index("Certificates by expiry") : section.index("Domains")]
    assert certificates.index("expiring.web.test") < certificates.index("valid.web.test")
    assert "ns.refuser.test (refused)" in section
