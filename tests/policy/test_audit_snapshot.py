"""A patched audit (policy/audit_snapshot.py) never changes what `audit` says: after any
change it gives what `--no-cache` gives, and it serves the last audit's findings only for
asset files unchanged since, in an unchanged context."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from socialgov.policy import audit_snapshot
from socialgov.registry import content_cache, files, output_memo
from tests.conftest import Socialgov, git

from .conftest import change_context, record_observation

SNAPSHOT = Path(".socialgov/cache/audit.json")
TODAY = ("--today", "2026-11-20")
MARK = "SNAPSHOT "


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stats trusted at once (as for files older than a few seconds), no output memo
    answering before the audit runs (test_output_memo.py covers it), and every finding the
    snapshot serves marked, so that a run shows what it served."""
    monkeypatch.setattr(files, "RACY_SECONDS", -3600)
    monkeypatch.setattr(output_memo.OutputMemo, "recall", lambda self: None)
    content_cache.set_enabled(True)
    findings_of = audit_snapshot.findings_of

    def marked(rows: Any, asset: Any) -> Any:
        return [replace(f, message=MARK + f.message) for f in findings_of(rows, asset)]

    monkeypatch.setattr(audit_snapshot, "findings_of", marked)


@pytest.fixture
def populated(populated: Path) -> Path:
    """The populated registry once bob has left: findings on the blog and the domain."""
    assert Socialgov(populated)("people", "depart", "bob", "--on", "2026-11-01").code == 0
    return populated


def audit(sg: Socialgov, *options: str, fmt: str = "json") -> str:
    result = sg(*TODAY, *options, "audit", "--format", fmt, "--fail-on", "none")
    assert result.code == 0, result.stderr
    return result.stdout


def same_as_uncached(sg: Socialgov, *options: str, fmt: str = "json") -> str:
    """The audit, checked against `--no-cache`; the served findings' mark removed."""
    served = audit(sg, *options, fmt=fmt)
    plain = audit(sg, "--no-cache", *options, fmt=fmt)
    assert served.replace(MARK, "") == plain
    return served


def served(report: str) -> set[str]:
    return {f["asset"] for f in json.loads(report)["findings"] if f["message"].startswith(MARK)}


def test_an_edit_reevaluates_that_file_only(populated: Path) -> None:
    sg = Socialgov(populated)
    before = same_as_uncached(sg)
    assert (populated / SNAPSHOT).is_file()
    path = populated / "assets/domains/example.com.toml"
    path.write_text(path.read_text().replace('"bob"', '"carol"'))
    after = same_as_uncached(sg)
    assert served(after) == {"blog:eng-blog"}  # the other assets with findings
    assert after.replace(MARK, "") != before
    # the table names owners: the changed asset's new ones, the others' from the snapshot
    table = same_as_uncached(sg, fmt="table")
    assert "carol" in table and MARK.strip() in table
    # JUnit has a case per rule and asset it checked: the snapshot's and the edit's merged
    junit = same_as_uncached(sg, fmt="junit")
    assert (
        MARK in junit and 'name="blog:eng-blog"' in junit and 'name="domain:example.com"' in junit
    )
    assert MARK in same_as_uncached(sg, fmt="sarif")


def test_the_patch_is_kept_for_the_next_run(populated: Path) -> None:
    sg = Socialgov(populated)
    same_as_uncached(sg)
    path = populated / "assets/social/x/examplecorp.toml"
    path.write_text(path.read_text().replace("mfa = true", "mfa = false"))
    patched = same_as_uncached(sg)
    assert served(patched) == {"blog:eng-blog", "domain:example.com"}
    assert "social:x/examplecorp" in patched
    assert served(same_as_uncached(sg)) == {
        "blog:eng-blog",
        "domain:example.com",
        "social:x/examplecorp",
    }


@pytest.mark.parametrize(
    "change", ["roster", "today", "waiver", "policy", "observation", "commit", "settings"]
)
def test_a_change_of_context_serves_nothing(populated: Path, change: str) -> None:
    sg = Socialgov(populated)
    record_observation(populated)
    same_as_uncached(sg)
    options = change_context(sg, populated, change, leaver="alice")  # bob left already
    assert served(same_as_uncached(sg, *options)) == set()


def test_retiring_a_domain_reevaluates_what_reads_the_domains(populated: Path) -> None:
    """Rules reading other assets see the domains; when those change, nothing is served,
    and the whole audit replaces what the snapshot held for the unchanged files too."""
    sg = Socialgov(populated)
    before = same_as_uncached(sg)
    assert sg("set", "domain:example.com", "status=retired", "--no-commit").code == 0
    retired = same_as_uncached(sg)
    assert served(retired) == set()
    ungoverned = "blog:eng-blog runs on blog.example.com"
    assert ungoverned in retired and ungoverned not in before
    again = same_as_uncached(sg)  # served from the snapshot that whole audit left
    assert "blog:eng-blog" in served(again) and ungoverned in again


def test_files_added_and_deleted(populated: Path) -> None:
    sg = Socialgov(populated)
    same_as_uncached(sg)
    assert sg("add", "social", "x/another", "--owner", "alice", "--no-commit").code == 0
    (populated / "assets/blogs/eng-blog.toml").unlink()
    after = same_as_uncached(sg)
    assert served(after) == {"domain:example.com"}
    assert "social:x/another" in after and "blog:eng-blog" not in after


def test_a_checkout_of_another_branch_serves_nothing(populated: Path) -> None:
    """Another commit is another context (history-reading rules read it); the checkout's
    files are audited whole. (test_parse_cache.py checks out back and forth with it too.)"""
    sg = Socialgov(populated)
    git(populated, "checkout", "-q", "-b", "other")
    assert sg("set", "social:x/examplecorp", "mfa=false").code == 0
    on_other = same_as_uncached(sg)
    git(populated, "checkout", "-q", "-")
    assert served(same_as_uncached(sg)) == set()
    git(populated, "checkout", "-q", "other")
    assert same_as_uncached(sg) == on_other and served(on_other) == set()


def test_a_file_replaced_with_the_same_size_and_mtime(populated: Path) -> None:
    sg = Socialgov(populated)
    same_as_uncached(sg)
    path = populated / "assets/social/x/examplecorp.toml"
    text, info = path.read_text(), path.stat()
    assert "mfa = true" in text
    replaced = path.with_suffix(".new")
    replaced.write_text(text.replace("mfa = true", "mfa = fals"))  # same size
    os.utime(replaced, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replaced, path)
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    result = sg(*TODAY, "audit", "--format", "json")
    assert result.code == 2 and "examplecorp.toml" in result.stderr  # read again: invalid


def test_an_invalid_edit_reports_every_error_as_the_whole_audit(populated: Path) -> None:
    sg = Socialgov(populated)
    same_as_uncached(sg)
    (populated / "assets/blogs/eng-blog.toml").write_text("owners = [\n")
    (populated / "assets/social/x/examplecorp.toml").write_text("mfa = maybe\n")
    served_run = sg(*TODAY, "audit")
    plain = sg(*TODAY, "--no-cache", "audit")
    assert served_run.code == plain.code == 2
    assert served_run.stderr == plain.stderr
    assert "eng-blog.toml" in plain.stderr and "examplecorp.toml" in plain.stderr


def test_a_waiver_of_a_deleted_asset_is_an_error(populated: Path) -> None:
    sg = Socialgov(populated)
    waived = sg(
        *TODAY, "waive", "orphaned", "blog:eng-blog", "--reason", "ticket 12",
        "--approved-by", "carol", "--until", "2027-01-01",
    )  # fmt: skip
    assert waived.code == 0, waived.stderr
    same_as_uncached(sg)
    (populated / "assets/blogs/eng-blog.toml").unlink()
    result = sg(*TODAY, "audit")
    assert result.code == 2 and "unknown asset blog:eng-blog" in result.stderr


@pytest.mark.parametrize("damage", ["truncated", "not json", "wrong shapes", "journal"])
def test_a_damaged_snapshot_is_ignored_and_rebuilt(populated: Path, damage: str) -> None:
    sg = Socialgov(populated)
    cold = same_as_uncached(sg)
    path = populated / SNAPSHOT
    whole = path.read_bytes()
    document = json.loads(whole)
    if damage == "truncated":
        path.write_bytes(whole[: len(whole) // 2])
    elif damage == "not json":
        path.write_bytes(b"\x00[[[")
    elif damage == "wrong shapes":
        shapes = [7, [], ["domain"], ["planet", "x", True, [], [], 1],
                  ["domain", "example.com", 1, [], [], 1], ["domain", "example.com", True, [3], [], 1],
                  ["domain", "example.com", True, [], [["x"]], 1],
                  ["domain", "example.com", True, [], [], "1"]]  # fmt: skip
        keys = [k for k, v in document["entries"].items() if isinstance(v, list)]
        for shape in shapes[:-1]:
            document["entries"].update({key: shape for key in keys})
            path.write_text(json.dumps(document))
            assert audit(sg) == cold, shape  # nothing served: every file evaluated again
        document["entries"].update({key: shapes[-1] for key in keys})
        path.write_text(json.dumps(document))
    elif damage == "journal":  # a line cut short is ignored; the file itself serves
        journal = path.with_name(path.name + ".log")
        journal.write_bytes(b'\n{"format": "' + document["format"].encode() + b'", "entr')
        assert audit(sg).replace(MARK, "") == cold
    if damage != "journal":
        assert audit(sg) == cold  # nothing served
    rebuilt = audit(sg)
    assert MARK in rebuilt and rebuilt.replace(MARK, "") == cold


def test_a_filtered_audit_neither_reads_nor_writes_it(populated: Path) -> None:
    sg = Socialgov(populated)
    same_as_uncached(sg)
    whole = (populated / SNAPSHOT).read_bytes()
    for options in (("--kind", "blog"), ("--rule", "orphaned"), ("--owner", "bob")):
        result = sg(*TODAY, "audit", "--format", "json", "--fail-on", "none", *options)
        assert result.code == 0 and MARK not in result.stdout
    assert (populated / SNAPSHOT).read_bytes() == whole


def test_a_symlinked_registry_file_or_no_cache_means_no_snapshot(populated: Path) -> None:
    sg = Socialgov(populated)
    audit(sg, "--no-cache")
    assert not (populated / SNAPSHOT).exists()
    shutil.copy(populated / "people.toml", populated.parent / "people.toml")
    (populated / "notes.toml").symlink_to(populated.parent / "people.toml")
    same_as_uncached(sg)
    assert not (populated / SNAPSHOT).exists()
