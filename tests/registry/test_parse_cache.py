"""The on-disk parse cache never changes what a command says: every case gives the findings
`--no-cache` gives, and a broken, foreign or planted cache is ignored and rebuilt."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from socialgov.registry import asset_cache, content_cache, files, output_memo, parse_pool
from socialgov.registry.asset_cache import asset_of, parse_file
from socialgov.registry.parse_pool import ParsePool
from tests.conftest import Socialgov, git

CACHE = Path(".socialgov/cache/assets.json")
TODAY = ("--today", "2026-11-20")


@pytest.fixture(autouse=True, params=["racy", "settled"])
def stat_trust(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every case twice: with files just written (their stat is not trusted, so every file
    is read and hashed), and with stats trusted at once (files known by their stat are not
    read: the path a registry whose files are older than a few seconds takes)."""
    monkeypatch.setattr(files, "RACY_SECONDS", -3600 if request.param == "settled" else 10**9)
    content_cache.set_enabled(True)  # as a command without --no-cache sets it
    # The output memo above the parse cache would answer a run with unchanged files before
    # the parse cache is asked: these tests are about the parse cache (test_output_memo.py).
    monkeypatch.setattr(output_memo.OutputMemo, "recall", lambda self: None)
    return str(request.param)


def records_of(entries: dict[str, list[object]]) -> list[list[object]]:
    """The asset records among a cache's entries: `[data, text, dates, kind, name]`."""
    return [e for e in entries.values() if len(e) == 5]


def outputs(sg: Socialgov, *extra: str) -> tuple[str, str]:
    audit = sg(*TODAY, *extra, "audit", "--format", "json")
    listed = sg(*TODAY, *extra, "list", "--format", "json")
    assert audit.code in (0, 1), audit.stderr
    assert listed.code == 0, listed.stderr
    return audit.stdout, listed.stdout


def same_as_uncached(sg: Socialgov) -> tuple[str, str]:
    cached = outputs(sg)
    assert cached == outputs(sg, "--no-cache")
    return cached


def test_warm_run_is_served_from_the_cache_and_the_cache_is_ignored(populated: Path) -> None:
    sg = Socialgov(populated)
    cold = same_as_uncached(sg)
    entries = json.loads((populated / CACHE).read_text())["entries"]
    assert len(records_of(entries)) == 3
    assert same_as_uncached(sg) == cold
    assert git(populated, "status", "--porcelain") == ""


def test_an_edit_is_seen(populated: Path) -> None:
    sg = Socialgov(populated)
    before = same_as_uncached(sg)
    path = populated / "assets/domains/example.com.toml"
    path.write_text(path.read_text().replace('"bob"', '"carol"'))
    after = same_as_uncached(sg)
    assert after != before and '"carol"' in after[1]


def test_checkout_of_another_branch_is_seen(populated: Path) -> None:
    sg = Socialgov(populated)
    git(populated, "checkout", "-q", "-b", "other")
    assert sg("set", "social:x/examplecorp", "mfa=false").code == 0
    on_other = same_as_uncached(sg)
    git(populated, "checkout", "-q", "-")
    on_main = same_as_uncached(sg)
    assert on_main != on_other
    git(populated, "checkout", "-q", "other")
    assert same_as_uncached(sg) == on_other


def test_same_size_and_mtime_with_other_content_is_seen(populated: Path) -> None:
    sg = Socialgov(populated)
    before = same_as_uncached(sg)
    path = populated / "assets/social/x/examplecorp.toml"
    info = path.stat()
    text = path.read_text()
    assert "mfa = true" in text
    path.write_text(text.replace("mfa = true", "mfa = 1234"))  # same length
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    audit = sg(*TODAY, "audit", "--format", "json")
    assert audit.code == 2 and "examplecorp.toml" in audit.stderr  # an integer is no bool
    path.write_text(text.replace("mfa = true", "mfa = fals"))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert sg(*TODAY, "audit").code == 2
    path.write_text(text)
    assert same_as_uncached(sg) == before


BROKEN: list[bytes | None] = [
    None,  # truncated
    b"",
    b"\x80\x81 not json",
    b"[1, 2, 3]",
    b'{"format": "someone-else/9", "entries": {}}',
    b'{"format": "FORMAT", "entries": []}',
    b'{"format": "FORMAT", "entries": "KEYS"}',
    b"[" * 100_000 + b"]" * 100_000,
]


def test_a_broken_or_foreign_cache_is_ignored_and_rebuilt(populated: Path) -> None:
    sg = Socialgov(populated)
    before = same_as_uncached(sg)
    path = populated / CACHE
    whole = path.read_bytes()
    for content in BROKEN:
        if content is None:
            content = whole[: len(whole) // 2]
        elif b"KEYS" in content:
            # every real key, each with a record of the wrong shape
            keys = json.loads(whole)["entries"]
            content = json.dumps(
                {"format": asset_cache.FORMAT, "entries": {k: [1, "x"] for k in keys}}
            ).encode()
        content = content.replace(b"FORMAT", asset_cache.FORMAT.encode())
        path.write_bytes(content)
        assert outputs(sg) == before, content[:60]
        assert json.loads(path.read_bytes())["format"] == asset_cache.FORMAT  # rebuilt


def test_a_planted_cache_is_never_served(populated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache made elsewhere (a pull request can commit one) has keys of another secret."""
    sg = Socialgov(populated)
    before = same_as_uncached(sg)
    path = populated / CACHE
    planted = json.loads(path.read_bytes())
    for record in planted["entries"].values():
        if record in records_of(planted["entries"]):  # not a stat's or blob's entry
            record[0]["owners"] = ["mallory"]
    path.write_text(json.dumps(planted))
    assert "mallory" in outputs(sg)[1]  # this machine's secret: its own records are served…
    monkeypatch.setattr(content_cache, "_secret", b"\x01" * 32)  # …and no other machine's
    path.write_text(json.dumps(planted))
    assert outputs(sg) == before


def test_no_cache_writes_nothing(populated: Path) -> None:
    sg = Socialgov(populated)
    outputs(sg)
    assert (populated / CACHE).exists()  # a command made it
    (populated / CACHE).unlink()
    outputs(sg, "--no-cache")
    assert not (populated / CACHE).exists()
    outputs(sg)
    assert (populated / CACHE).exists()


def test_dates_come_back_exactly(populated: Path) -> None:
    from datetime import date

    from socialgov.registry.load import load_registry

    cold = load_registry(populated).assets
    warm = load_registry(populated).assets
    assert (populated / CACHE).exists()
    for asset_id, asset in cold.items():
        assert dict(warm[asset_id].data) == dict(asset.data)
    expires = next(a for a in warm.values() if a.kind.value == "domain").section["expires"]
    assert type(expires) is date and expires == date(2027, 5, 5)


def parse_many(items: list[tuple[str, bytes]]) -> list[object]:
    """Each file's asset or error, in the order given; in parallel when there are many."""
    with ParsePool(parse_file, len(items)) as pool:
        for rel, raw in items:
            pool.add(rel, raw)
        return [asset_of(rel, outcome) for rel, _, outcome in pool.results()]


def test_parallel_parse_gives_the_serial_result(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [
        (rel, (populated / rel).read_bytes())
        for rel in (
            "assets/domains/example.com.toml",
            "assets/blogs/eng-blog.toml",
            "assets/social/x/examplecorp.toml",
        )
    ]
    items.append(("assets/blogs/broken.toml", b"owners = [\n"))
    items.append(("assets/blogs/wrong.toml", b'owners = ["a"]\nnope = 1\n'))
    serial = list(parse_many(items))
    monkeypatch.setattr(parse_pool, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parse_pool, "_CHUNK", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = list(parse_many(items))
    assert len(parallel) == len(serial) == 5
    for one, two in zip(serial, parallel, strict=True):
        assert type(one) is type(two)
        if isinstance(one, Exception):
            assert str(one) == str(two) and one.hint == two.hint  # type: ignore[attr-defined]
        else:
            assert one == two and dict(one.data) == dict(two.data)  # type: ignore[union-attr]
            assert one.source.text == two.source.text  # type: ignore[union-attr]


def test_files_read_by_the_workers_give_the_serial_load(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold load of many files has the workers read them too: the same assets, and the
    same errors in the same order, a file that cannot be read among them."""
    from socialgov.errors import InvalidFiles
    from socialgov.registry.load import load_registry

    (populated / "assets/blogs/broken.toml").write_text("owners = [\n")
    (populated / "assets/blogs/a-folder.toml").mkdir()
    os.mkfifo(populated / "assets/blogs/fifo.toml")
    (populated / "assets/blogs/wrong.toml").write_text('owners = ["a"]\nnope = 1\n')

    def load() -> list[str]:
        shutil.rmtree(populated / ".socialgov", ignore_errors=True)
        with pytest.raises(InvalidFiles) as caught:
            load_registry(populated)
        return [str(e) for e in caught.value.errors]

    serial = load()
    monkeypatch.setattr(parse_pool, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parse_pool, "_CHUNK", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert load() == serial and len(serial) == 4
    for name in ("broken", "a-folder", "fifo", "wrong"):
        path = populated / f"assets/blogs/{name}.toml"
        path.rmdir() if path.is_dir() else path.unlink()
    parallel = load_registry(populated)
    monkeypatch.setattr(parse_pool, "PARALLEL_MIN", 10**9)
    shutil.rmtree(populated / ".socialgov", ignore_errors=True)
    assert load_registry(populated).assets == parallel.assets and len(parallel.assets) == 3


def test_parallel_observation_parse_gives_the_serial_result(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Observation files parsed on workers: the same observations, and the same errors in
    the same order (a cold cache, then a warm one serving what the workers made)."""
    from socialgov.errors import InvalidFiles
    from socialgov.registry.load import load_observations

    folder = populated / "observations"
    folder.mkdir()
    for number in range(5):
        (folder / f"d{number}.example.toml").write_text(
            f'domain = "d{number}.example"\nregistered = true\nregistrar = "R {number}"\n'
            "fetched_at = 2026-11-19T08:00:00Z\n"
        )
    (folder / "broken.example.toml").write_text("registered = [\n")
    (folder / "wrong.example.toml").write_text("registered = true\n")

    def load() -> tuple[list[str], list[object]]:
        with pytest.raises(InvalidFiles) as caught:
            load_observations(populated, disk=populated)
        errors = [str(e) for e in caught.value.errors]
        (folder / "broken.example.toml").rename(folder.parent / "broken.toml")
        (folder / "wrong.example.toml").rename(folder.parent / "wrong.toml")
        loaded = load_observations(populated, disk=populated)
        shared: dict[Any, Any] = {}  # both sides of check --base share what they parsed
        assert load_observations(populated, shared) == loaded  # parsed, no content cache
        assert load_observations(populated, shared) == loaded
        (folder.parent / "broken.toml").rename(folder / "broken.example.toml")
        (folder.parent / "wrong.toml").rename(folder / "wrong.example.toml")
        return errors, list(loaded.items())

    serial = load()
    shutil.rmtree(populated / ".socialgov", ignore_errors=True)
    monkeypatch.setattr(parse_pool, "PARALLEL_MIN", 1)
    monkeypatch.setattr(parse_pool, "_CHUNK", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert load() == serial
    assert len(serial[0]) == 2 and len(serial[1]) == 5
    assert load() == serial  # served from the cache the workers' results filled


def test_the_roster_is_served_from_the_cache_only_while_people_toml_is_unchanged(
    populated: Path,
) -> None:
    from socialgov.registry.load import load_registry

    cold = load_registry(populated).roster
    assert (populated / ".socialgov/cache/roster.json").exists()
    warm = load_registry(populated).roster
    assert warm == cold
    people = populated / "people.toml"
    people.write_text(people.read_text().replace("Alice Example", "Alice Renamed"))
    assert load_registry(populated).roster.people["alice"].name == "Alice Renamed"
    (populated / ".socialgov/cache/roster.json").write_text('{"format": 1, "entries": [')
    assert load_registry(populated).roster.people["alice"].name == "Alice Renamed"


def test_a_file_known_by_its_stat_is_not_read(
    populated: Path, monkeypatch: pytest.MonkeyPatch, stat_trust: str
) -> None:
    sg = Socialgov(populated)
    cold = outputs(sg)
    entries = json.loads((populated / CACHE).read_text())["entries"]
    known = [e for e in entries.values() if e not in records_of(entries)]
    # [content key, blob id] by each file's blob id, and by its stat once it is settled
    assert len(known) == (6 if stat_trust == "settled" else 3)
    read: list[str] = []
    real_read = files.DiskFiles.read

    def counting(self: files.DiskFiles, rel: str) -> bytes | None:
        read.append(rel)
        return real_read(self, rel)

    monkeypatch.setattr(files.DiskFiles, "read", counting)
    assert outputs(sg) == cold
    asset_reads = [rel for rel in read if rel.startswith("assets/")]
    every_file = [
        "assets/blogs/eng-blog.toml",
        "assets/domains/example.com.toml",
        "assets/social/x/examplecorp.toml",
    ]
    # settled: none is read; racy: each is read by both commands (audit, then list)
    assert asset_reads == ([] if stat_trust == "settled" else every_file * 2)


def test_a_replaced_file_of_the_same_size_and_mtime_is_read_again(populated: Path) -> None:
    """A new file put in place (a checkout, an editor's save) has another inode and change
    time, whatever its size and modification time say."""
    sg = Socialgov(populated)
    before = same_as_uncached(sg)
    path = populated / "assets/social/x/examplecorp.toml"
    info = path.stat()
    fresh = path.with_name("examplecorp.new")
    fresh.write_text(path.read_text().replace("mfa = true", "mfa = 1234"))
    os.utime(fresh, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(fresh, path)
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    audit = sg(*TODAY, "audit", "--format", "json")
    assert audit.code == 2 and "examplecorp.toml" in audit.stderr
    path.write_text(path.read_text().replace("mfa = 1234", "mfa = true"))
    assert same_as_uncached(sg) == before


OBSERVATION = """\
domain = "example.com"
registered = true
registrar = "{registrar}"
name_servers = ["ns1.example.net"]
expires = {expires}
fetched_at = 2026-11-19T08:00:00Z
"""


def test_observations_are_served_from_the_cache_only_while_their_file_is_unchanged(
    populated: Path,
) -> None:
    sg = Socialgov(populated)
    (populated / "observations").mkdir(exist_ok=True)
    observation = populated / "observations/example.com.toml"
    observation.write_text(OBSERVATION.format(registrar="Approved", expires="2030-01-01"))
    before = same_as_uncached(sg)
    stored = populated / ".socialgov/cache/observations.json"
    assert len(json.loads(stored.read_text())["entries"]) >= 1
    observation.write_text(OBSERVATION.format(registrar="Other Registrar", expires="2026-11-25"))
    after = same_as_uncached(sg)
    listed = sg(*TODAY, "show", "example.com", "--format", "json")
    assert listed.code == 0 and "Other Registrar" in listed.stdout
    stored.write_bytes(stored.read_bytes()[:40])
    assert same_as_uncached(sg) == after
    observation.write_text("domain = 7\n")
    broken = sg(*TODAY, "audit")
    assert broken.code == 2 and "observations/example.com.toml" in broken.stderr
    assert "domain-expiring" in after[0] and "domain-expiring" not in before[0]


def test_check_base_reads_no_blob_of_an_asset_file_the_working_tree_has_unchanged(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialgov import vcs

    sg = Socialgov(populated)
    outputs(sg)  # the working tree's cache knows every file and its blob id
    path = populated / "assets/social/x/examplecorp.toml"
    path.write_text(path.read_text().replace("mfa = true", "mfa = false"))
    asked: list[str] = []
    real = vcs.read_blobs

    def counting(cwd: Path, ids: list[str]) -> dict[str, bytes]:
        asked.extend(ids)
        return real(cwd, ids)

    monkeypatch.setattr(vcs, "read_blobs", counting)
    cached = sg(*TODAY, "check", "--base", "HEAD", "--format", "json")
    unchanged = {
        git(populated, "rev-parse", f"HEAD:{rel}").strip()
        for rel in ("assets/domains/example.com.toml", "assets/blogs/eng-blog.toml")
    }
    assert not unchanged & set(asked)
    asked.clear()
    uncached = sg(*TODAY, "--no-cache", "check", "--base", "HEAD", "--format", "json")
    assert unchanged <= set(asked)  # without the cache every blob is read
    assert cached.code == uncached.code and cached.stdout == uncached.stdout
    assert "examplecorp" in cached.stdout


@pytest.mark.parametrize("entries", [1, 999, 1000, 1001, 2500])
def test_a_cache_written_an_entry_at_a_time_reads_back_whole(tmp_path: Path, entries: int) -> None:
    from datetime import date

    store = content_cache.ContentCache(tmp_path / "c.json", "test/1")
    for n in range(entries):
        store.put(f"k{n}", [n, "é\n", {"a": None}, date(2026, 1, 2)])
    store.save()
    again = content_cache.ContentCache(tmp_path / "c.json", "test/1")
    assert len(again.old) == entries
    assert again.get(f"k{entries - 1}") == [entries - 1, "é\n", {"a": None}, "2026-01-02"]


def test_audit_and_check_in_turn_leave_the_cache_file_alone(populated: Path) -> None:
    """Their working sets differ (check also reads the base's version of a changed file):
    once both have run, neither rewrites the cache for the other."""
    sg = Socialgov(populated)
    path = populated / "assets/blogs/eng-blog.toml"
    path.write_text(path.read_text().replace('"bob"', '"carol"'))
    for _ in range(2):
        outputs(sg)
        assert sg(*TODAY, "check", "--base", "HEAD", "--format", "json").code in (0, 1)
    written = (populated / CACHE).stat()
    outputs(sg)
    assert sg(*TODAY, "check", "--base", "HEAD", "--format", "json").code in (0, 1)
    assert (populated / CACHE).stat().st_ino == written.st_ino
    assert (populated / CACHE).stat().st_mtime_ns == written.st_mtime_ns


def test_entries_of_deleted_files_fall_away_at_the_next_write(populated: Path) -> None:
    sg = Socialgov(populated)
    outputs(sg)
    assert len(records_of(json.loads((populated / CACHE).read_text())["entries"])) == 3
    git(populated, "rm", "-q", "assets/blogs/eng-blog.toml", "assets/domains/example.com.toml")
    (populated / "assets/blogs").mkdir(exist_ok=True)
    (populated / "assets/blogs/new.toml").write_text('owners = ["alice"]\nstatus = "active"\n')
    same_as_uncached(sg)
    records = records_of(json.loads((populated / CACHE).read_text())["entries"])
    assert sorted(str(r[4]) for r in records) == ["new", "x/examplecorp"]


def large_cache(path: Path, entries: int = 2000) -> content_cache.ContentCache:
    store = content_cache.ContentCache(path, "test/1")
    for n in range(entries):
        store.put(f"k{n}", [n])
    store.save()
    return content_cache.ContentCache(path, "test/1")


def test_a_few_entries_added_to_a_large_cache_are_appended_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    store = large_cache(path)
    written = path.stat()
    store.put("new", ["one"])
    store.put("k1", [1])  # put again as it was: nothing to keep
    store.save()
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)
    lines = [json.loads(line) for line in store.journal.read_bytes().split(b"\n") if line]
    assert [line["entries"] for line in lines] == [{"new": ["one"]}]
    again = content_cache.ContentCache(path, "test/1")
    assert again.get("new") == ["one"] and again.get("k1999") == [1999]


def test_a_journal_grown_past_its_share_is_folded_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    for n in range(6):
        store = content_cache.ContentCache(path, "test/1") if n else large_cache(path)
        for k in range(2000):
            store.get(f"k{k}")
        for k in range(100):
            store.put(f"n{n}-{k}", [k])
        store.save()
    # a file of 2,000 entries takes 500 (JOURNAL_SHARE) in its journal: the sixth run's
    # hundred more went into the file, with the journal's five hundred
    assert len(json.loads(path.read_bytes())["entries"]) == 2600
    assert not store.journal.exists()
    again = content_cache.ContentCache(path, "test/1")
    assert len(again.old) == 2600 and again.get("n5-99") == [99] and again.get("n0-0") == [0]


def test_journal_lines_of_another_generation_or_cut_short_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    store = large_cache(path)
    store.put("kept", ["yes"])
    store.save()
    planted = {"format": "test/1", "generation": "other", "entries": {"k1": ["planted"]}}
    with store.journal.open("ab") as handle:
        handle.write(json.dumps(planted).encode() + b"\n")
        handle.write(b'{"format": "test/1", "generation": "' + store.generation.encode())
    again = content_cache.ContentCache(path, "test/1")
    assert again.get("k1") == [1] and again.get("kept") == ["yes"]
    again.put("after", ["cut"])  # a line after the cut one is read whole
    again.save()
    third = content_cache.ContentCache(path, "test/1")
    assert third.get("after") == ["cut"] and third.get("kept") == ["yes"]


def test_a_dropped_entry_rewrites_the_file_and_empties_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    store = large_cache(path)
    store.put("new", ["one"])
    store.save()
    assert store.journal.exists()
    again = content_cache.ContentCache(path, "test/1")
    for k in range(2000):
        again.get(f"k{k}")
    again.drop("k7")
    again.save()
    assert not again.journal.exists()
    third = content_cache.ContentCache(path, "test/1")
    assert third.get("k7") is None and third.get("new") == ["one"] and third.get("k8") == [8]


def test_an_edit_to_a_large_registry_is_journaled_and_served(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content_cache, "JOURNAL_MIN", 1)
    monkeypatch.setattr(content_cache, "JOURNAL_SHARE", 10.0)
    sg = Socialgov(populated)
    cold = same_as_uncached(sg)
    path = populated / "assets/blogs/eng-blog.toml"
    path.write_text(path.read_text().replace('"bob"', '"carol"'))
    edited = same_as_uncached(sg)
    assert edited != cold
    assert (populated / f"{CACHE}.log").exists()
    assert same_as_uncached(sg) == edited


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    import multiprocessing

    path = tmp_path / "c.json"
    large_cache(path)

    def appender(name: str) -> None:
        for run in range(4):
            store = content_cache.ContentCache(path, "test/1")
            for k in range(50):
                store.put(f"{name}-{run}-{k}", [name, "x" * 500])
            store.save()

    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=appender, args=(name,)) for name in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
        assert worker.exitcode == 0
    again = content_cache.ContentCache(path, "test/1")
    assert again.journaled == 400 and len(again.old) == 2400
    assert all(
        again.get(f"{n}-{r}-{k}") == [n, "x" * 500]
        for n in "ab"
        for r in range(4)
        for k in range(50)
    )
