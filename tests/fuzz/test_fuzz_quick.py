"""A quick run of the registry fuzzer: no crash, no traceback, every exit-2 message at file:line,
no raw control character and no `::` line in what is printed.

200 cases: each of the five commands meets 40 damaged registries (the seeds congruent to its
index modulo 5), as five tests so that parallel workers share them; the long run
(bench/fuzz_long.py) runs all five commands on each of thousands.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fuzz.generator import COMMANDS, generate, make_template
from tests.fuzz.runner import cached_command, run

CASES = 200


@pytest.mark.parametrize("which", range(len(COMMANDS)), ids=[c[0] for c in COMMANDS])
def test_fuzzed_registries(tmp_path: Path, which: int) -> None:
    template = make_template(tmp_path / "template")
    args = COMMANDS[which]
    problems = []
    codes: dict[int | None, int] = {}
    with cached_command():
        for seed in range(which, CASES, len(COMMANDS)):
            root = generate(seed, tmp_path / f"r{seed}", template)
            outcome = run(root, args)
            codes[outcome.code] = codes.get(outcome.code, 0) + 1
            problem = outcome.problem()
            if problem:
                problems.append((seed, problem, outcome.stderr[-300:]))
            shutil.rmtree(root)
    assert problems == [], problems[:5]
    assert sum(codes.values()) == CASES // len(COMMANDS)
    assert codes.get(2, 0) >= 20, codes  # the damage reaches the loader
