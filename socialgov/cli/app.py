"""The socialgov command: global options, command registration, and the one error boundary."""

from __future__ import annotations

import errno
import gc
import importlib
import os
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from socialgov import __version__
from socialgov.cli.state import State
from socialgov.errors import SocialgovError

APP_SETTINGS: dict[str, Any] = {
    "name": "socialgov",
    "help": "Keep an organisation's domains, blogs and social accounts in a git-versioned registry with named owners.",
    "no_args_is_help": True,
    "add_completion": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}


# Faults of the machine, not of socialgov: a read-only or full file system, a missing right.
_ENVIRONMENT_FAULTS = frozenset(
    {errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EIO, errno.EMFILE}
)


class Interrupted(SocialgovError):
    exit_code = 130


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"socialgov {__version__}\n")
        raise typer.Exit(0)


def global_options(
    ctx: typer.Context,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            metavar="PATH",
            help="Registry folder (else SOCIALGOV_REGISTRY, else the nearest socialgov.toml above).",
            show_default=False,
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="DATE",
            help="Date for every date-dependent check, YYYY-MM-DD (else SOCIALGOV_TODAY, else today).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print no progress or chatter.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Parse every registry file again: read and write no .socialgov/cache.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    from socialgov.registry.content_cache import set_enabled

    set_enabled(not no_cache)  # set on every run: an in-process runner starts afresh
    ctx.obj = State(registry=registry, today_text=today, quiet=quiet)
    _ = ctx.obj.today  # a bad --today or SOCIALGOV_TODAY fails before any command runs


# Each module exposes register(app) for the commands listed here; the list lets a run
# import and build only the command it invokes (tests/cli/test_help.py checks it is exact).
# The modules import only typer at module level; domain code loads inside the commands.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "init": ("init",),
    "assets": ("add", "list", "show", "set", "owners", "retire"),
    "gitviews": ("history", "codeowners"),
    "check": ("check",),
    "whois": ("whois",),
    "offboard": ("offboard",),
    "report": ("report",),
    "audit": ("audit", "rules", "waive"),
    "lifecycle": ("rename", "teams", "waivers"),
    "notify": ("notify", "calendar", "expiring"),
    "discover": ("discover", "lookalikes"),
    "posture": ("dns", "web", "refresh"),
    "people": ("people",),
}
_GLOBAL_OPTIONS_WITH_VALUE = frozenset({"--registry", "--today"})


def build_app(modules: Iterable[str] = COMMAND_MODULES) -> typer.Typer:
    """The typer app with the global options and the commands of `modules` (all by default)."""
    app = typer.Typer(**APP_SETTINGS)
    app.callback()(global_options)
    for name in modules:
        importlib.import_module(f"socialgov.cli.{name}").register(app)
    from socialgov.cli.options import add_change_options

    add_change_options(app)
    return app


def invoked_module(argv: Sequence[str]) -> str | None:
    """The module of the command `argv` invokes ("" for none: `--version` answers before any
    command); None when that is not plain (help, completion, an unknown name), so that the
    whole app is built and click answers as always."""
    if "_SOCIALGOV_COMPLETE" in os.environ:
        return None
    tokens = iter(argv)
    for token in tokens:
        if token in _GLOBAL_OPTIONS_WITH_VALUE:
            next(tokens, None)
        elif token == "--":
            return None
        elif token == "--version":
            return ""
        elif not token.startswith("-"):
            return next((m for m, names in COMMAND_MODULES.items() if token in names), None)
    return None


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    raise Interrupted("interrupted")


def command(argv: Sequence[str] | None = None) -> Any:
    """The click command for `argv`: only the invoked command's module is imported and built
    (typer's conversion of every command costs 0.1 s), with help polished (see cli/help.py)."""
    from socialgov.cli.help import polish

    module = invoked_module(sys.argv[1:] if argv is None else argv)
    modules = COMMAND_MODULES if module is None else (module,) if module else ()
    cmd = typer.main.get_command(build_app(modules))
    polish(cmd)
    return cmd


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every expected failure becomes one paragraph on stderr."""
    from socialgov.cli.state import reset_change
    from socialgov.registry.content_cache import saving_in_background

    reset_change()
    previous = signal.signal(signal.SIGINT, _on_sigint)
    stdout = sys.stdout
    sys.stdout = _GuardedStdout(stdout)
    try:
        with saving_in_background():  # a command ends with its caches written
            command(argv).main(args=argv, prog_name="socialgov", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except (Interrupted, KeyboardInterrupt):
        return _interrupted()
    except SocialgovError as exc:
        sys.stderr.write(f"socialgov: error: {_paragraph(exc)}\n{_landed_note()}")
        return exc.exit_code
    except (BrokenPipeError, OutputClosed):
        sys.stdout = stdout
        _stdout_gone()
        return 0
    except OSError as exc:
        if exc.errno not in _ENVIRONMENT_FAULTS:
            return _crash()
        from socialgov.cli.output import printable

        where = f" {exc.filename}" if exc.filename else ""
        landed = _landed_note()
        sys.stderr.write(
            f"socialgov: error: cannot use{printable(str(where), newlines=False)}: {exc.strerror}\n"
            + (
                landed
                or "hint: nothing was committed unless a commit was reported; fix the cause and run the command again\n"
            )
        )
        return 3
    except Exception:
        return _crash()
    finally:
        sys.stdout = stdout
        signal.signal(signal.SIGINT, previous)
    return 0


class OutputClosed(Exception):
    """The reader of stdout went away. Not an OSError, so that click does not turn it into
    exit 1: a closed pipe is the reader's choice (`| head`), not a failure."""


class _GuardedStdout:
    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            raise OutputClosed from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise OutputClosed from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _paragraph(exc: SocialgovError) -> str:
    """The error as printed: every newline inside a message or hint escaped (registry text
    cannot start a line of its own), but each error of an invalid registry on its own line."""
    from socialgov.cli.output import printable
    from socialgov.errors import InvalidFiles

    def one(message: str, hint: str | None) -> str:
        hint_line = f"\nhint: {printable(hint, newlines=False)}" if hint else ""
        return printable(message, newlines=False) + hint_line

    if isinstance(exc, InvalidFiles) and len(exc.errors) > 1:
        lines = [f"{len(exc.errors)} invalid places in the registry:"]
        lines += [one(error.message, error.hint) for error in exc.errors]
        return "\n".join(lines)
    return one(exc.message, exc.hint)


def _landed_note() -> str:
    """When the failing command had already committed its change: a line that says so."""
    from socialgov.cli.state import landed_commit

    try:
        landed = landed_commit()
    except Exception:  # the note must not hide the error being reported
        return ""
    if not landed:
        return ""
    return f"note: the change was committed [{landed[:10]}] before this fault; it stands\n"


def _interrupted() -> int:
    """Ctrl-C: 130, unless the change being made had already been committed; then it stands."""
    from socialgov.cli.state import landed_commit

    landed = landed_commit()
    if landed:
        sys.stderr.write(
            f"socialgov: interrupted after the change was committed [{landed[:10]}]; it stands\n"
        )
        return 0
    sys.stderr.write("socialgov: interrupted\n")
    return 130


def _stdout_gone() -> None:
    """The reader of stdout went away (`| head`): send what is left to /dev/null, so that the
    final flush cannot fail and change the exit code."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _crash() -> int:
    log = (
        Path(tempfile.gettempdir())
        / f"socialgov-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    )
    try:
        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"the full trace is in {log}"
    except OSError:
        where = "the trace could not be written"
    error = sys.exc_info()[1]
    from socialgov.cli.output import printable

    sys.stderr.write(
        f"socialgov: internal error: {type(error).__name__}: {printable(str(error), newlines=False)}\n{where}; please report it.\n"
    )
    return 4


# A run is short, and most of its heap is the registry's tables, which live to its end: with
# the default thresholds (700, 10, 10) the collector scans them again and again as they grow
# — a third of a warm audit of 10,000 assets. These still collect young cycles every 100,000
# allocations (mypy tunes its collector the same way).
GC_THRESHOLDS = (100_000, 50, 100)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    code = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_gone()
    if code == 130 or _nothing_left_to_end():
        # 130: lookups stuck in a socket read would hold the interpreter's exit until they
        # time out. Else what the command left for the exit needs no letting go (left_for_exit).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _nothing_left_to_end() -> bool:
    """Whether the process may end at once: the command left its data for the exit, its
    output and caches are written, and no other thread runs."""
    import threading

    from socialgov.cli.state import left_for_exit

    return left_for_exit() and threading.active_count() == 1
