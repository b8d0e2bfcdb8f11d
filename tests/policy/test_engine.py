"""The audit: filters, fingerprints, waivers, positions, and history-based observations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from socialgov.errors import InputError, UsageError
from socialgov.model import AssetId, Kind, Severity, Waiver
from socialgov.policy.engine import audit
from socialgov.policy.history_observations import previous_observations
from socialgov.policy.inputs import check_waiver_rules, working_tree_inputs
from socialgov.registry.files import DiskFiles

from .conftest import OBSERVATION, SETTINGS_TOML, commit_all, make_repo, write_files

TODAY = date(2026, 11, 15)
PEOPLE = """\
[people.alice]
name = "Alice"
email = "alice@example.com"

[people.bob]
name = "Bob"
email = "bob@example.com"
status = "departed"
departed_on = 2026-10-01
"""
DOMAIN = """\
# Bought for the 2011 campaign.
owners = ["alice", "bob"]
criticality = "high"
last_reviewed = 2026-10-01

[domain]
auto_renew = true
expires = 2026-11-20
"""
SOCIAL = """\
owners = ["alice"]
last_reviewed = 2026-10-01

[social]
mfa = false
"""


def files() -> dict[str, str]:
    return {
        "socialgov.toml": SETTINGS_TOML,
        "people.toml": PEOPLE,
        "assets/domains/example.com.toml": DOMAIN,
        "assets/social/x/examplecorp.toml": SOCIAL,
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", files())


def by_rule(result: object) -> dict[str, list]:  # type: ignore[type-arg]
    out: dict[str, list] = {}  # type: ignore[type-arg]
    for finding in result.findings:  # type: ignore[attr-defined]
        out.setdefault(finding.rule, []).append(finding)
    return out


def test_findings_point_at_the_key_at_fault(root: Path) -> None:
    found = by_rule(audit(working_tree_inputs(root), today=TODAY))
    (departed,) = found["departed-owner"]
    assert (departed.file, departed.line) == ("assets/domains/example.com.toml", 2)
    (expiring,) = found["domain-expiring"]
    assert expiring.line == 8 and expiring.severity is Severity.HIGH  # 5 days: inside critical_days
    (mfa,) = found["mfa-missing"]
    assert (mfa.file, mfa.line) == ("assets/social/x/examplecorp.toml", 5)


def test_fingerprints_survive_unrelated_edits_and_new_days(root: Path) -> None:
    before = {
        (f.rule, f.fingerprint) for f in audit(working_tree_inputs(root), today=TODAY).findings
    }
    write_files(root, {"assets/domains/example.com.toml": "# a new comment\n\n" + DOMAIN})
    later = date(2026, 11, 16)
    after_findings = audit(working_tree_inputs(root), today=later).findings
    assert {(f.rule, f.fingerprint) for f in after_findings} == before
    assert any(f.rule == "departed-owner" and f.line == 4 for f in after_findings)


def test_filters(root: Path) -> None:
    registry = working_tree_inputs(root)
    only = audit(registry, today=TODAY, rules=["mfa-missing"])
    assert {f.rule for f in only.findings} == {"mfa-missing"}
    assert [r.id for r in only.rules] == ["mfa-missing"]
    domains = audit(registry, today=TODAY, kinds=[Kind.DOMAIN])
    assert {f.asset.kind for f in domains.findings} == {Kind.DOMAIN}
    assert domains.assets_checked == 1
    one = audit(registry, today=TODAY, assets=[AssetId.parse("social:x/examplecorp")])
    assert {str(f.asset) for f in one.findings} == {"social:x/examplecorp"}
    with pytest.raises(UsageError, match="unknown rule 'mfa-mising'"):
        audit(registry, today=TODAY, rules=["mfa-mising"])


def test_waivers_waive_until_their_date_then_count_again(root: Path) -> None:
    write_files(
        root,
        {
            "waivers.toml": '# exceptions\n\n[[waiver]]\nrule = "mfa-missing"\nasset = "social:x/examplecorp"\n'
            'reason = "no MFA on this platform"\napproved_by = "alice"\nexpires = 2026-12-01\n'
        },
    )
    registry = working_tree_inputs(root)
    result = audit(registry, today=TODAY, kinds=[Kind.SOCIAL])
    (mfa,) = [f for f in result.findings if f.rule == "mfa-missing"]
    assert mfa.waived and mfa.waiver is not None and mfa.waiver.approved_by == "alice"
    assert result.exit_code(Severity.MEDIUM) == 0 and result.summary()["waived"] == 1

    later = audit(registry, today=date(2026, 12, 2), kinds=[Kind.SOCIAL])
    found = by_rule(later)
    assert not found["mfa-missing"][0].waived
    (expired,) = found["waiver-expired"]
    assert (expired.file, expired.line) == ("waivers.toml", 3)
    assert later.exit_code(Severity.MEDIUM) == 1


def test_waiver_for_unknown_rule_is_an_input_error(root: Path) -> None:
    waiver = Waiver("mfa-mising", AssetId.parse("social:x/examplecorp"), "r", "alice", TODAY, 7)
    with pytest.raises(InputError) as caught:
        check_waiver_rules([waiver])
    assert (caught.value.file, caught.value.line) == ("waivers.toml", 7)


def test_result_exit_codes_and_summary(root: Path) -> None:
    result = audit(working_tree_inputs(root), today=TODAY)
    assert result.exit_code(Severity.HIGH) == 1
    assert result.exit_code(Severity.CRITICAL) == 0
    assert result.exit_code(None) == 0
    summary = result.summary()
    assert summary["findings"] == len(result.findings) == sum(summary["by_severity"].values())
    assert set(result.to_json()) == {"findings", "summary"}
    assert set(result.findings[0].to_json()) >= {
        "rule", "severity", "asset", "file", "line", "message", "hint", "fingerprint", "waived",
    }  # fmt: skip


def test_registration_drift_reads_the_previous_observation_from_git(root: Path) -> None:
    repo = root
    write_files(
        repo,
        {
            "observations/example.com.toml": OBSERVATION.format(
                registrar="MarkMonitor Inc.", day="01"
            )
        },
    )
    commit_all(repo, "observe")
    write_files(
        repo,
        {
            "observations/example.com.toml": OBSERVATION.format(
                registrar="Cheap Names LLC", day="14"
            )
        },
    )
    commit_all(repo, "observe again")
    previous = previous_observations(repo, "HEAD", DiskFiles(repo))
    assert previous["example.com"].registrar == "MarkMonitor Inc."
    (drift,) = [
        f
        for f in audit(working_tree_inputs(repo), today=TODAY).findings
        if f.rule == "registration-drift"
    ]
    assert "Cheap Names LLC" in drift.message


def test_previous_observations_outside_git_are_empty(tmp_path: Path) -> None:
    assert previous_observations(tmp_path, "HEAD", DiskFiles(tmp_path)) == {}


@pytest.mark.parametrize(("kept", "more"), [(0, 3), (50, 0), (200, 5), (200, 64), (100, 65)])
def test_findings_added_to_ordered_ones_come_in_report_order(kept: int, more: int) -> None:
    """`ordered_with` is `ordered` of the two together, ties included (the base side of
    check --base inserts its few fresh findings among those it takes over)."""
    import random

    from socialgov.policy.engine import ordered, ordered_with
    from socialgov.policy.result import Finding

    pick = random.Random(kept * 1000 + more)

    def finding(n: int) -> Finding:
        return Finding(
            rule=pick.choice(["orphaned", "min-owners", "domain-expired"]),
            severity=pick.choice(list(Severity)),
            asset=AssetId(pick.choice(list(Kind)), pick.choice(["a.example", "b.example"])),
            file="f.toml",
            line=pick.choice([1, 2]),
            message=f"finding {n}",  # equal report keys, told apart by their message
            hint="",
            fingerprint=pick.choice(["x", "y"]),
        )

    first = ordered([finding(n) for n in range(kept)])
    extra = [finding(kept + n) for n in range(more)]
    assert ordered_with(first, extra) == ordered([*first, *extra])


@pytest.mark.parametrize("serial", [True, False])
def test_rules_run_where_their_scope_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, serial: bool
) -> None:
    """A rule scoped by tags, kinds or criticality checks only the assets in its scope;
    assets of one kind, criticality and status but other tags are told apart."""
    from socialgov.policy import engine
    from socialgov.policy.config import load_policy_paths

    tree = files()
    tree["assets/domains/brand.example.toml"] = DOMAIN.replace(
        'criticality = "high"', 'criticality = "high"\ntags = ["brand", "eu"]'
    )
    tree["assets/domains/plain.example.toml"] = DOMAIN.replace(
        'criticality = "high"', 'criticality = "high"\ntags = ["eu"]'
    )
    tree["assets/social/x/brand.toml"] = SOCIAL.replace("owners", 'tags = ["brand"]\nowners')
    root = make_repo(tmp_path / "repo", tree)
    policy_file = tmp_path / "scoped.toml"
    policy_file.write_text(
        'extends = "default"\n[rules.min-owners]\nmin = 3\ntags = ["brand"]\n'
        '[rules.mfa-missing]\ncriticalities = ["low"]\n'
    )
    if not serial:
        monkeypatch.setattr(engine, "PARALLEL_MIN", 1)
        monkeypatch.setattr(engine, "_CHUNK", 1)
        monkeypatch.setattr("os.cpu_count", lambda: 2)
    inputs = working_tree_inputs(root, policy=load_policy_paths([policy_file]))
    result = audit(inputs, today=TODAY)
    found = by_rule(result)
    # min-owners: the brand tag, and the default policy's high criticality (not x/brand's)
    brand = [AssetId(Kind.DOMAIN, "brand.example")]
    assert [f.asset for f in found["min-owners"]] == brand
    assert list(result.checked["min-owners"]) == brand
    assert "mfa-missing" not in found and result.checked["mfa-missing"] == ()
    assert len(result.checked["domain-expiring"]) == 3  # every domain
