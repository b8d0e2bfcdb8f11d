"""registry.save.atomic_write: a reader sees the old file or the new one, never half, and the
file keeps its permissions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from socialgov.registry import save
from socialgov.registry.save import atomic_write


def test_a_new_file_is_written_world_readable_in_a_new_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "new.toml"
    atomic_write(path, b'owners = ["alice"]\n')
    assert path.read_bytes() == b'owners = ["alice"]\n'
    assert path.stat().st_mode & 0o777 == 0o644
    assert os.listdir(path.parent) == ["new.toml"]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "people.toml"
    path.write_bytes(b"old\n")
    path.chmod(0o600)
    atomic_write(path, lambda handle: handle.write(b"new\n"), durable=False)
    assert path.read_bytes() == b"new\n"
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_leftover_of_a_killed_process_with_the_same_name_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.toml"
    monkeypatch.setattr(save, "_serial", iter([7]))
    leftover = tmp_path / f".x.toml.{os.getpid()}.7.tmp"
    leftover.write_bytes(b"someone else's\n")
    atomic_write(path, b"mine\n")
    assert path.read_bytes() == b"mine\n"
    assert leftover.read_bytes() == b"someone else's\n"
    assert sorted(os.listdir(tmp_path)) == sorted([leftover.name, "x.toml"])


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"old\n")

    def fail(handle: object) -> None:
        raise RuntimeError("cut")

    with pytest.raises(RuntimeError):
        atomic_write(path, fail)
    assert path.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["x.toml"]
