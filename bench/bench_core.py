"""Benchmark socialgov's core against the floor set by its own dependencies.

    python bench/bench_core.py [--assets 10000] [--people 2000] [--runs 5]

Generates a synthetic registry in a temporary folder and times whole processes, as a
user would see them (median of --runs after one warm-up):

- `socialgov list --format json` against a bare script that parses the same asset files
  with tomllib and dumps them as JSON: the ratio must be at most 2.0 (with a file of the
  registry rewritten before each run: the work, not the output memo of the last one);
- `socialgov --help` against `--help` of a minimal two-command typer app run by the same
  interpreter: the ratio must be at most 1.3.

Prints a table and exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import bypass_output_memo, generate

BARE_LIST = """\
import json, os, sys, tomllib

root = os.path.join(sys.argv[1], "assets")
paths = []
for folder, _, files in os.walk(root):
    paths += [os.path.join(folder, f) for f in files if f.endswith(".toml")]
assets = []
for path in sorted(paths):
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    data["file"] = os.path.relpath(path, sys.argv[1])
    assets.append(data)
sys.stdout.write(json.dumps(assets, indent=2, ensure_ascii=False, default=str) + "\\n")
"""

MINIMAL_TYPER = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    \"\"\"Say hello.\"\"\"
    print(f"hello {name}")


@app.command()
def goodbye(name: str) -> None:
    \"\"\"Say goodbye.\"\"\"
    print(f"goodbye {name}")


if __name__ == "__main__":
    app()
"""


@dataclass(frozen=True, slots=True)
class Comparison:
    label: str
    ours: list[str]
    baseline: list[str]
    target: float
    registry: Path | None = None  # see time_once


@dataclass(frozen=True, slots=True)
class Sample:
    wall_s: float
    cpu_s: float  # user + system time of the process


@dataclass(frozen=True, slots=True)
class Measured:
    comparison: Comparison
    ours_s: float
    baseline_s: float
    ours_cpu_s: float
    baseline_cpu_s: float

    @property
    def ratio(self) -> float:
        return self.ours_s / self.baseline_s

    @property
    def met(self) -> bool:
        return self.ratio <= self.comparison.target


def entry_point() -> str:
    """The socialgov console script installed next to the running interpreter."""
    candidate = Path(sys.executable).parent / "socialgov"
    if not candidate.exists():
        sys.exit(f"bench_core: no socialgov entry point next to {sys.executable}")
    return str(candidate)


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALGOV_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"NO_COLOR": "1", "COLUMNS": "120"})
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_once(argv: list[str], env: dict[str, str], registry: Path | None = None) -> Sample:
    """Wall-clock and CPU seconds of one whole process; exits the benchmark if it fails.
    `registry`: socialgov's, made to do its work rather than print its memo of the last run."""
    if registry is not None:
        bypass_output_memo(registry)
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    if proc.returncode != 0:
        sys.exit(f"bench_core: {' '.join(argv)} failed:\n{proc.stderr.decode(errors='replace')}")
    return Sample(elapsed, cpu)


def time_pair(comparison: Comparison, runs: int, env: dict[str, str]) -> Measured:
    """Medians of `runs` runs of both commands after one warm-up of each.

    The two commands alternate, so that a burst of load on a shared machine slows both
    sides of the ratio rather than one.
    """
    time_once(comparison.ours, env, comparison.registry)
    time_once(comparison.baseline, env)
    ours: list[Sample] = []
    baseline: list[Sample] = []
    for _ in range(runs):
        ours.append(time_once(comparison.ours, env, comparison.registry))
        baseline.append(time_once(comparison.baseline, env))
    return Measured(
        comparison,
        ours_s=statistics.median(s.wall_s for s in ours),
        baseline_s=statistics.median(s.wall_s for s in baseline),
        ours_cpu_s=statistics.median(s.cpu_s for s in ours),
        baseline_cpu_s=statistics.median(s.cpu_s for s in baseline),
    )


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {load}"
    )


def run(assets: int, people: int, runs: int) -> list[Measured]:
    env = bench_env()
    with tempfile.TemporaryDirectory(prefix="socialgov-bench-") as tmp:
        work = Path(tmp)
        registry = work / "registry"
        started = time.perf_counter()
        generate(registry, assets, people)
        print(
            f"generated {assets} assets / {people} people in {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )
        bare = work / "bare_list.py"
        bare.write_text(BARE_LIST)
        minimal = work / "minimal_typer.py"
        minimal.write_text(MINIMAL_TYPER)
        socialgov = entry_point()
        comparisons = [
            Comparison(
                "list --format json",
                [socialgov, "--registry", str(registry), "list", "--format", "json"],
                [sys.executable, str(bare), str(registry)],
                2.0,
                registry=registry,
            ),
            Comparison(
                "--help",
                [socialgov, "--help"],
                [sys.executable, str(minimal), "--help"],
                1.3,
            ),
        ]
        return [time_pair(comparison, runs, env) for comparison in comparisons]


def render(results: list[Measured], assets: int, people: int, runs: int) -> str:
    """A plain-text table; the verdict is on wall-clock time, CPU time is shown for context."""
    lines = [
        f"socialgov core benchmark: {assets} assets, {people} people, "
        f"median of {runs} runs after 1 warm-up",
        machine(),
        "",
        f"{'case':<20} {'socialgov':>10} {'baseline':>10} {'ratio':>6} {'target':>7}  "
        f"{'result':<6}  {'cpu ours':>9} {'cpu base':>9} {'cpu ratio':>9}",
    ]
    for m in results:
        target = f"<= {m.comparison.target:.1f}"
        lines.append(
            f"{m.comparison.label:<20} {m.ours_s * 1000:>8.0f}ms {m.baseline_s * 1000:>8.0f}ms "
            f"{m.ratio:>6.2f} {target:>7}  {'ok' if m.met else 'MISSED':<6}  "
            f"{m.ours_cpu_s * 1000:>7.0f}ms {m.baseline_cpu_s * 1000:>7.0f}ms "
            f"{m.ours_cpu_s / m.baseline_cpu_s:>9.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark socialgov list and --help.")
    parser.add_argument("--assets", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    args = parser.parse_args(argv)
    results = run(args.assets, args.people, args.runs)
    print(render(results, args.assets, args.people, args.runs))
    return 0 if all(m.met for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
