"""`socialgov check --base`, `history` and `codeowners` on real repositories, as CI runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import Socialgov, commit_count, from_template, git

TODAY = ("--today", "2026-11-23")


def state_of(repo: Path) -> tuple[str, str, str, str]:
    """HEAD, the index, the working tree and the refs: all that check must leave alone."""
    head = git(repo, "rev-parse", "HEAD")
    index = (repo / ".git/index").read_bytes().hex()
    tree = git(repo, "--no-optional-locks", "status", "--porcelain", "--untracked-files=all")
    refs = git(repo, "for-each-ref")
    return head, index, tree, refs


@pytest.fixture
def reviewed(registry: Path, _populated_template: Path) -> Path:
    """A registry whose base commit has one pre-existing high finding (bob departed, owns eng-blog):
    the populated registry after `people depart bob`, built once per test process, then copied."""
    shutil.rmtree(registry)
    return from_template("ci-reviewed", registry, partial(_review, _populated_template))


def _review(populated: Path, root: Path) -> None:
    shutil.copytree(populated, root, symlinks=True)
    assert Socialgov(root)("people", "depart", "bob", "--on", "2026-10-01").code == 0
    git(root, "branch", "main-base")


def test_only_new_findings_fail(reviewed: Path, sg: Socialgov) -> None:
    unchanged = sg(*TODAY, "check", "--base", "main-base", "--format", "json")
    assert unchanged.code == 0, unchanged.stderr
    report = json.loads(unchanged.stdout)
    old = [f for f in report["findings"] if f["rule"] == "departed-owner"]
    assert old and all(f["new"] is False for f in old)
    # Written by hand: `add` refuses a departed owner, a pull request's edit cannot be refused.
    (reviewed / "assets/blogs/press.toml").write_text('owners = ["bob"]\nstatus = "active"\n')
    changed = sg(*TODAY, "check", "--base", "main-base", "--format", "json")
    assert changed.code == 1, changed.stderr
    findings = json.loads(changed.stdout)["findings"]
    new = {(f["rule"], f["asset"]) for f in findings if f["new"]}
    assert ("departed-owner", "blog:press") in new
    assert ("orphaned", "blog:press") in new
    assert all(not f["new"] for f in findings if f["asset"] == "blog:eng-blog")
    everything = sg(*TODAY, "check", "--base", "main-base", "--all", "--fail-on", "high")
    assert everything.code == 1


def test_pre_existing_findings_alone_do_not_fail_but_all_does(
    reviewed: Path, sg: Socialgov
) -> None:
    assert sg(*TODAY, "check", "--base", "main-base").code == 0
    assert sg(*TODAY, "check", "--base", "main-base", "--all").code == 1
    assert sg(*TODAY, "check", "--base", "main-base", "--all", "--fail-on", "critical").code == 0


def test_check_leaves_head_index_and_files_unchanged(reviewed: Path, sg: Socialgov) -> None:
    (reviewed / "assets/blogs/eng-blog.toml").write_text('owners = ["alice"]\nstatus = "active"\n')
    before = state_of(reviewed)
    for fmt in ("table", "json", "sarif", "github", "junit", "markdown"):
        result = sg(*TODAY, "check", "--base", "main-base", "--format", fmt)
        assert result.code in (0, 1), result.stderr
        assert state_of(reviewed) == before


def test_invalid_file_is_exit_2_at_its_line_in_every_format(reviewed: Path, sg: Socialgov) -> None:
    (reviewed / "assets/blogs/eng-blog.toml").write_text(
        'owners = ["bob"]\ncriticality = "extreme"\n'
    )
    expectations = {
        "github": "::error file=assets/blogs/eng-blog.toml,line=2,",
        "json": '"line": 2',
        "sarif": '"startLine": 2',
        "junit": "assets/blogs/eng-blog.toml:2:",
        "markdown": "`assets/blogs/eng-blog.toml:2`",
        "table": "",
    }
    for fmt, expected in expectations.items():
        result = sg(*TODAY, "check", "--base", "main-base", "--format", fmt)
        assert result.code == 2, (fmt, result.stderr)
        assert expected in result.stdout, (fmt, result.stdout)
        assert "assets/blogs/eng-blog.toml:2: criticality" in result.stderr
        assert "Traceback" not in result.stderr


def test_invalid_sarif_still_validates(reviewed: Path, sg: Socialgov) -> None:
    import jsonschema

    (reviewed / "people.toml").write_text("[people.x]\nname = 1\n")
    result = sg(*TODAY, "check", "--format", "sarif")
    assert result.code == 2
    schema = json.loads((Path(__file__).parents[1] / "data/sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(json.loads(result.stdout), schema)


@pytest.mark.parametrize(
    "rev", ["--output=pwned.txt", "-pwned", "no-such-branch", "HEAD:people.toml", "main-base\nx"]
)
def test_bad_revisions_are_refused(reviewed: Path, sg: Socialgov, rev: str) -> None:
    before = state_of(reviewed)
    result = sg(*TODAY, "check", f"--base={rev}")
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert not (reviewed / "pwned.txt").exists()
    assert state_of(reviewed) == before


def test_untrusted_repository_config_runs_nothing(reviewed: Path, sg: Socialgov) -> None:
    marker = reviewed.parent / "pwned"
    script = reviewed.parent / "evil.sh"
    script.write_text(f"#!/bin/sh\necho ran >> '{marker}'\ncat\n")
    script.chmod(0o755)
    (reviewed / ".git/hooks").mkdir(exist_ok=True)  # socialgov init copies no git templates
    for name in ("pre-commit", "post-checkout", "reference-transaction", "post-index-change"):
        hook = reviewed / ".git/hooks" / name
        hook.write_text(f"#!/bin/sh\necho {name} >> '{marker}'\n")
        hook.chmod(0o755)
    git(reviewed, "config", "filter.evil.clean", str(script))
    git(reviewed, "config", "filter.evil.smudge", str(script))
    git(reviewed, "config", "diff.evil.textconv", str(script))
    git(reviewed, "config", "core.fsmonitor", str(script))
    (reviewed / ".gitattributes").write_text("*.toml filter=evil diff=evil\n")
    (reviewed / "assets/blogs/eng-blog.toml").write_text('owners = ["alice"]\nstatus = "active"\n')
    marker.unlink(missing_ok=True)
    for args in (
        ("check", "--base", "main-base", "-f", "json"),
        ("history", "eng-blog", "-f", "json"),
    ):
        result = sg(*TODAY, *args)
        assert result.code in (0, 1), result.stderr
    assert not marker.exists(), marker.read_text()


def test_ownership_summary_in_markdown(reviewed: Path, sg: Socialgov) -> None:
    assert sg("owners", "example.com", "--add", "carol", "--remove", "bob").code == 0
    assert sg("add", "blog", "press", "--no-commit").code == 0
    result = sg(*TODAY, "check", "--base", "main-base", "--format", "markdown")
    assert "domain:example.com owners alice, bob → alice, carol" in result.stdout
    assert "blog:press added with no owner" in result.stdout
    table = sg(*TODAY, "check", "--base", "main-base")
    assert "blog:press added with no owner" in table.stdout


def test_base_without_a_registry_counts_everything_as_new(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q")
    (top / "README").write_text("before the registry\n")
    git(top, "add", "README")
    git(top, "commit", "-qm", "first")
    assert Socialgov(top)("init", "reg", "--org", "Example Corp").code == 0
    sg = Socialgov(top / "reg")
    assert sg("add", "blog", "lonely", "--no-commit").code == 0
    result = sg(*TODAY, "check", "--base", "HEAD~1", "-f", "json")
    assert result.code == 1
    assert "every finding counts as new" in result.stderr
    assert all(f["new"] for f in json.loads(result.stdout)["findings"])


def test_history_shows_owner_changes_in_order(populated: Path, sg: Socialgov) -> None:
    assert (
        sg(
            "owners", "example.com", "--add", "carol", "--author", "Carol Boss <carol@example.com>"
        ).code
        == 0
    )
    assert sg("owners", "example.com", "--remove", "bob").code == 0
    assert sg("set", "example.com", "expires=2028-05-05").code == 0
    events = json.loads(sg("history", "example.com", "--format", "json").stdout)
    assert [e["summary"] for e in events][1:] == [
        "owners +carol",
        "owners -bob",
        "domain.expires 2027-05-05 → 2028-05-05",
    ]
    assert events[0]["created"] is True and events[0]["summary"].startswith("created:")
    assert events[1]["author"] == "Carol Boss"
    assert events[1]["changes"] == [
        {"field": "owners", "before": ["alice", "bob"], "after": ["alice", "bob", "carol"]}
    ]
    assert len({e["commit"] for e in events}) == 4


def test_history_includes_observations_and_follows_renames(populated: Path, sg: Socialgov) -> None:
    obs = populated / "observations/example.com.toml"
    obs.parent.mkdir()
    obs.write_text('domain = "example.com"\nregistered = true\nregistrar = "Old Registrar"\n')
    git(populated, "add", "-A")
    git(populated, "commit", "-qm", "record")
    obs.write_text('domain = "example.com"\nregistered = true\nregistrar = "New Registrar"\n')
    git(populated, "commit", "-qam", "record again")
    events = json.loads(sg("history", "domain:example.com", "-f", "json").stdout)
    assert events[-1]["summary"] == "observation.registrar Old Registrar → New Registrar"
    git(populated, "mv", "assets/blogs/eng-blog.toml", "assets/blogs/engineering.toml")
    git(populated, "commit", "-qm", "rename")
    renamed = json.loads(sg("history", "blog:engineering", "-f", "json").stdout)
    assert renamed[0]["created"] is True and renamed[0]["file"] == "assets/blogs/eng-blog.toml"


def test_history_walked_in_two_halves_is_the_one_walk(
    populated: Path, sg: Socialgov, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long linear history is walked as two halves at once; forced on a short one (with a
    rename to follow and an observation), the events are exactly those of one walk."""
    from socialgov.views import history

    obs = populated / "observations/example.com.toml"
    obs.parent.mkdir()
    for n, registrar in enumerate(("One", "Two")):
        obs.write_text(f'domain = "example.com"\nregistered = true\nregistrar = "{registrar}"\n')
        git(populated, "add", "-A")
        git(populated, "commit", "-qm", f"record {n}")
        assert sg("owners", "example.com", "--add" if n == 0 else "--remove", "carol").code == 0
    git(populated, "mv", "assets/blogs/eng-blog.toml", "assets/blogs/engineering.toml")
    git(populated, "commit", "-qm", "rename")
    for asset, events in (("domain:example.com", 5), ("blog:engineering", 2)):
        walks = []
        for split_min in (10**9, 2):
            monkeypatch.setattr(history, "_SPLIT_MIN", split_min)
            walks.append(sg("history", asset, "-f", "json").stdout)
        assert walks[0] == walks[1]
        assert len(json.loads(walks[0])) == events, walks[0]
    assert history._linear_middle(history.Repo.find(populated), "HEAD") is not None
    git(populated, "checkout", "-qb", "side", "HEAD~1")
    git(populated, "commit", "-q", "--allow-empty", "-m", "side")
    git(populated, "checkout", "-q", "-")
    git(populated, "merge", "-q", "--no-edit", "side")
    assert history._linear_middle(history.Repo.find(populated), "HEAD") is None  # one walk


def test_codeowners_written_and_checked(populated: Path, sg: Socialgov) -> None:
    assert sg("people", "set", "alice", "github=alice-gh").code == 0
    (populated / ".github").mkdir()
    (populated / ".github/CODEOWNERS").write_text("# hand-written\n*.md @docs-team\n")
    git(populated, "add", "-A")
    git(populated, "commit", "-qm", "codeowners by hand")
    before = commit_count(populated)
    assert sg("codeowners").code == 0
    assert commit_count(populated) == before + 1
    text = (populated / ".github/CODEOWNERS").read_text()
    assert text.startswith("# hand-written\n*.md @docs-team\n")
    assert "/assets/domains/example.com.toml @alice-gh" in text
    assert "/assets/social/x/examplecorp.toml @alice-gh" in text
    assert "eng-blog" not in text  # bob has no GitHub identity
    assert sg("codeowners", "--check").code == 0
    assert sg("owners", "eng-blog", "--add", "alice").code == 0
    assert sg("codeowners", "--check").code == 1
    stale = sg(*TODAY, "check")
    assert "CODEOWNERS is out of date" in stale.stdout + stale.stderr


def test_history_is_read_only(populated: Path, sg: Socialgov) -> None:
    before = state_of(populated)
    assert sg("history", "eng-blog").code == 0
    assert state_of(populated) == before
    assert sg("history", "blog:never-existed").code == 2


def test_precommit_hook_runs_through_pre_commit(reviewed: Path) -> None:
    """The published hook's entry, arguments and file pattern, run by pre-commit itself.

    The hook is `language: python`, which makes pre-commit pip-install socialgov from its
    repository; tests reach no package index, so the same definition runs here as a
    `repo: local` hook with `language: system` against the socialgov already installed.
    """
    import sys

    import yaml

    hooks = yaml.safe_load((Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "socialgov-check")
    local = {
        **hook,
        "language": "system",
        "entry": f"{Path(sys.executable).parent}/{hook['entry']}",
    }
    local.pop("minimum_pre_commit_version", None)
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (reviewed / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(reviewed, "add", ".pre-commit-config.yaml")
    git(reviewed, "commit", "-qm", "pre-commit config")
    pre_commit = [sys.executable, "-m", "pre_commit", "run"]
    env = {"SOCIALGOV_TODAY": "2026-11-23", "PRE_COMMIT_HOME": str(reviewed.parent / "pc-home")}

    def run(*paths: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*pre_commit, "--files", *paths],
            cwd=reviewed,
            capture_output=True,
            text=True,
            env={**__import__("os").environ, **env},
        )

    (reviewed / "notes.txt").write_text("not a registry file\n")
    skipped = run("notes.txt")
    assert skipped.returncode == 0 and "no files to check" in skipped.stdout.lower(), skipped.stdout
    git(reviewed, "add", "notes.txt")
    (reviewed / "assets/blogs/press.toml").write_text('owners = ["bob"]\nstatus = "active"\n')
    git(reviewed, "add", "assets/blogs/press.toml")
    failing = run("assets/blogs/press.toml")
    assert failing.returncode == 1, failing.stdout
    assert "New findings (" in failing.stdout, failing.stdout  # the plain text report, for people
    assert "2 new findings at or above high" in failing.stdout
    assert "assets/blogs/press.toml:1" in failing.stdout and "::error" not in failing.stdout
    (reviewed / "assets/blogs/press.toml").write_text('owners = ["alice"]\nstatus = "active"\n')
    git(reviewed, "add", "assets/blogs/press.toml")
    passing = run("assets/blogs/press.toml")
    assert passing.returncode == 0, passing.stdout


def test_check_without_base_needs_no_repository(populated: Path, sg: Socialgov) -> None:
    """Validation and audit read the working tree only; --base needs git (exit 3)."""
    shutil.rmtree(populated / ".git")
    plain = sg(*TODAY, "check", "--format", "json")
    assert plain.code in (0, 1), plain.stderr
    assert json.loads(plain.stdout)["findings"]
    assert "git" not in plain.stderr
    based = sg(*TODAY, "check", "--base", "HEAD")
    assert based.code == 3 and "not inside a git repository" in based.stderr
