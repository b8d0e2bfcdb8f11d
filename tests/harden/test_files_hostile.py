"""Hostile registry files: only regular files inside the registry are read, bombs never reach the parser."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import git
from tests.harden.conftest import run


def _set_policy_files(root: Path, value: str) -> int:
    """Set `[policy] files` in socialgov.toml; the line number it is on."""
    settings = root / "socialgov.toml"
    text = settings.read_text().replace("files = []", f"files = [{value}]")
    settings.write_text(text)
    return text.splitlines().index(f"files = [{value}]") + 1


def _expect_exit2_naming(root: Path, name: str, *args: str) -> str:
    started = time.monotonic()
    result = run(root, *(args or ("audit",)))
    assert time.monotonic() - started < 20
    assert result.code == 2, (result.code, result.stderr)
    assert f"{name}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_people_as_a_fifo_is_refused_without_hanging(small: Path) -> None:
    (small / "people.toml").unlink()
    os.mkfifo(small / "people.toml")
    err = _expect_exit2_naming(small, "people.toml")
    assert "FIFO" in err


def test_waivers_as_a_dev_zero_symlink(small: Path) -> None:
    (small / "waivers.toml").unlink(missing_ok=True)
    (small / "waivers.toml").symlink_to("/dev/zero")
    err = _expect_exit2_naming(small, "waivers.toml")
    assert "out of the registry" in err


def test_a_symlink_leaving_the_registry(small: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.toml"
    outside.write_text('owners = ["alice"]\n')
    target = small / "assets" / "domains" / "evil.example.toml"
    target.symlink_to(outside)
    _expect_exit2_naming(small, "assets/domains/evil.example.toml")


def test_a_symlink_loop(small: Path) -> None:
    loop = small / "assets" / "domains" / "loop.example.toml"
    loop.symlink_to(loop)
    err = _expect_exit2_naming(small, "assets/domains/loop.example.toml")
    assert "loop" in err


def test_a_folder_where_a_file_belongs(small: Path) -> None:
    (small / "waivers.toml").unlink(missing_ok=True)
    (small / "waivers.toml").mkdir()
    err = _expect_exit2_naming(small, "waivers.toml")
    assert "folder" in err


def test_assets_as_a_symlink_to_root_is_not_walked(small: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved-assets"
    (small / "assets").rename(moved)
    (small / "assets").symlink_to("/")
    _expect_exit2_naming(small, "assets")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file(small: Path) -> None:
    (small / "people.toml").chmod(0)
    err = _expect_exit2_naming(small, "people.toml")
    assert "permission" in err


def test_a_forty_kilobyte_dotted_key(small: Path) -> None:
    path = small / "assets" / "domains" / "example.com.toml"
    path.write_text(path.read_text() + "x" + ".x" * 20000 + " = 1\n")
    err = _expect_exit2_naming(small, "assets/domains/example.com.toml")
    assert "dotted key" in err


def test_deep_nesting(small: Path) -> None:
    path = small / "people.toml"
    path.write_text(path.read_text() + "\n[teams.deep]\nmembers = " + "[" * 5000 + "]" * 5000)
    err = _expect_exit2_naming(small, "people.toml")
    assert "nested" in err


def test_an_oversized_file(small: Path) -> None:
    path = small / "assets" / "domains" / "big.example.toml"
    path.write_bytes(b"# " + b"x" * (9 * 1024 * 1024))
    _expect_exit2_naming(small, "assets/domains/big.example.toml")


@pytest.mark.parametrize("named", ["/etc/passwd", "/dev/stdin", "../outside.toml", "/dev/null"])
def test_policy_files_outside_the_registry(small: Path, named: str) -> None:
    line = _set_policy_files(small, f'"{named}"')
    err = _expect_exit2_naming(small, f"socialgov.toml:{line}")
    assert "outside the registry" in err


@pytest.mark.parametrize("parent", ["/dev/stdin", "../../../etc/passwd"])
def test_extends_outside_the_registry(small: Path, parent: str) -> None:
    (small / "policies").mkdir()
    (small / "policies" / "p.toml").write_text(f'extends = "{parent}"\n')
    _set_policy_files(small, '"policies/p.toml"')
    err = _expect_exit2_naming(small, "policies/p.toml:1")
    assert "outside the registry" in err


def test_a_missing_policy_file_is_reported_at_the_line_naming_it(small: Path) -> None:
    line = _set_policy_files(small, '"policies/none.toml"')
    err = _expect_exit2_naming(small, f"socialgov.toml:{line}")
    assert "policies/none.toml" in err


def test_a_pull_request_cannot_switch_off_the_rules_it_breaks(small: Path) -> None:
    (small / "policies").mkdir()
    (small / "policies" / "p.toml").write_text('extends = "default"\n')
    _set_policy_files(small, '"policies/p.toml"')
    git(small, "add", "-A")
    git(small, "commit", "-qm", "policy")
    # the pull request: an orphaned critical asset, and a policy that disables everything
    assert run(small, "add", "domain", "orphan.example", "--set", "criticality=high").code == 0
    (small / "policies" / "p.toml").write_text("[rules.orphaned]\nenabled = false\n")
    checked = run(small, "check", "--base", "HEAD~1", "--fail-on", "low")
    assert checked.code == 1, checked.stdout + checked.stderr
    assert "orphaned" in checked.stdout
    assert "edits the policy" in checked.stderr
    allowed = run(small, "check", "--base", "HEAD~1", "--allow-policy-change", "--fail-on", "low")
    assert "orphaned" not in allowed.stdout


@pytest.mark.parametrize("link", [".socialgov", ".socialgov/cache", ".socialgov/cache/outputs"])
def test_no_cache_is_written_through_a_symlinked_cache_folder(
    small: Path, tmp_path: Path, link: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository can carry `.socialgov` (or a folder in it) as a symbolic link: caches
    written through it would land where the repository's author chose."""
    from socialgov.registry import files

    monkeypatch.setattr(files, "RACY_SECONDS", -3600)  # files just written: memos all the same
    outside = tmp_path / "outside"
    outside.mkdir()
    (small / link).parent.mkdir(parents=True, exist_ok=True)
    if (small / link).exists():
        import shutil

        shutil.rmtree(small / link)
    (small / link).symlink_to(outside, target_is_directory=True)
    expected = run(small, "--no-cache", "audit", "--format", "json")
    for _ in range(2):
        result = run(small, "audit", "--format", "json")
        assert (result.code, result.stdout) == (expected.code, expected.stdout)
        assert list(outside.iterdir()) == []


def test_no_journal_line_is_appended_through_a_symlink(tmp_path: Path) -> None:
    from socialgov.registry import content_cache

    folder = tmp_path / "registry" / ".socialgov" / "cache"
    store = content_cache.ContentCache(folder / "c.json", "test/1")
    for n in range(2000):
        store.put(f"k{n}", [n])
    store.save()
    victim = tmp_path / "victim"
    victim.write_text("mine\n")
    again = content_cache.ContentCache(folder / "c.json", "test/1")
    again.journal.symlink_to(victim)
    again.put("planted", ["x"])
    again.save()
    assert victim.read_text() == "mine\n"
    assert content_cache.ContentCache(folder / "c.json", "test/1").get("planted") is None


def test_no_lookup_is_cached_through_a_symlinked_folder(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from socialgov.lookup.cache import ObservationCache
    from socialgov.lookup.observation import Observation

    outside = tmp_path / "outside"
    outside.mkdir()
    cache_dir = tmp_path / "registry" / ".socialgov" / "cache"
    cache_dir.mkdir(parents=True)
    (cache_dir / "observations").symlink_to(outside, target_is_directory=True)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    cache = ObservationCache(cache_dir, max_age_hours=24)
    cache.put(Observation("example.com", registered=True, fetched_at=now))
    assert list(outside.iterdir()) == []
    (cache_dir / "observations").unlink()
    cache.put(Observation("example.com", registered=True, fetched_at=now))
    assert cache.get("example.com", now) is not None  # a real folder is written as before
