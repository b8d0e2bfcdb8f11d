"""The socialgov command: global options, command registration, and the one error boundary."""

from __future__ import annotations

import importlib
import os
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from socialgov import __version__
from socialgov.cli.state import State
from socialgov.errors import SocialgovError

app = typer.Typer(
    name="socialgov",
    help="Keep an organisation's domains, blogs and social accounts in a git-versioned registry with named owners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Interrupted(SocialgovError):
    exit_code = 130


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"socialgov {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def global_options(
    ctx: typer.Context,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            help="Registry folder (else SOCIALGOV_REGISTRY, else the nearest socialgov.toml above).",
            show_default=False,
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Date for every date-dependent check, YYYY-MM-DD (else SOCIALGOV_TODAY, else today).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print no progress or chatter.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = State(registry=registry, today_text=today, quiet=quiet)
    _ = ctx.obj.today  # a bad --today or SOCIALGOV_TODAY fails before any command runs


# Each module exposes register(app). They import only typer at module level; domain
# code loads inside the commands, so `socialgov --help` stays fast.
COMMAND_MODULES = (
    "init",
    "assets",
    "gitviews",
    "check",
    "whois",
    "offboard",
    "report",
    "audit",
    "posture",
)


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"socialgov.cli.{name}").register(app)
    from socialgov.cli import (
        people,
        people_extra,  # noqa: F401
    )

    app.add_typer(
        people.app, name="people", help="The roster: add, list, show, set, depart, import people."
    )


_register()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    raise Interrupted("interrupted")


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; every expected failure becomes one paragraph on stderr."""
    previous = signal.signal(signal.SIGINT, _on_sigint)
    try:
        app(args=argv, prog_name="socialgov", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Interrupted:
        sys.stderr.write("socialgov: interrupted\n")
        return 130
    except SocialgovError as exc:
        sys.stderr.write(f"socialgov: error: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception:
        return _crash()
    finally:
        signal.signal(signal.SIGINT, previous)
    return 0


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
    sys.stderr.write(
        f"socialgov: internal error: {type(error).__name__}: {error}\n{where}; please report it.\n"
    )
    return 4


def main() -> None:
    code = run()
    if code == 130:
        # Lookups stuck in a socket read would hold the interpreter's exit until they time out.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
