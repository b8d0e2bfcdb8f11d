"""Helpers for policy tests: run one rule on a case file, and build real registries in git.

A rule case (tests/cases/RULE/{flagged,clean}/NAME.toml) is one small TOML file:

    today = 2026-11-15                 # optional, the audit's date
    expect = 2                         # optional, flagged cases: exact number of findings
    [options]                          # optional, the rule's policy table ([rules.RULE])
    [assets."KIND:NAME"]               # one or more asset files, as they would be written
    [observations."DOMAIN"]            # optional latest observations
    [previous_observations."DOMAIN"]   # optional observations before those
    [dns."NAME"] [previous_dns."NAME"] # optional DNS observations (observations/dns/)
    [web."KIND:NAME"]                  # optional web observations (observations/web/)
    [[waivers]]                        # optional waivers
    [lookalikes."NAME"]                # optional recorded lookalike observations (with original)

It runs against the shared roster tests/cases/people.toml and an organisation
"Example Corp" with the e-mail domain example.com.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from socialgov.lookalikes.store import load_lookalikes
from socialgov.lookup.observation import Observation
from socialgov.model import AssetId, Registry, Settings, Waiver
from socialgov.policy.config import load_policy_paths
from socialgov.policy.engine import audit
from socialgov.policy.inputs import AuditInputs
from socialgov.policy.result import Finding
from socialgov.registry.files import DiskFiles
from socialgov.registry.load import parse_asset, parse_roster
from tests.conftest import run_in_process

CASES = Path(__file__).resolve().parent.parent / "cases"
TODAY = date(2026, 11, 15)
SETTINGS = Settings(org_name="Example Corp", email_domains=("example.com",))


def case_paths() -> list[Path]:
    return sorted(CASES.glob("*/*/*.toml"))


def _observations(table: dict[str, Any]) -> dict[str, Observation]:
    return {
        domain: Observation.from_toml({"domain": domain, **data}) for domain, data in table.items()
    }


def run_case(path: Path, tmp_path: Path) -> list[Finding]:
    """Run the case's rule (its folder name) on the case; returns the findings."""
    rule = path.parent.parent.name
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    roster, _ = parse_roster((CASES / "people.toml").read_bytes())
    assets = {}
    for text, data in case.get("assets", {}).items():
        asset_id = AssetId.parse(text)
        assets[asset_id] = parse_asset(asset_id, asset_id.relpath, tomli_w.dumps(data).encode())
    registry = Registry(root=tmp_path, settings=SETTINGS, roster=roster, assets=assets)
    for name, data in case.get("lookalikes", {}).items():
        folder = tmp_path / "observations" / "lookalikes"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.toml").write_text(tomli_w.dumps({"domain": name, **data}))
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(tomli_w.dumps({"rules": {rule: case.get("options", {})}}))
    waivers = [
        Waiver(
            rule=w["rule"],
            asset=AssetId.parse(w["asset"]),
            reason=w["reason"],
            approved_by=w["approved_by"],
            expires=w["expires"],
            line=n + 1,
        )
        for n, w in enumerate(case.get("waivers", []))
    ]
    inputs = AuditInputs(
        registry,
        policy=load_policy_paths([policy_file]),
        waivers=waivers,
        given={
            "observations": _observations(case.get("observations", {})),
            "previous_observations": _observations(case.get("previous_observations", {})),
            **_posture_observations(case),
            "lookalikes": load_lookalikes(DiskFiles(tmp_path)),
        },
    )
    result = audit(inputs, today=case.get("today", TODAY), rules=[rule])
    return list(result.findings)


def _posture_observations(case: dict[str, Any]) -> dict[str, Any]:
    from socialgov.lookup.dns_observation import DnsObservation
    from socialgov.lookup.web_observation import WebObservation

    def dns(table: dict[str, Any]) -> dict[str, DnsObservation]:
        return {n: DnsObservation.from_toml({"name": n, **d}) for n, d in table.items()}

    return {
        "dns_observations": dns(case.get("dns", {})),
        "previous_dns_observations": dns(case.get("previous_dns", {})),
        "web_observations": {
            a: WebObservation.from_toml({"asset": a, **d}) for a, d in case.get("web", {}).items()
        },
    }


@pytest.fixture
def case_runner(tmp_path: Path) -> Callable[[Path], list[Finding]]:
    return lambda path: run_case(path, tmp_path)


# --- real registries in git, and the installed entry point ------------------------------

FIXED_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Admin",
    "GIT_AUTHOR_EMAIL": "admin@example.com",
    "GIT_COMMITTER_NAME": "Test Admin",
    "GIT_COMMITTER_EMAIL": "admin@example.com",
    "GIT_AUTHOR_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **FIXED_GIT_ENV}
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit_all(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def make_repo(top: Path, files: dict[str, str], registry_dir: str = "") -> Path:
    """A git repository at `top` with a registry in `registry_dir`, committed; returns the registry root."""
    top.mkdir(parents=True, exist_ok=True)
    git(top, "init", "-q", "-b", "main")
    root = top / registry_dir if registry_dir else top
    write_files(root, files)
    commit_all(top, "registry")
    return root


SETTINGS_TOML = """\
[organization]
name = "Example Corp"
email_domains = ["example.com"]
"""


def socialgov(
    root: Path, *args: str, today: str = "2026-11-15"
) -> subprocess.CompletedProcess[str]:
    argv = ["--registry", str(root), "--today", today, *args]
    result = run_in_process(root, argv, env={"COLUMNS": "200"})
    return subprocess.CompletedProcess(argv, result.code, result.stdout, result.stderr)


# --- changes to an audit's context (the caches' tests) -------------------------------

OBSERVATION = """\
domain = "example.com"
registered = true
registrar = "{registrar}"
name_servers = ["ns1.example.net"]
statuses = ["clientTransferProhibited"]
fetched_at = 2026-11-{day}T08:00:00Z
"""


def record_observation(root: Path, registrar: str = "MarkMonitor Inc.") -> None:
    """The populated registry's domain with a recorded observation."""
    (root / "observations").mkdir(exist_ok=True)
    text = OBSERVATION.format(registrar=registrar, day=19)
    (root / "observations/example.com.toml").write_text(text)


def change_context(sg: Any, root: Path, change: str, *, leaver: str = "bob") -> tuple[str, ...]:
    """Make one change to what an audit of the populated registry reads (with its recorded
    observation) that changes its report; the global options a run then takes."""
    from tests.conftest import git

    if change == "today":
        return ("--today", "2027-06-01")
    if change == "roster":
        assert sg("people", "depart", leaver, "--on", "2026-11-01").code == 0
    elif change == "waiver":
        waived = sg(
            "--today", "2026-11-20", "waive", "auto-renew-off", "domain:example.com",
            "--reason", "ticket 12", "--approved-by", "carol", "--until", "2027-01-01",
        )  # fmt: skip
        assert waived.code == 0, waived.stderr
    elif change == "policy":
        settings = root / "socialgov.toml"
        assert "files = []" in settings.read_text()
        settings.write_text(
            settings.read_text().replace("files = []", 'files = ["policies/strict.toml"]', 1)
        )
        (root / "policies").mkdir(exist_ok=True)
        (root / "policies/strict.toml").write_text(
            'extends = "default"\n[rules.auto-renew-off]\nseverity = "critical"\n'
        )
    elif change == "observation":
        record_observation(root, "Mallory Registrar <evil@x>")
    elif change == "asset":
        path = root / "assets/social/x/examplecorp.toml"
        path.write_text(path.read_text().replace("mfa = true", "mfa = false"))
    elif change == "commit":
        git(root, "add", "-A")
        git(root, "commit", "-qm", "record an observation")
    elif change == "settings":
        settings = root / "socialgov.toml"
        settings.write_text(settings.read_text() + "\n")
    else:
        raise AssertionError(f"no such change: {change}")
    return ()
