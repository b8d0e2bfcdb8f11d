"""The long fuzz run: N fuzzed registries x 5 commands, in-process, over worker processes.

Targets: 0 exit 4, 0 tracebacks, 0 runs over 20 s, 100% of exit-2 messages with file:line.
Usage: python bench/fuzz_long.py [N] [--workers W] [--first SEED]   (default 3000, 2 workers)

Each worker builds the template git repository once (tests/fuzz/generator.make_template)
and socialgov's click command once (tests/fuzz/runner.cached_command), then per registry
writes a damaged work tree of the template, runs the five commands in-process and deletes it. A run
still going after 60 s is stopped (SIGALRM) and counted as a hang; a worker that dies (a
hard crash no error boundary can catch) is counted with the registries it was running.
Each worker runs `audit` once on the valid template before measuring, so that the first
measured run does not carry the imports; each run's wall time and CPU time (git's included)
are measured, the wall time being what the 20 s target counts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import sys
import tempfile
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzz.generator import COMMANDS, GIT_ENV, POSITION, generate, make_template
from tests.fuzz.runner import cached_command, run

CHUNK = 20
_work: Path | None = None
_template: Path | None = None
_cached: contextlib.AbstractContextManager[None] | None = None


@dataclass
class Tally:
    registries: int = 0
    runs: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    exit2: int = 0
    exit2_positioned: int = 0
    longest: float = 0.0
    longest_what: str = ""
    most_cpu: float = 0.0
    slow: int = 0
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.registries += other.registries
        self.runs += other.runs
        for code, count in other.codes.items():
            self.codes[code] = self.codes.get(code, 0) + count
        self.exit2 += other.exit2
        self.exit2_positioned += other.exit2_positioned
        if other.longest > self.longest:
            self.longest, self.longest_what = other.longest, other.longest_what
        self.most_cpu = max(self.most_cpu, other.most_cpu)
        self.slow += other.slow
        self.problems.extend(other.problems)


def _init(parent: str) -> None:
    """Per worker: an isolated git environment, the template repository, the cached command."""
    global _work, _template, _cached
    _work = Path(tempfile.mkdtemp(dir=parent))
    home = _work / "home"
    home.mkdir()
    os.environ.update(GIT_ENV)
    os.environ.update({"HOME": str(home), "GIT_CONFIG_GLOBAL": str(home / ".gitconfig")})
    for key in ("SOCIALGOV_REGISTRY", "SOCIALGOV_TODAY", "SOCIALGOV_LOCK_TIMEOUT"):
        os.environ.pop(key, None)
    _template = make_template(_work / "template")
    _cached = cached_command()  # held, or collecting it would undo the cache
    _cached.__enter__()  # for the worker's lifetime
    run(_template, ("audit",))  # imports happen here, untimed, not in the first measured run


def _chunk(seeds: list[int]) -> Tally:
    assert _work is not None and _template is not None
    tally = Tally()
    for seed in seeds:
        root = generate(seed, _work / f"r{seed}", _template)
        for args in COMMANDS:
            outcome = run(root, args)
            tally.runs += 1
            code = str(outcome.code) if outcome.code is not None else "hang"
            tally.codes[code] = tally.codes.get(code, 0) + 1
            if outcome.took > tally.longest:
                tally.longest, tally.longest_what = outcome.took, f"seed {seed} {' '.join(args)}"
            tally.slow += outcome.took > 20
            tally.most_cpu = max(tally.most_cpu, outcome.cpu)
            if outcome.code == 2:
                tally.exit2 += 1
                tally.exit2_positioned += bool(POSITION.search(outcome.stderr))
            problem = outcome.problem()
            if problem:
                tally.problems.append((seed, " ".join(args), problem, outcome.stderr[-400:]))
        tally.registries += 1
        shutil.rmtree(root, ignore_errors=True)
    return tally


def report(tally: Tally, seconds: float, died: list[int]) -> str:
    share = 100.0 * tally.exit2_positioned / tally.exit2 if tally.exit2 else 100.0
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(tally.codes.items()))
    kinds: dict[str, int] = {}
    for _, _, problem, _ in tally.problems:
        kinds[problem.split(" (")[0]] = kinds.get(problem.split(" (")[0], 0) + 1
    return (
        f"registries             {tally.registries}  runs {tally.runs}  in {seconds:.0f} s wall\n"
        f"exit codes             {codes}\n"
        f"exit 4 (any crash)     {tally.codes.get('4', 0)}   (target 0)\n"
        f"tracebacks             {kinds.get('traceback', 0)}   (target 0)\n"
        f"runs over 20 s         {tally.slow + tally.codes.get('hang', 0)}   (target 0;"
        f" longest {tally.longest:.2f} s wall: {tally.longest_what};"
        f" most CPU in one run {tally.most_cpu:.2f} s)\n"
        f"exit-2 with file:line  {share:.2f}% ({tally.exit2_positioned} of {tally.exit2})"
        f"   (target 100%)\n"
        f"workers that died      {len(died)} (registries {died[:20]})\n"
        f"problems               {dict(sorted(kinds.items()))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("total", nargs="?", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first", type=int, default=0, help="first seed")
    options = parser.parse_args()
    seeds = list(range(options.first, options.first + options.total))
    chunks = [seeds[i : i + CHUNK] for i in range(0, len(seeds), CHUNK)]
    print(
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()},"
        f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {options.workers} workers",
        flush=True,
    )
    tally, died = Tally(), []
    started = time.monotonic()
    pending = list(chunks)
    parent = tempfile.mkdtemp(prefix="socialgov-fuzz-")
    while pending:
        with ProcessPoolExecutor(options.workers, initializer=_init, initargs=(parent,)) as pool:
            futures: list[tuple[list[int], Future[Tally]]] = [
                (chunk, pool.submit(_chunk, chunk)) for chunk in pending
            ]
            pending = []
            for done, (chunk, future) in enumerate(futures, 1):
                try:
                    tally.add(future.result())
                except BrokenProcessPool:
                    # a worker died: run this chunk's registries one at a time to find which
                    if len(chunk) == 1:
                        died.extend(chunk)
                        tally.registries += 1
                    else:
                        pending.extend([seed] for seed in chunk)
                    pending.extend(c for c, f in futures[done:] if not f.done() or f.exception())
                    break
                if done % 10 == 0:
                    print(report(tally, time.monotonic() - started, died), flush=True)
    shutil.rmtree(parent, ignore_errors=True)
    print("---- final", flush=True)
    print(report(tally, time.monotonic() - started, died), flush=True)
    for seed, args, problem, stderr in tally.problems[:200]:
        print(f"seed {seed} `{args}`: {problem}: {stderr.strip()[:300]!r}")


if __name__ == "__main__":
    main()
