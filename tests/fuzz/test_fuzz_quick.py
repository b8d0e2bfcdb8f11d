"""A quick run of the registry fuzzer: no crash, no traceback, every exit-2 message at file:line.

Each case runs one of the five commands (seed modulo 5), so every command meets 40 damaged
registries; the long run (bench/fuzz_long.py) runs all five on each of thousands.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.fuzz.generator import COMMANDS, generate, make_template
from tests.fuzz.runner import cached_command, run

CASES = 200


def test_fuzzed_registries(tmp_path: Path) -> None:
    template = make_template(tmp_path / "template")
    problems = []
    codes: dict[int | None, int] = {}
    with cached_command():
        for seed in range(CASES):
            root = generate(seed, tmp_path / f"r{seed}", template)
            outcome = run(root, COMMANDS[seed % len(COMMANDS)])
            codes[outcome.code] = codes.get(outcome.code, 0) + 1
            problem = outcome.problem()
            if problem:
                problems.append((seed, outcome.args, problem, outcome.stderr[-300:]))
            shutil.rmtree(root)
    assert problems == [], problems[:5]
    assert codes.get(2, 0) > CASES // 2, codes  # the damage reaches the loader
    assert codes.get(0, 0) + codes.get(1, 0) > 0, codes  # and some cases still load
