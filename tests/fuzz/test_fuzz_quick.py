"""A quick run of the registry fuzzer: no crash, no traceback, every exit-2 message at file:line."""

from __future__ import annotations

import time
from pathlib import Path

from tests.fuzz.generator import COMMANDS, POSITION, generate
from tests.harden.conftest import run

CASES = 100  # the long run (bench/fuzz_long.py) does thousands


def test_fuzzed_registries(tmp_path: Path) -> None:
    problems = []
    for seed in range(CASES):
        root = generate(seed, tmp_path / f"r{seed}")
        args = COMMANDS[seed % len(COMMANDS)]
        t0 = time.monotonic()
        result = run(root, *args)
        if time.monotonic() - t0 > 20:
            problems.append((seed, args, "slow", ""))
        if result.code not in (0, 1, 2, 3):
            problems.append((seed, args, result.code, result.stderr[-300:]))
        elif "Traceback" in result.stderr:
            problems.append((seed, args, "traceback", result.stderr[-300:]))
        elif result.code == 2 and not POSITION.search(result.stderr):
            problems.append((seed, args, "no file:line", result.stderr[-300:]))
    assert problems == [], problems[:5]
