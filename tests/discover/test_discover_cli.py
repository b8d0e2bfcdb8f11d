"""`socialgov discover` end to end: the installed entry point on a real registry in git."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from socialgov.htmlreport import build_report
from tests.conftest import commit_count, git

from .conftest import DATA, make_registry

TODAY = "2026-11-15"
EXPORTS = [
    "markmonitor-portfolio.csv",
    "csc-portfolio.csv",
    "godaddy-domains.csv",
    "namecheap-domains.csv",
    "cloudflare-registrar.csv",
    "gandi-domains.csv",
]


def _args() -> list[str]:
    args = []
    for name in EXPORTS:
        args += ["--registrar-export", str(DATA / name)]
    args += ["--zone", str(DATA / "example.com.zone"), "--zone", str(DATA / "db.example.org")]
    args += ["--ct", str(DATA / "crtsh-example.com.json")]
    args += ["--ct", str(DATA / "certspotter-example.com.json")]
    return args


def test_discover_add_audit_and_again(tmp_path: Path) -> None:
    root, sg = make_registry(tmp_path)
    (root / "discover.ignore").write_text(
        "# parked names we let lapse\nexample.eu\n*.spring.example.com\n"
    )
    git(root, "add", "discover.ignore")
    git(root, "commit", "-qm", "ignore list")
    listed = sg("--today", TODAY, "discover", *_args(), "--format", "json")
    assert listed.code == 0, listed.stderr
    candidates = {c["id"]: c for c in json.loads(listed.stdout)}
    expected_domains = {
        "domain:example-campaign.com",
        "domain:example.net",
        "domain:example.co.uk",
        "domain:example-events.de",
        "domain:examplestore.shop",
        "domain:example-sale.com",
        "domain:example-blog.net",
        "domain:xn--bcher-example-wob.com",
        "domain:example.dev",
        "domain:example-cdn.net",
        "domain:example.fr",
        "domain:example.org",
        "domain:spring-campaign-example.com",
        "domain:old-microsite.net",
        "domain:example-partners.com",
        "domain:intranet-example.org",
    }
    expected_blogs = {
        "blog:careers.example.com",
        "blog:docs.example.com",
        "blog:news.example.com",
        "blog:shop.example.com",
        "blog:stories.example.org",  # example.org is the organisation's: its zone file says so
    }
    assert set(candidates) == expected_domains | expected_blogs
    # held: example.com and blog.example.com; ignored: example.eu and the spring host;
    # hosts under held domains (www, vpn, status, portal) are no candidates without --hosts
    for entry in candidates.values():
        assert set(entry) >= {"id", "source", "evidence"}
    assert candidates["blog:news.example.com"]["platform"] == "ghost"
    assert candidates["domain:old-microsite.net"]["expired"] is True
    assert candidates["domain:example-campaign.com"]["source"].endswith(
        "markmonitor-portfolio.csv:3"
    )
    assert "expires 2026-03-02" in candidates["domain:example-campaign.com"]["evidence"]

    before = commit_count(root)
    added = sg("--today", TODAY, "discover", *_args(), "--add")
    assert added.code == 0, added.stderr
    assert commit_count(root) == before + 1
    files = [f for f in git(root, "show", "--name-only", "--format=", "HEAD").split("\n") if f]
    assert len(files) == len(candidates)
    assert git(root, "status", "--porcelain") == ""
    blog = (root / "assets/blogs/news.example.com.toml").read_text()
    assert 'domain = "domain:example.com"' in blog and 'platform = "ghost"' in blog
    domain = (root / "assets/domains/example-campaign.com.toml").read_text()
    assert "owners = []" in domain and '"discovered"' in domain and "expires = 2026-03-02" in domain
    assert str(DATA) not in domain  # only the input's file name is kept

    audit = sg(
        "--today", TODAY, "audit", "--rule", "orphaned", "--format", "json", "--fail-on", "none"
    )
    assert audit.code == 0, audit.stderr
    orphaned = {f["asset"] for f in json.loads(audit.stdout)["findings"]}
    assert orphaned == set(candidates)

    again = sg("--today", TODAY, "discover", *_args(), "--format", "json")
    assert again.code == 0 and json.loads(again.stdout) == []
    nothing = sg("--today", TODAY, "discover", *_args(), "--add")
    assert nothing.code == 0 and commit_count(root) == before + 1

    _, data = build_report(root, today=date(2026, 11, 15), months=1)
    assert {str(r.id) for r in data.discovered} == set(candidates)
    assert all(r.state == "added, nobody claimed it" for r in data.discovered)


def test_malformed_row_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    root, sg = make_registry(tmp_path)
    before = commit_count(root)
    bad = DATA / "godaddy-malformed.csv"
    result = sg(
        "discover",
        "--registrar-export",
        str(DATA / "gandi-domains.csv"),
        "--registrar-export",
        str(bad),
        "--add",
    )
    assert result.code == 2
    assert f"{bad}:3:" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert commit_count(root) == before and git(root, "status", "--porcelain") == ""
    unknown = sg("discover", "--registrar-export", str(DATA / "other-registrar.csv"))
    assert (
        unknown.code == 2
        and "other-registrar.csv:1" in unknown.stderr
        and "--map" in unknown.stderr
    )
    include = sg("discover", "--zone", str(DATA / "include.zone"), "--add")
    assert include.code == 2 and "include.zone:4" in include.stderr
    assert commit_count(root) == before
    usage = sg("discover")
    assert usage.code == 2 and "--registrar-export" in usage.stderr
    both = sg("discover", "--ct", str(DATA / "crtsh-example.com.json"), "--add", "--record")
    assert both.code == 2
    mapping = sg(
        "discover", "--registrar-export", str(DATA / "porkbun-export.csv"), "--map", "name=DOMAIN"
    )
    assert mapping.code == 2 and "domain and expires" in mapping.stderr


def test_hosts_map_and_record(tmp_path: Path) -> None:
    root, sg = make_registry(tmp_path)
    hosts = sg("discover", "--zone", str(DATA / "example.com.zone"), "--hosts", "-f", "json")
    assert hosts.code == 0, hosts.stderr
    found = {c["id"]: c for c in json.loads(hosts.stdout)}
    assert found["domain:vpn.example.com"]["host"] is True
    assert "domain:blog.example.com" not in found  # the registry's blog runs there
    mapped = sg(
        "discover",
        "--registrar-export",
        str(DATA / "porkbun-export.csv"),
        "--map",
        "domain=DOMAIN",
        "--map",
        "expires=EXPIRE DATE",
        "-f",
        "json",
    )
    assert mapped.code == 0, mapped.stderr
    assert json.loads(mapped.stdout)[0]["expires"] == "2027-06-30"
    before = commit_count(root)
    recorded = sg(
        "--today", TODAY, "discover", "--ct", str(DATA / "certspotter-example.com.json"), "--record"
    )
    assert recorded.code == 0, recorded.stderr
    assert commit_count(root) == before + 1
    text = (root / "observations/discover/candidates.toml").read_text()
    assert "domain:example-partners.com" in text and "recorded = 2026-11-15" in text
    table = sg("--today", TODAY, "discover", "--ct", str(DATA / "certspotter-example.com.json"))
    assert "domain:example-partners.com" in table.stdout and "not in the registry" in table.stdout

    page, data = build_report(root, today=date(2026, 11, 15), months=1)
    assert [r.id.name for r in data.discovered] == ["example-partners.com", "intranet-example.org"]
    assert '<section id="discovered"' in page and "Not in the registry" in page
    assert 'href="#discovered"' in page and '<section id="lookalikes"' not in page
