"""`socialgov audit`, `rules` and `waive` through the installed entry point on real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import SETTINGS_TOML, commit_all, git, make_repo, socialgov, write_files

PEOPLE = """\
[people.alice]
name = "Alice"
email = "alice@example.com"

[people.carol]
name = "Carol"
email = "carol@example.com"

[people.bob]
name = "Bob"
email = "bob@example.com"
status = "departed"
"""
FILES = {
    "socialgov.toml": SETTINGS_TOML,
    "people.toml": PEOPLE,
    # medium: mfa-missing; low: review-overdue; nothing high.
    "assets/social/x/examplecorp.toml": 'owners = ["alice"]\n\n[social]\nmfa = false\n',
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", FILES)


@pytest.mark.parametrize(
    ("fail_on", "code"), [("high", 0), ("medium", 1), ("low", 1), ("none", 0), ("critical", 0)]
)
def test_exit_code_follows_fail_on(repo: Path, fail_on: str, code: int) -> None:
    proc = socialgov(repo, "audit", "--format", "json", "--fail-on", fail_on)
    assert proc.returncode == code, proc.stderr
    document = json.loads(proc.stdout)
    assert {f["rule"] for f in document["findings"]} == {"mfa-missing", "review-overdue"}


def test_bad_fail_on_and_unknown_rule_are_usage_errors(repo: Path) -> None:
    proc = socialgov(repo, "audit", "--fail-on", "severe")
    assert proc.returncode == 2 and "--fail-on" in proc.stderr
    proc = socialgov(repo, "audit", "--rule", "mfa-mising")
    assert proc.returncode == 2 and "did you mean 'mfa-missing'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_registry_policy_error_exits_2_with_file_and_line(repo: Path) -> None:
    write_files(
        repo,
        {
            "socialgov.toml": SETTINGS_TOML + '\n[policy]\nfiles = ["policies/ours.toml"]\n',
            "policies/ours.toml": 'extends = "default"\n\n[rules.min-owners]\nmin = "two"\n',
        },
    )
    proc = socialgov(repo, "audit")
    assert proc.returncode == 2
    assert "policies/ours.toml:4" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_policy_option_and_unknown_option(repo: Path, tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.toml"
    quiet.write_text('extends = "default"\n[rules.mfa-missing]\nseverity = "high"\n')
    proc = socialgov(repo, "audit", "--policy", str(quiet), "--format", "json")
    assert proc.returncode == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('[rules.mfa-missing]\nseverity = "high"\nlevel = 3\n')
    proc = socialgov(repo, "audit", "--policy", str(bad))
    assert (
        proc.returncode == 2 and "bad.toml:3" in proc.stderr and "no option 'level'" in proc.stderr
    )


def test_waive_then_audit_then_expiry(repo: Path) -> None:
    write_files(repo, {"waivers.toml": "# Accepted exceptions, reviewed monthly.\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "waivers")
    proc = socialgov(
        repo, "waive", "mfa-missing", "x/examplecorp", "--reason", "platform has no MFA",
        "--approved-by", "carol", "--until", "2026-12-31",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = (repo / "waivers.toml").read_text()
    assert text.startswith("# Accepted exceptions") and 'asset = "social:x/examplecorp"' in text
    assert git(repo, "status", "--porcelain") == ""
    assert "waive mfa-missing" in git(repo, "log", "-1", "--format=%s")

    proc = socialgov(repo, "audit", "--format", "json", "--fail-on", "medium")
    assert proc.returncode == 0, proc.stdout
    (mfa,) = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "mfa-missing"]
    assert mfa["waived"] is True

    proc = socialgov(repo, "audit", "--format", "json", "--fail-on", "medium", today="2027-01-01")
    assert proc.returncode == 1
    rules = {f["rule"]: f for f in json.loads(proc.stdout)["findings"]}
    assert rules["mfa-missing"]["waived"] is False
    assert (rules["waiver-expired"]["file"], rules["waiver-expired"]["line"]) == ("waivers.toml", 3)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["mfa-mising", "x/examplecorp"], "unknown rule"),
        (["mfa-missing", "x/nothere"], "no asset"),
        (["mfa-missing", "x/examplecorp", "--approved-by", "zed"], "not a person"),
        (["mfa-missing", "x/examplecorp", "--until", "2026-11-15"], "not in the future"),
    ],
)
def test_waive_refuses_bad_input(repo: Path, args: list[str], words: str) -> None:
    base = {"--reason": "r", "--approved-by": "carol", "--until": "2027-01-01"}
    for i, arg in enumerate(args):
        if arg in base:
            base[arg] = args[i + 1]
    positional = [
        a for i, a in enumerate(args) if a not in base and (i == 0 or args[i - 1] not in base)
    ]
    options = [x for pair in base.items() for x in pair]
    proc = socialgov(repo, "waive", *positional, *options)
    assert proc.returncode == 2 and words in proc.stderr, proc.stderr
    assert not (repo / "waivers.toml").exists()


def test_waivers_file_with_unknown_rule_exits_2(repo: Path) -> None:
    write_files(
        repo,
        {
            "waivers.toml": '\n[[waiver]]\nrule = "mfa"\nasset = "social:x/examplecorp"\n'
            'reason = "r"\napproved_by = "carol"\nexpires = 2027-01-01\n'
        },
    )
    proc = socialgov(repo, "audit")
    assert proc.returncode == 2 and "waivers.toml:2" in proc.stderr


def test_rules_lists_every_rule(repo: Path) -> None:
    from socialgov.policy.rules import RULES

    proc = socialgov(repo, "rules", "--format", "json")
    listed = json.loads(proc.stdout)
    assert [r["id"] for r in listed] == list(RULES)
    assert all(r["summary"] and r["doc"] and r["severity"] for r in listed)
    table = socialgov(repo, "rules")
    assert table.returncode == 0 and "min-owners" in table.stdout and "min=2" in table.stdout
    one = socialgov(repo, "rules", "domain-expiring")
    assert "warn_days" in one.stdout and "critical_days" in one.stdout


def test_table_goes_to_stdout_and_output_file(repo: Path, tmp_path: Path) -> None:
    proc = socialgov(repo, "audit")
    assert "mfa-missing" in proc.stdout and "x/examplecorp" in proc.stdout
    out = tmp_path / "report.sarif"
    proc = socialgov(repo, "audit", "--format", "sarif", "--output", str(out))
    assert proc.stdout == "" and json.loads(out.read_text())["version"] == "2.1.0"


def test_a_large_report_is_written_whole_before_the_process_ends(repo: Path) -> None:
    """An audit leaves its data for the process's exit and ends at once once its output is
    written: a report far larger than a pipe's buffer is whole on stdout, in --output and in
    the output memo the next run answers from."""
    write_files(
        repo,
        {f"assets/domains/d{n}.example.toml": 'owners = ["bob"]\n' for n in range(300)},
    )
    commit_all(repo)
    args = ("audit", "--format", "json", "--fail-on", "high")
    first = socialgov(repo, *args)
    assert first.returncode == 1, first.stderr
    document = json.loads(first.stdout)
    assert len(first.stdout) > 200_000 and len(document["findings"]) > 600
    again = socialgov(repo, *args)  # from the memo
    assert (again.returncode, again.stdout, again.stderr) == (1, first.stdout, first.stderr)
    written = socialgov(repo, *args, "--output", "report.json")
    assert written.returncode == 1 and (repo / "report.json").read_text() == first.stdout
