"""Offboarding under concurrency and SIGKILL: never a lost change, never a half-done registry."""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
import tomllib
from pathlib import Path

from tests.conftest import Forked, Gate, fork
from tests.offboard.helpers import (
    big_registry,
    clean,
    git,
    head,
    make_registry,
    sg,
    tree,
)

TODAY = ("--today", "2026-11-01")
# The registry has KILL_ASSETS assets; bob owns KILL_OWNED of them. The defaults keep the
# suite fast; SOCIALGOV_TEST_KILL_ASSETS=2000 SOCIALGOV_TEST_KILL_OWNED=2000 runs the
# full-size case.
KILL_ASSETS = int(os.environ.get("SOCIALGOV_TEST_KILL_ASSETS", "200"))
KILL_OWNED = int(os.environ.get("SOCIALGOV_TEST_KILL_OWNED", "100"))


def start(root: Path, *args: str, gate: Gate | None = None) -> Forked:
    # A real process, forked from this one so that it is at work within a millisecond, in its
    # own process group: the kill takes its git children too.
    return fork(root, *TODAY, *args, new_session=True, gate=gate)


def test_two_offboardings_at_once_both_land_in_two_commits(tmp_path: Path) -> None:
    for attempt in range(2):
        root = make_registry(tmp_path / f"reg{attempt}")
        before = head(root)
        gate = Gate()
        procs = [start(root, "offboard", who, gate=gate) for who in ("bob", "alice")]
        gate.open()
        for proc in procs:
            result = proc.wait()
            assert result.code == 0, result.stderr
        log = git(root, "log", "--format=%s", f"{before}..HEAD").splitlines()
        assert sorted(s.split(":")[0] for s in log) == ["offboard alice", "offboard bob"]
        people = tomllib.loads((root / "people.toml").read_text())["people"]
        assert people["bob"]["status"] == people["alice"]["status"] == "departed"
        domain = tomllib.loads((root / "assets/domains/example.com.toml").read_text())
        assert domain["owners"] == ["carol"]  # whichever went first, neither change is lost
        assert domain["access"] == ["dave"]
        other = tomllib.loads((root / "assets/domains/other.example.toml").read_text())
        assert other["owners"] == ["carol"]
        assert clean(root)


def test_sigkill_leaves_the_registry_untouched_or_fully_offboarded(tmp_path: Path) -> None:
    root = big_registry(tmp_path / "reg", KILL_ASSETS, KILL_OWNED)
    initial, initial_tree = head(root), tree(root)
    # A complete run on a copy gives the expected end state; a second one, forked like the runs
    # to kill and as warm as they are (the first loaded the code), gives how long a run takes.
    warm_up, reference = tmp_path / "warm-up", tmp_path / "reference"
    shutil.copytree(root, warm_up, symlinks=True)
    shutil.copytree(root, reference, symlinks=True)
    warmed = sg(warm_up, *TODAY, "offboard", "bob")
    assert warmed.code == 0, warmed.stderr
    started = time.monotonic()
    done = start(reference, "offboard", "bob").wait()
    duration = time.monotonic() - started
    assert done.code == 0, done.stderr
    assert tree(warm_up) == tree(reference)
    final_tree = tree(reference)
    assert final_tree != initial_tree

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    outcomes = []
    leftovers: list[str] = []
    journal = root / ".git/socialgov-pending.json"
    # Random points over the whole run, then the narrow window that matters most:
    # HEAD has moved and the working tree is being written (the journal exists).
    windows = ((0.1, 0.5), (0.5, 1.0), "journal")
    for window in windows:
        proc = start(root, "offboard", "bob")
        if window == "journal":
            while not journal.exists() and proc.running():
                time.sleep(0.002)
            delay = rng.uniform(0, 0.1)
        else:
            delay = rng.uniform(*window) * duration
        time.sleep(delay)
        if proc.running():
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        stale_lock = root / ".git/index.lock"
        if stale_lock.exists():
            # A git child (update-index) killed while holding git's index lock: git's own
            # message tells the user to delete it, as a user would here.
            stale_lock.unlink()
        # The next socialgov command finishes or discards what the killed one left.
        after = sg(root, "people", "list", "--format", "json")
        assert after.code == 0, f"seed {seed}, delay {delay:.2f}s: {after.stderr}"
        state = tree(root)
        where = f"seed {seed}, window {window}, delay {delay:.2f}s of {duration:.2f}s"
        assert state in (initial_tree, final_tree), where
        if state == final_tree:
            assert git(root, "rev-parse", "HEAD~1").strip() == initial, where
            outcomes.append("complete")
        else:
            assert head(root) == initial, where
            outcomes.append("untouched")
        tracked = git(root, "status", "--porcelain", "--untracked-files=no")
        assert tracked == "", f"{where}: working tree differs from HEAD:\n{tracked[:500]}"
        assert not journal.exists(), where
        untracked = git(root, "status", "--porcelain", "--untracked-files=all").splitlines()
        # The registry never reads hidden files, so a leftover temp file cannot change it.
        assert all(Path(e[3:]).name.startswith(".") for e in untracked), f"{where}: {untracked}"
        leftovers += [e[3:] for e in untracked]
        git(root, "reset", "-q", "--hard", initial)
        git(root, "clean", "-qfdx")
    assert len(outcomes) == len(windows)
    print(f"seed {seed}, run {duration:.2f}s, outcomes {outcomes}")
    # Recovery also removes the temporary files of atomic writes that the kill cut short.
    assert leftovers == [], f"seed {seed}: files left by the killed process: {leftovers[:3]}"
