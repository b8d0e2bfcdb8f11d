"""Both sides of `check --base` come from one loader: nothing changed means nothing new, for every rule."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from socialgov.policy.check import run_check
from socialgov.policy.engine import audit
from socialgov.policy.inputs import SOURCES, load_audit_inputs, working_tree_inputs
from socialgov.policy.rules import RULES
from socialgov.registry.files import DiskFiles, TreeFiles
from socialgov.vcs import Repo
from tests.conftest import Socialgov, git

SAMPLE = Path(__file__).resolve().parents[2] / "registry"
TODAY = date(2026, 11, 23)
DRIFTED = "observations/northwind-events.example.toml"


def _every_rule_policy(root: Path) -> None:
    """The sample registry with a policy that enables every rule (and approves registrars)."""
    rules = "\n".join(f"[rules.{rule_id}]\nenabled = true" for rule_id in RULES)
    (root / "policies/all.toml").write_text(
        'extends = "strict"\n\n'
        + rules.replace(
            "[rules.registrar-not-approved]\nenabled = true",
            '[rules.registrar-not-approved]\nenabled = true\napproved = ["MarkMonitor Inc."]',
        )
        + "\n"
    )
    settings = root / "socialgov.toml"
    settings.write_text(
        settings.read_text().replace("files = []", 'files = ["policies/all.toml"]', 1)
    )


@pytest.fixture(scope="module")
def drifted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample registry in git, whose recorded registration data changed once."""
    root = tmp_path_factory.mktemp("pure") / "registry"
    shutil.copytree(SAMPLE, root)
    _every_rule_policy(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sample registry")
    observation = root / DRIFTED
    text = observation.read_text()
    assert "name_servers = [" in text
    observation.write_text(
        text.replace("name_servers = [", 'name_servers = ["ns9.hijack.example", ', 1)
    )
    git(root, "commit", "-qam", "whois --record: northwind-events.example")
    return root


def test_unchanged_tree_gives_identical_findings_for_every_rule(drifted: Path) -> None:
    outcome = run_check(drifted, base="HEAD", today=TODAY)
    assert outcome.comparison is not None and outcome.base_result is not None
    assert {info.id for info in outcome.result.rules} == set(RULES)
    assert outcome.result.findings == outcome.base_result.findings
    assert outcome.comparison.new(outcome.result) == []
    assert outcome.comparison.fixed == ()
    fired = {f.rule for f in outcome.result.findings}
    # The rules that read observations and their history fire on both sides.
    assert {"registration-drift", "registrant-mismatch", "observation-stale"} <= fired
    assert len(fired) >= 15, sorted(set(RULES) - fired)


def test_recorded_drift_is_not_new_on_an_unchanged_pull_request(drifted: Path) -> None:
    result = Socialgov(drifted)("--today", "2026-11-23", "check", "--base", "HEAD", "-f", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    drift = [f for f in report["findings"] if f["rule"] == "registration-drift"]
    assert len(drift) == 1 and drift[0]["new"] is False
    assert "ns9.hijack.example" in drift[0]["message"]
    assert report["summary"]["new"] == 0 and report["fixed"] == []


def test_both_sides_are_loaded_the_same_way(drifted: Path) -> None:
    """Every source loads on both sides, each with the history as of its own revision."""
    repo = Repo.find(drifted)
    sha = repo.resolve_commit("HEAD")
    base = load_audit_inputs(TreeFiles(repo.read_tree(sha, "")), sha, root=drifted)
    head = working_tree_inputs(drifted)
    for name in SOURCES:
        assert head.source(name) == base.source(name), name
    assert head.previous_observations  # the history is there on both sides
    assert head.policy == base.policy and tuple(head.waivers) == tuple(base.waivers)


def test_history_follows_each_side(drifted: Path, tmp_path: Path) -> None:
    """The base reads the history as of the base: its previous observation is older."""
    repo = Repo.find(drifted)
    parent = repo.resolve_commit("HEAD~1")
    older = load_audit_inputs(TreeFiles(repo.read_tree(parent, "")), parent, root=drifted)
    assert "northwind-events.example" not in older.previous_observations
    found = audit(older, today=TODAY, rules=["registration-drift"]).findings
    assert found == ()


def test_an_uncommitted_observation_is_compared_with_the_committed_one(drifted: Path) -> None:
    observation = drifted / DRIFTED
    committed = observation.read_text()
    try:
        observation.write_text(committed.replace("ns9.hijack.example", "ns10.hijack.example"))
        inputs = working_tree_inputs(drifted)
        previous = inputs.previous_observations["northwind-events.example"]
        assert "ns9.hijack.example" in previous.name_servers
        drift = audit(inputs, today=TODAY, rules=["registration-drift"]).findings
        assert len(drift) == 1 and "ns10.hijack.example" in drift[0].message
    finally:
        observation.write_text(committed)


def test_the_engine_reads_nothing(drifted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the inputs are built, an audit runs no git and reads no file."""
    import subprocess

    inputs = working_tree_inputs(drifted)
    for name in SOURCES:
        inputs.source(name)

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the engine touched the outside world")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(DiskFiles, "read", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = audit(inputs, today=TODAY)
    assert result.findings


def test_a_full_audit_of_each_side_agrees(drifted: Path) -> None:
    """Without check's reuse of unchanged assets: the loader alone makes the sides equal."""
    repo = Repo.find(drifted)
    sha = repo.resolve_commit("HEAD")
    base = load_audit_inputs(TreeFiles(repo.read_tree(sha, "")), sha, root=drifted)
    head = working_tree_inputs(drifted)
    assert audit(base, today=TODAY).findings == audit(head, today=TODAY).findings


def new_findings_against_a_full_audit_of_head(drifted: Path) -> set[tuple[str, str]]:
    """The new findings of `check --base HEAD`, whose base findings (partly taken over from
    the working tree's) must equal a full audit of HEAD read from git objects."""
    outcome = run_check(drifted, base="HEAD", today=TODAY)
    repo = Repo.find(drifted)
    sha = repo.resolve_commit("HEAD")
    base = load_audit_inputs(TreeFiles(repo.read_tree(sha, "")), sha, root=drifted)
    assert outcome.base_result is not None
    assert outcome.base_result.findings == audit(base, today=TODAY).findings
    assert outcome.comparison is not None
    return {(f.rule, str(f.asset)) for f in outcome.comparison.new(outcome.result)}


def test_reused_findings_match_a_full_audit_of_the_base(drifted: Path) -> None:
    """A change to one asset: the base's findings taken over equal a full audit of it."""
    blog = drifted / "assets/blogs/kitchen-stories.toml"
    committed = blog.read_text()
    try:
        blog.write_text(committed.replace("owners = [", 'owners = ["ghost", ', 1))
        new = new_findings_against_a_full_audit_of_head(drifted)
        assert new == {("unknown-owner", "blog:kitchen-stories")}
    finally:
        blog.write_text(committed)


def test_a_change_to_the_held_domains_reevaluates_the_rules_that_read_them(drifted: Path) -> None:
    """Retiring a domain changes what blog-domain-ungoverned sees on every blog: the base's
    findings are its own, not the working tree's taken over."""
    domain = drifted / "assets/domains/northwind.example.toml"
    committed = domain.read_text()
    try:
        domain.write_text('status = "retired"\n' + committed)
        new = new_findings_against_a_full_audit_of_head(drifted)
        assert ("blog-domain-ungoverned", "blog:northwind-news") in new
    finally:
        domain.write_text(committed)


def test_a_lookalike_no_longer_held_is_new_in_check(drifted: Path, tmp_path: Path) -> None:
    """lookalike-registered reads the other domains too: when the change drops the domain a
    recorded lookalike is, the finding on the domain it imitates is new, not taken over."""
    root = tmp_path / "registry"
    shutil.copytree(drifted, root)
    lookalike = root / "observations/lookalikes/nrthwind.example.toml"
    lookalike.parent.mkdir(parents=True)
    observation = (root / "observations/northwind-shop.example.toml").read_text()
    lookalike.write_text(
        'original = "northwind.example"\nfuzzer = "omission"\n'
        + observation.replace("northwind-shop.example", "nrthwind.example").replace(
            "Northwind Trading Ltd", "Mallory Holdings"
        )
    )
    held = root / "assets/domains/nrthwind.example.toml"
    held.write_text((root / "assets/domains/northwind-b2b.example.toml").read_text())
    git(root, "add", "-A")
    git(root, "commit", "-qm", "hold the lookalike")
    assert new_findings_against_a_full_audit_of_head(root) == set()
    held.unlink()
    new = new_findings_against_a_full_audit_of_head(root)
    assert ("lookalike-registered", "domain:northwind.example") in new


def test_an_audit_of_a_few_assets_reads_only_their_observations(drifted: Path) -> None:
    """`show` and a patched audit read the observations, current and previous, of their
    own domains only, and find on them what a whole audit finds."""
    from socialgov.model import AssetId, Kind

    drifted_domain = AssetId(Kind.DOMAIN, "northwind-events.example")
    other = drifted / "observations/northwind-shop.example.toml"
    committed = other.read_text()
    try:  # another domain with a previous observation: its committed one
        other.write_text(committed.replace("MarkMonitor Inc.", "Other Registrar"))
        few = working_tree_inputs(drifted, assets=[drifted_domain])
        assert set(few.observations) == {drifted_domain.name}
        assert set(few.previous_observations) == {drifted_domain.name}
        whole = working_tree_inputs(drifted)
        assert len(whole.previous_observations) >= 2 and len(whole.observations) > 1
        rules = ["registration-drift", "registrant-mismatch", "observation-stale"]
        found = audit(few, today=TODAY, rules=rules, assets=[drifted_domain]).findings
        assert found == audit(whole, today=TODAY, rules=rules, assets=[drifted_domain]).findings
        assert any(f.rule == "registration-drift" for f in found)
    finally:
        other.write_text(committed)
