"""Large cache rewrites in a forked child (content_cache.saving_in_background): the block
ends with the file written, exactly as the parent would have written it; outside a block,
with other threads running, or without fork, the parent writes it itself."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from socialgov import forked
from socialgov.registry import content_cache
from socialgov.registry.content_cache import ContentCache, saving_in_background

needs_fork = pytest.mark.skipif(
    not forked.can_fork(), reason="the background writer needs fork and two cores"
)


def filled(path: Path, entries: int = 50) -> ContentCache:
    store = ContentCache(path, "test/1")
    for n in range(entries):
        store.put(f"k{n}", [n, f"value {n}"])
    return store


def entries(path: Path) -> dict[str, object]:
    return dict(json.loads(path.read_bytes())["entries"])


@pytest.fixture
def small_background(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(content_cache, "BACKGROUND_MIN", 10)
    # pytest-xdist runs threads of its own; the check is tested on its own below
    monkeypatch.setattr(content_cache, "_alone", lambda: True)


@needs_fork
def test_a_large_save_is_written_by_a_child_and_done_when_the_block_ends(
    tmp_path: Path, small_background: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    writers: list[int] = []
    write = ContentCache._rewrite
    monkeypatch.setattr(
        ContentCache, "_rewrite", lambda self: (writers.append(os.getpid()), write(self))
    )
    path = tmp_path / ".socialgov" / "cache" / "c.json"
    with saving_in_background():
        filled(path).save()
        assert writers == []  # the child's list, not this one, records the write
    assert entries(path) == {f"k{n}": [n, f"value {n}"] for n in range(50)}
    reread = ContentCache(path, "test/1")
    assert reread.get("k7") == [7, "value 7"]


def test_outside_a_block_a_small_or_large_save_is_written_at_once(
    tmp_path: Path, small_background: None
) -> None:
    path = tmp_path / ".socialgov" / "cache" / "c.json"
    filled(path).save()
    assert len(entries(path)) == 50


@needs_fork
def test_with_another_thread_running_the_parent_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content_cache, "BACKGROUND_MIN", 10)
    path = tmp_path / ".socialgov" / "cache" / "c.json"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with saving_in_background():
            filled(path).save()
            assert len(entries(path)) == 50  # written before the block ends: no child
    finally:
        stop.set()
        other.join()


@needs_fork
def test_a_child_that_fails_leaves_no_file_and_no_error(
    tmp_path: Path, small_background: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    def failing_write(self: ContentCache, handle: object) -> None:
        if os.getpid() != parent:
            os._exit(3)

    monkeypatch.setattr(ContentCache, "_write", failing_write)
    path = tmp_path / ".socialgov" / "cache" / "c.json"
    with saving_in_background():
        filled(path).save()
    assert not path.exists()  # the next run writes it; the parent let the entries go


@needs_fork
def test_the_cli_waits_for_the_caches_its_children_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from tests.conftest import Socialgov

    parent, log = os.getpid(), tmp_path / "writers.log"
    write = ContentCache._rewrite

    def slow_write(self: ContentCache) -> None:
        if os.getpid() != parent:
            time.sleep(0.3)  # a command that did not wait would end before this
            with log.open("a") as handle:
                handle.write(f"{os.getpid()}\n")
        write(self)

    monkeypatch.setattr(ContentCache, "_rewrite", slow_write)
    cli = Socialgov(tmp_path / "reg")
    (tmp_path / "reg").mkdir()
    assert cli("init", ".", "--org", "Example").code == 0
    assert cli("people", "add", "alice", "--name", "Alice", "--email", "a@example.com").code == 0
    assert cli("add", "domain", "example.com", "--owner", "alice").code == 0
    monkeypatch.setattr(content_cache, "BACKGROUND_MIN", 1)
    monkeypatch.setattr(content_cache, "_alone", lambda: True)  # pytest-xdist's threads
    audit = cli("audit", "--format", "json")
    assert audit.code in (0, 1), audit.stderr
    assert log.exists() and str(parent) not in log.read_text().split()
    cache = tmp_path / "reg" / ".socialgov" / "cache"
    records = entries(cache / "assets.json").values()
    assert any(isinstance(v, list) and len(v) == 5 for v in records)
    assert entries(cache / "findings.json")
