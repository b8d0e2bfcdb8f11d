"""`people sync` against a real slapd and a real SCIM 2.0 server on 127.0.0.1."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tests.offboard.helpers import SETTINGS, clean, git, head, make_registry, sg
from tests.roster.conftest import ROSTER_ASSETS
from tests.roster.servers import (
    BIND_DN,
    BIND_PASSWORD,
    SCIM_TOKEN,
    STAFF,
    ScimServer,
    Slapd,
    free_port,
    sample_people,
)

TODAY = ("--today", "2026-11-01")
LDAP_ENV = {"SOCIALGOV_LDAP_PASSWORD": BIND_PASSWORD}


def people(root: Path) -> dict:  # type: ignore[type-arg]
    return tomllib.loads((root / "people.toml").read_text())["people"]


def registry(tmp_path: Path, source: str) -> Path:
    return make_registry(
        tmp_path / "reg", {**ROSTER_ASSETS, "socialgov.toml": SETTINGS + "\n" + source}
    )


def ldap_source(url: str, **extra: str) -> str:
    lines = {
        "kind": '"ldap"',
        "url": f'"{url}"',
        "base_dn": f'"{STAFF}"',
        "filter": '"(objectClass=person)"',
        "bind_dn": f'"{BIND_DN}"',
        "password_env": '"SOCIALGOV_LDAP_PASSWORD"',
        "page_size": "10",
        **extra,
    }
    return "[people_source]\n" + "".join(f"{k} = {v}\n" for k, v in lines.items())


def sync(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = sg(root, *TODAY, "people", "sync", "--format", "json", *args, env=env or LDAP_ENV)
    return result.code, json.loads(result.stdout) if result.code == 0 else {}, result.stderr


def test_ldap_sync_paged_ad_state_managers_one_commit_then_nothing(
    slapd: Slapd, tmp_path: Path
) -> None:
    reg = registry(tmp_path, ldap_source(slapd.url))
    before = head(reg)
    code, report, stderr = sync(reg)
    assert code == 0, stderr
    # 35 entries, more than the server's size limit of 20: read in pages
    added = [c["handle"] for c in report["added"]]
    assert len(added) == 28 and "user29" not in added and "user30" not in added
    assert sorted(report["skipped"]) == ["user29", "user30"]  # disabled / expired strangers
    assert [c["handle"] for c in report["departed"]] == ["bob"]  # userAccountControl 514
    roster = people(reg)
    assert roster["erin"]["status"] == "active"
    assert roster["erin"]["leaving_on"].isoformat() == "2026-11-10"  # accountExpires ahead
    assert roster["erin"]["manager"] == "bob"  # a DN, stored as a handle
    assert roster["user07"]["manager"] == "carol"
    assert roster["user07"]["department"] == "Sales"
    # objectGUID, printed as AD tools print it
    assert roster["alice"]["employee_id"] == str(sample_people()[0].guid)
    assert roster["alice"]["source"] == "ldap"
    assert roster["dave"]["status"] == "departed"
    assert git(reg, "rev-parse", "HEAD~1").strip() == before
    assert git(reg, "log", "-1", "--format=%s").strip() == (
        "people sync ldap: 28 added, 4 updated, 1 departed"
    )
    assert git(reg, "diff", "--name-only", "HEAD~1", "HEAD").split() == ["people.toml"]
    commit = head(reg)
    code, report, stderr = sync(reg)
    assert code == 0, stderr
    assert head(reg) == commit and not report["updated"] and not report["added"]
    # a directory that answers with no entries departs nobody
    settings = reg / "socialgov.toml"
    settings.write_text(
        settings.read_text().replace("(objectClass=person)", "(sAMAccountName=nobody-at-all)")
    )
    git(reg, "commit", "-qam", "filter")
    commit = head(reg)
    result = sg(reg, *TODAY, "people", "sync", env=LDAP_ENV)
    assert result.code == 2
    assert "it would depart 31 of 31 active people, more than the limit of 3" in result.stderr
    assert head(reg) == commit and clean(reg)


def test_ldap_wrong_password_is_exit_3_and_never_shown(slapd: Slapd, tmp_path: Path) -> None:
    reg = registry(tmp_path, ldap_source(slapd.url))
    result = sg(reg, *TODAY, "people", "sync", env={"SOCIALGOV_LDAP_PASSWORD": "wrong-horse-99"})
    assert result.code == 3
    assert "refused the bind as cn=socialgov,ou=Service,dc=example,dc=com" in result.stderr
    assert "invalidCredentials" in result.stderr
    assert "wrong-horse-99" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    result = sg(reg, *TODAY, "people", "sync", env={"SOCIALGOV_LDAP_PASSWORD": ""})
    assert result.code == 2 and "SOCIALGOV_LDAP_PASSWORD is not set" in result.stderr


def test_ldap_tls_verified_with_the_ca_file(
    slapd: Slapd, tls_files: dict[str, Path], tmp_path: Path
) -> None:
    reg = registry(tmp_path, ldap_source(slapd.ldaps_url))
    result = sg(reg, *TODAY, "people", "sync", "--dry-run", env=LDAP_ENV)
    assert result.code == 3 and "certificate" in result.stderr.lower()  # verification is on
    for url, extra in ((slapd.ldaps_url, {}), (slapd.url, {"start_tls": "true"})):
        settings = ldap_source(url, ca_file=f'"{tls_files["ca"]}"', **extra)
        (reg / "socialgov.toml").write_text(SETTINGS + "\n" + settings)
        code, report, stderr = sync(reg, "--dry-run")
        assert code == 0, stderr
        assert report["dry_run"] and len(report["added"]) == 28


def test_people_source_settings_are_checked(slapd: Slapd, tmp_path: Path) -> None:
    reg = registry(tmp_path, ldap_source(slapd.url, password_env='"GITHUB_TOKEN"'))
    result = sg(reg, *TODAY, "people", "sync", env={"GITHUB_TOKEN": "x"})
    assert result.code == 2
    assert "socialgov.toml:" in result.stderr and "starting SOCIALGOV_" in result.stderr
    (reg / "socialgov.toml").write_text(SETTINGS)
    result = sg(reg, *TODAY, "people", "sync")
    assert result.code == 2 and "has no [people_source]" in result.stderr
    # nothing listens there: a lookup failure, not a traceback
    (reg / "socialgov.toml").write_text(
        SETTINGS + "\n" + ldap_source(f"ldap://127.0.0.1:{free_port()}")
    )
    result = sg(reg, *TODAY, "people", "sync", env=LDAP_ENV)
    assert result.code == 3 and "LDAP 127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr


def scim_source(server: ScimServer, token_env: str = "SOCIALGOV_SCIM_TOKEN") -> str:
    return (
        "[people_source]\n"
        'kind = "scim"\n'
        f'url = "{server.url}"\n'
        f'token_env = "{token_env}"\n'
        "filter = 'userType eq \"Employee\"'\n"
        "page_size = 50\n"
    )


def test_scim_sync_pages_filters_active_and_enterprise_manager(
    scim: ScimServer, tmp_path: Path
) -> None:
    reg = registry(tmp_path, scim_source(scim))
    env = {"SOCIALGOV_SCIM_TOKEN": SCIM_TOKEN}
    scim.requests.clear()
    code, report, stderr = sync(reg, env=env)
    assert code == 0, stderr
    assert len(scim.requests) == 5  # 35 users, at most 7 a page
    assert all("filter=userType" in r for r in scim.requests)
    added = [c["handle"] for c in report["added"]]
    assert len(added) == 28 and "temp.worker" not in added  # the filter left the contractor out
    assert [c["handle"] for c in report["departed"]] == ["bob"]  # active = false
    roster = people(reg)
    assert roster["erin"]["manager"] == "bob" and roster["user03"]["manager"] == "carol"
    assert roster["alice"]["email"] == "alice@example.com"  # the primary work address
    assert roster["user03"]["department"] == "Sales"
    assert roster["alice"]["source"] == "scim"
    assert git(reg, "log", "-1", "--format=%s").startswith("people sync scim: 28 added")
    result = sg(reg, *TODAY, "people", "sync", env={"SOCIALGOV_SCIM_TOKEN": "not-the-token"})
    assert result.code == 3
    assert "refused the token (HTTP 401)" in result.stderr
    assert "not-the-token" not in result.stdout + result.stderr
