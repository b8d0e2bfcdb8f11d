"""The long fuzz run: N fuzzed registries x 5 commands, in-process.

Targets: 0 exit 4, 0 tracebacks, 0 runs over 20 s, 100% of exit-2 messages with file:line.
Usage: python bench/fuzz_long.py [N]   (default 3000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz.generator import COMMANDS, POSITION, generate
from tests.harden.conftest import run


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    crashes = tracebacks = slow = exit2 = exit2_positioned = runs = 0
    longest = 0.0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(total):
            root = generate(seed, Path(tmp) / f"r{seed}")
            for args in COMMANDS:
                t0 = time.monotonic()
                result = run(root, *args)
                took = time.monotonic() - t0
                runs += 1
                longest = max(longest, took)
                slow += took > 20
                crashes += result.code not in (0, 1, 2, 3)
                tracebacks += "Traceback" in result.stderr
                if result.code == 2:
                    exit2 += 1
                    exit2_positioned += bool(POSITION.search(result.stderr))
                    if not POSITION.search(result.stderr):
                        print(f"seed {seed} {args}: {result.stderr.strip()[:200]}")
            if (seed + 1) % 20 == 0 or seed + 1 == total:
                share = 100.0 * exit2_positioned / exit2 if exit2 else 100.0
                print(
                    f"registries            {seed + 1}  runs {runs}  in {time.monotonic() - started:.0f} s\n"
                    f"exit 4                {crashes}   (target 0)\n"
                    f"tracebacks            {tracebacks}   (target 0)\n"
                    f"runs over 20 s        {slow}   (target 0; longest {longest:.2f} s)\n"
                    f"exit-2 with file:line {share:.1f}% of {exit2}   (target 100%)",
                    flush=True,
                )


if __name__ == "__main__":
    main()
