"""The output memo: a run whose inputs have not changed prints what the last one printed,
and every change of an input — a file, the branch, the history, the date, an option, a
file read outside the registry — gives what `--no-cache` gives."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from socialgov.registry import content_cache, files, output_memo
from tests.conftest import Result, Socialgov, git

TODAY = ("--today", "2026-11-20")
COMMANDS = (
    ("audit", "--format", "json"),
    ("audit", "--format", "sarif", "--fail-on", "none"),
    ("list", "--format", "json"),
    ("list", "--format", "csv", "--kind", "domain"),
    ("check", "--base", "HEAD~1", "--format", "json"),
)
MEMOS = Path(".socialgov/cache/outputs")


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Stats trusted at once (the path of files older than a few seconds), and a record of
    whether each run found its memo."""
    monkeypatch.setattr(files, "RACY_SECONDS", -3600)
    content_cache.set_enabled(True)
    found: list[bool] = []
    recall = output_memo.OutputMemo.recall

    def recording(self: output_memo.OutputMemo) -> output_memo.Output | None:
        kept = recall(self)
        found.append(kept is not None)
        return kept

    monkeypatch.setattr(output_memo.OutputMemo, "recall", recording)
    return found


def run(sg: Socialgov, *args: str) -> Result:
    result = sg(*TODAY, *args)
    assert result.code in (0, 1), result.stderr
    return result


def outcome(result: Result) -> tuple[int, str, str]:
    return result.code, result.stdout, result.stderr


def same_as_uncached(sg: Socialgov, *args: str) -> Result:
    cached = run(sg, *args)
    assert outcome(cached) == outcome(run(sg, "--no-cache", *args)), args
    return cached


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_an_unchanged_registry_is_answered_from_the_memo(
    populated: Path, settled: list[bool], args: tuple[str, ...]
) -> None:
    sg = Socialgov(populated)
    (populated / "assets/blogs/press.toml").write_text('owners = ["bob"]\nstatus = "active"\n')
    first = same_as_uncached(sg, *args)
    settled.clear()
    again = run(sg, *args)
    assert settled == [True]
    assert outcome(again) == outcome(first)
    assert first.stdout.strip() and len(list((populated / MEMOS).iterdir())) == 1


def _edit(root: Path) -> None:
    path = root / "assets/domains/example.com.toml"
    path.write_text(path.read_text().replace('"bob"', '"carol"'))


def _same_size_and_mtime(root: Path) -> None:
    path = root / "assets/social/x/examplecorp.toml"
    text = path.read_text()
    info = path.stat()
    swapped = text.replace('"alice"', '"carol"')
    assert len(swapped) == len(text) and swapped != text
    path.write_text(swapped)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _add(root: Path) -> None:
    (root / "assets/blogs/news.toml").write_text('owners = ["bob"]\nstatus = "active"\n')


def _remove(root: Path) -> None:
    (root / "assets/blogs/eng-blog.toml").unlink()


def _branch(root: Path) -> None:
    git(root, "checkout", "-q", "-b", "other")
    Socialgov(root)("set", "social:x/examplecorp", "mfa=false")


def _commit(root: Path) -> None:
    """A new commit changes the history rules read, not the working tree."""
    git(root, "commit", "-q", "--allow-empty", "-m", "empty")


def _shallow(root: Path) -> None:
    """A shallow clone deepened (or made shallower) changes the history behind one HEAD."""
    (root / ".git/shallow").write_text(git(root, "rev-parse", "HEAD~1").strip() + "\n")


def _people(root: Path) -> None:
    path = root / "people.toml"
    path.write_text(path.read_text().replace("Bob Left", "Bob Still Left"))


@pytest.mark.parametrize(
    "change", [_edit, _same_size_and_mtime, _add, _remove, _branch, _commit, _shallow, _people]
)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_any_change_of_the_registry_is_seen(
    populated: Path, settled: list[bool], args: tuple[str, ...], change: object
) -> None:
    sg = Socialgov(populated)
    run(sg, *args)
    assert callable(change)
    change(populated)
    settled.clear()
    same_as_uncached(sg, *args)
    assert settled[0] is False


def test_the_date_and_options_are_part_of_the_key(populated: Path, settled: list[bool]) -> None:
    sg = Socialgov(populated)
    sg(*TODAY, "audit", "--format", "json")
    for args in (
        ("--today", "2027-06-01", "audit", "--format", "json"),
        (*TODAY, "audit", "--format", "json", "--fail-on", "none"),
        (*TODAY, "audit", "--format", "json", "--kind", "blog"),
        (*TODAY, "audit", "--format", "sarif"),
    ):
        settled.clear()
        result = sg(*args)
        assert settled == [False], args
        assert outcome(result) == outcome(sg("--no-cache", *args))


def test_a_policy_file_outside_the_registry_is_part_of_the_key(
    populated: Path, tmp_path: Path, settled: list[bool]
) -> None:
    sg = Socialgov(populated)
    policy = tmp_path / "policy.toml"
    policy.write_text('extends = "default"\n[rules.auto-renew-off]\nseverity = "low"\n')
    args = ("audit", "--format", "json", "--policy", str(policy))
    before = same_as_uncached(sg, *args)
    policy.write_text('extends = "default"\n[rules.auto-renew-off]\nseverity = "high"\n')
    settled.clear()
    after = same_as_uncached(sg, *args)
    assert settled[0] is False and after.stdout != before.stdout


def test_check_is_keyed_by_the_base_commit_and_codeowners(
    populated: Path, settled: list[bool]
) -> None:
    sg = Socialgov(populated)
    git(populated, "branch", "base", "HEAD~1")
    args = ("check", "--base", "base", "--format", "json")
    first = same_as_uncached(sg, *args)
    git(populated, "branch", "-f", "base", "HEAD~2")  # same option, another commit
    settled.clear()
    moved = same_as_uncached(sg, *args)
    assert settled[0] is False and moved.stdout != first.stdout
    assert sg("people", "set", "alice", "github=alice-gh").code == 0
    assert sg("codeowners").code == 0
    run(sg, *args)
    codeowners = populated / ".github/CODEOWNERS"
    codeowners.write_text(codeowners.read_text().replace("@alice-gh", "@someone-else"))
    settled.clear()
    stale = same_as_uncached(sg, *args)
    assert settled[0] is False and "CODEOWNERS is out of date" in stale.stderr


def test_a_damaged_foreign_or_planted_memo_is_ignored(
    populated: Path, settled: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    sg = Socialgov(populated)
    args = ("audit", "--format", "json")
    first = run(sg, *args)
    (memo,) = (populated / MEMOS).iterdir()
    whole = memo.read_bytes()
    meta = json.loads(whole.split(b"\n", 1)[0])
    for damaged in (
        whole[: len(whole) - 10],  # cut short
        b"",
        b"not json\n" + whole.split(b"\n", 1)[1],
        json.dumps(meta | {"format": "socialgov-output/0"}).encode()
        + b"\n"
        + whole.split(b"\n", 1)[1],
        json.dumps(meta | {"code": "0"}).encode() + b"\n" + whole.split(b"\n", 1)[1],
    ):
        memo.write_bytes(damaged)
        settled.clear()
        assert outcome(run(sg, *args)) == outcome(first)
        assert settled == [False]
        assert memo.read_bytes() == whole  # written again
    forged = json.dumps(meta).encode() + b"\n" + b'{"findings": []}'
    memo.write_bytes(forged.replace(b'"size": %d' % meta["size"], b'"size": 16'))
    monkeypatch.setattr(content_cache, "_secret", b"\x01" * 32)  # another machine's key
    settled.clear()
    assert run(sg, *args).stdout == first.stdout
    assert settled == [False]


def test_no_memo_for_a_table_a_racy_file_a_symlink_or_no_cache(
    populated: Path, settled: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    sg = Socialgov(populated)
    run(sg, "audit")
    run(sg, "--no-cache", "audit", "--format", "json")
    assert not (populated / MEMOS).exists()
    (populated / "assets/blogs/link.txt").symlink_to("eng-blog.toml")
    run(sg, "audit", "--format", "json")
    assert not (populated / MEMOS).exists()
    (populated / "assets/blogs/link.txt").unlink()
    monkeypatch.setattr(files, "RACY_SECONDS", 10**9)  # every file changed "just now"
    run(sg, "audit", "--format", "json")
    assert not (populated / MEMOS).exists()


def test_only_the_last_memos_are_kept(populated: Path) -> None:
    sg = Socialgov(populated)
    for n in range(output_memo.KEEP + 3):
        run(sg, "list", "--format", "json", "--tag", f"t{n}")
    assert len(list((populated / MEMOS).iterdir())) == output_memo.KEEP
    assert git(populated, "status", "--porcelain") == ""  # ignored by git


def test_a_report_written_into_the_registry_is_no_input(
    populated: Path, settled: list[bool]
) -> None:
    sg = Socialgov(populated)
    args = ("audit", "--format", "sarif", "--output", "audit.sarif")
    first = run(sg, *args)
    written = (populated / "audit.sarif").read_text()
    settled.clear()
    assert outcome(run(sg, *args)) == outcome(first)  # rewritten by the first run, yet a hit
    assert settled == [True] and (populated / "audit.sarif").read_text() == written
    run(sg, "audit", "--format", "json", "--output", "notes.toml")
    settled.clear()
    run(sg, "audit", "--format", "json", "--output", "notes.toml")
    assert settled == [False]  # a TOML file could be a registry's input: it is part of the key


def test_socialgov_code_is_part_of_the_key(
    populated: Path, settled: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editable install (or a rebuild under the same version) changes the code that made
    an output: its files' stats are part of the key."""
    sg = Socialgov(populated)
    run(sg, "audit", "--format", "json")
    assert output_memo.code_identity()  # socialgov's own files were found
    monkeypatch.setattr(output_memo, "code_identity", lambda: b"socialgov/rules.py:1:2:3")
    settled.clear()
    run(sg, "audit", "--format", "json")
    assert settled == [False]


def test_a_report_is_written_out_and_kept_at_once(populated: Path) -> None:
    """A report made piece by piece is written out and kept as it is made, never whole, and
    comes back exactly: several write chunks, characters of 2, 3 and 4 bytes."""
    from datetime import date

    memo = output_memo.OutputMemo(populated, ["test"], date(2026, 11, 20))
    text = "é€𝄞 line\n" * 300_000
    pieces = [text[:7], "", text[7:1_500_001], text[1_500_001:]]
    written: list[str] = []

    def emit(keep: Callable[[str], None]) -> None:
        for piece in pieces:
            written.append(piece)
            keep(piece)

    memo.remember_while(1, "a note", emit)
    assert "".join(written) == text
    assert memo.recall() == output_memo.Output(text, 1, "a note")
    assert output_memo.OutputMemo(populated, ["test"], date(2026, 11, 21)).recall() is None


def test_an_output_that_fails_leaves_no_memo_and_a_memo_that_fails_loses_no_output(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    memo = output_memo.OutputMemo(populated, ["test"], date(2026, 11, 20))
    folder = populated / MEMOS

    def broken(keep: Callable[[str], None]) -> None:
        keep("half a report")
        raise BrokenPipeError(32, "the reader went away")

    with pytest.raises(BrokenPipeError):
        memo.remember_while(0, "", broken)
    assert memo.recall() is None and list(folder.iterdir()) == []  # no memo, no temporary

    written: list[str] = []

    def emit(keep: Callable[[str], None]) -> None:
        for piece in ("one ", "two ", "three"):
            written.append(piece)
            keep(piece)

    class FullDisk(io.BytesIO):
        def write(self, data: Any) -> int:
            if self.tell() > 0:  # the first line fits, then the disk is full
                raise OSError(28, "No space left on device")
            return super().write(data)

    monkeypatch.setattr(output_memo, "write_cache_file", lambda _, __, data: data(FullDisk()))
    memo.remember_while(0, "", emit)
    assert "".join(written) == "one two three"

    def unwritable(*_: Any) -> None:
        raise OSError(13, "Permission denied")

    written.clear()
    monkeypatch.setattr(output_memo, "write_cache_file", unwritable)
    memo.remember_while(0, "", emit)
    assert "".join(written) == "one two three"
