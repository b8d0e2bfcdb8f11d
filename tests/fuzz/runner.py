"""Running fuzzed cases in-process, cheaply, and judging each run against the issue's targets."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from tests.fuzz.generator import POSITION

SLOW_S = 20.0  # a run longer than this misses the target
HANG_S = 60  # a run still going after this is stopped and reported as a hang
# What a terminal or GitHub Actions would act on: raw control characters (tab and newline
# excepted) and a line that starts a workflow command.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")
WORKFLOW_COMMAND = re.compile(r"^\s*::", re.MULTILINE)
# The head of an invalid registry's error list: each of its N errors starts a line.
MANY_ERRORS = re.compile(r"(\d+) invalid places in the registry:(\n|\\n)")


_built: tuple[Callable[..., Any], Callable[..., Any]] | None = None


@contextlib.contextmanager
def cached_command() -> Iterator[None]:
    """Build socialgov's click command once, not once per run.

    typer turns the command tree into click objects on every `run()` (about 0.25 s: it
    evaluates every annotation of every command); the fuzzer runs thousands of commands in
    one process, so it builds the tree once and reuses it. click keeps no state between
    invocations in the command objects, so each run still parses and fails on its own.
    """
    from socialgov.cli import app as app_module

    global _built
    original = app_module.command
    if _built is None or _built[0] is not original:
        whole = functools.cache(lambda: original([]))  # no argv: the whole app
        _built = (original, lambda argv=None: whole())
    app_module.command = _built[1]  # one build per process, shared by every block
    try:
        yield
    finally:
        app_module.command = original


class Hang(BaseException):
    """A run went past HANG_S (BaseException so that socialgov's error boundary lets it out)."""


def _alarm(signum: int, frame: FrameType | None) -> Any:
    raise Hang


@dataclass
class Run:
    args: tuple[str, ...]
    code: int | None  # None: stopped after HANG_S
    took: float
    stderr: str
    stdout: str = ""
    cpu: float = 0.0  # seconds of CPU, git's included: the wall time less the machine's load

    def problem(self) -> str | None:
        """What about this run misses a target, or None."""
        if self.code is None:
            return f"hang (stopped after {HANG_S} s)"
        if self.took > SLOW_S:
            return f"slow ({self.took:.1f} s)"
        if self.code not in (0, 1, 2, 3):
            return f"exit {self.code}"
        if "Traceback" in self.stderr:
            return "traceback"
        if self.code == 2 and not POSITION.search(self.stderr):
            return "exit 2 without file:line"
        if not _one_error_a_line(self.stderr):
            return "errors run together on one line"
        for name, text in (("stderr", self.stderr), ("stdout", self.stdout)):
            if RAW_CONTROL.search(text):
                return f"raw control character on {name}"
            if WORKFLOW_COMMAND.search(text):
                return f"a line starting with :: on {name}"
        return None


def _one_error_a_line(stderr: str) -> bool:
    """Whether an invalid registry's N errors start N lines (hints and notes aside)."""
    many = MANY_ERRORS.search(stderr)
    if many is None:
        return True
    if many.group(2) != "\n":
        return False
    lines = stderr[many.end() :].splitlines()
    errors = [line for line in lines if line and not line.startswith(("hint: ", "note: "))]
    return len(errors) == int(many.group(1))


def run(root: Path, args: tuple[str, ...]) -> Run:
    """`socialgov --registry ROOT ARGS` in this process, stopped after HANG_S seconds."""
    from socialgov.cli.app import run as cli_run

    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_S)
    started, before = time.monotonic(), _cpu()
    code: int | None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_run(["--registry", str(root), *args])
    except Hang:
        code = None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    took, cpu = time.monotonic() - started, _cpu() - before
    return Run(args, code, took, err.getvalue(), out.getvalue(), cpu)


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
