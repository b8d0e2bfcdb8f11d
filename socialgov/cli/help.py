"""Help that says what to type: examples, metavars, and command summaries that are never cut.

Applied once to the whole click command tree (`polish`), so every command — including
those other modules add later — gets the same treatment:

- **Examples.** A command's docstring ends with a line `Example: socialgov …`, or, for a
  command whose docstring should stay as it is, `EXAMPLES` below has its line. It is
  shown as its own block, never re-wrapped. `tests/cli/test_help.py` fails for a command
  without one.
- **Summaries.** The command list shows each command's first paragraph whole instead of
  click's 45-character cut with "...".
- **Handles.** A value whose metavar is HANDLE (and an argument named `handle`) is
  lower-cased before the command sees it: handles are compared case-insensitively
  everywhere (`people show LChen` is `lchen`).
- **Metavars.** An option that takes a value and did not declare a metavar gets one from
  `METAVARS` (`--on DATE`, `--to HANDLE`), else its own name in capitals — never `TEXT`.
"""

from __future__ import annotations

from typing import Any

# Duck-typed on purpose: recent typer ships its own copy of click, whose classes are not
# the click package's.

METAVARS = {
    "--to": "HANDLE",
    "--on": "DATE",
    "--until": "DATE",
    "--manager": "HANDLE",
    "--approved-by": "HANDLE",
    "--owner": "HANDLE",
    "--branch": "BRANCH",
    "--base": "REV",
    "--org": "NAME",
    "--name": "NAME",
    "--email": "EMAIL",
    "--email-domain": "DOMAIN",
    "--department": "NAME",
    "--author": "'NAME <EMAIL>'",
    "--path": "FILE",
    "--from-file": "FILE",
    "--output": "FILE",
    "--html": "FILE",
    "--map": "FIELD=COLUMN",
    "--delimiter": "CHAR",
    "--status": "STATUS",
    "--months": "N",
    "--preset": "NAME",
    "--where": "COLUMN=VALUE",
    "--status-map": "VALUE=STATUS",
    "--date-format": "FORMAT",
    "--within": "DAYS",
    "--max-departures": "N",
}
# Examples of commands whose docstrings have none, by command path.
EXAMPLES = {
    "init": 'socialgov init registry --org "Example Corp" --email-domain example.com',
    "check": "socialgov check --base origin/main --format github",
    "codeowners": "socialgov codeowners --check",
    "history": "socialgov history example.com --format json",
    "offboard": "socialgov offboard bob --to carol --dry-run",
    "report": "socialgov report --html /tmp/registry.html --months 12",
    "whois": "socialgov whois example.com --format json",
    "people add": 'socialgov people add alice --name "Alice Example" --email alice@example.com --manager carol',
    "people list": "socialgov people list --status departed --format csv",
    "people show": "socialgov people show alice",
    "people set": "socialgov people set alice department=Sales",
    "people depart": "socialgov people depart bob --on 2026-10-31",
    "people import": "socialgov people import hr.csv --map 'name=First Name+Last Name' --missing-are-departed",
    "people sync": "socialgov people sync --dry-run",
    "notify": "socialgov notify --dry-run --to alice",
    "calendar": "socialgov calendar --person alice --output alice.ics",
    "expiring": "socialgov expiring --within 30 --format json",
    "discover": "socialgov discover --registrar-export markmonitor.csv --zone example.com.zone --ct crtsh.json",
    "lookalikes": "socialgov lookalikes --check --format json",
    "dns": "socialgov dns --all --record",
    "web": "socialgov web blog:eng-blog",
    "refresh": "socialgov refresh --record",
}
ARGUMENT_METAVARS = {"asset": "ID", "domains": "DOMAIN", "directory": "DIR", "file": "FILE"}
EXAMPLE_PREFIX = "Example:"


def polish(command: Any) -> None:
    _polish(command, ())


def _polish(command: Any, path: tuple[str, ...]) -> None:
    _metavars(command)
    _handles(command)
    example = EXAMPLES.get(" ".join(path))
    if example and EXAMPLE_PREFIX not in (command.help or ""):
        command.help = (command.help or "").rstrip() + f"\n\n{EXAMPLE_PREFIX} {example}"
    if command.help:
        command.help = _example_block(command.help)
        if not command.short_help:
            command.short_help = command.help.split("\n\n", 1)[0].replace("\n", " ").strip()
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            _polish(sub, (*path, name))


def _example_block(text: str) -> str:
    """Keep `Example: …` lines as typed: click's `\\b` marks a paragraph it must not re-wrap."""
    lines = text.rstrip().splitlines()
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(EXAMPLE_PREFIX) and "\b" not in text:
            if out and out[-1].strip():
                out.append("")
            out.append("\b")
            out.append(EXAMPLE_PREFIX)
            out.append("  " + stripped[len(EXAMPLE_PREFIX) :].strip())
        else:
            out.append(line)
    return "\n".join(out)


def _metavars(command: Any) -> None:
    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument":
            if param.metavar is None and param.name:
                param.metavar = ARGUMENT_METAVARS.get(param.name, param.name.upper())
            if hasattr(param, "display_type_rich"):  # typer 0.2x appends the Python type: <str>
                param.display_type_rich = lambda ctx=None: None
            continue
        if getattr(param, "param_type_name", "") != "option" or param.metavar is not None:
            continue
        kind = _value_kind(param)
        if param.is_flag or param.count or kind == "choice":
            continue
        long_names = [o for o in param.opts if o.startswith("--")]
        name = long_names[0] if long_names else param.opts[0]
        if name in METAVARS:
            param.metavar = METAVARS[name]
        elif kind == "int":
            param.metavar = "N"
        else:
            param.metavar = name.lstrip("-").upper().replace("-", "_")


def _handles(command: Any) -> None:
    for param in command.params:
        if param.metavar != "HANDLE" and param.name != "handle":
            continue
        original = param.callback

        def lower(ctx: Any, p: Any, value: Any, original: Any = original) -> Any:
            value = _lowered(value)
            return original(ctx, p, value) if original is not None else value

        param.callback = lower


def _lowered(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, list | tuple):
        return type(value)(_lowered(v) for v in value)
    return value


def _value_kind(param: Any) -> str:
    """ "choice", "int" or "other", from click's param.type or typer's type_descriptor."""
    import enum
    import typing

    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        annotation = descriptor.annotation
        args = typing.get_args(annotation)
        if args and typing.get_origin(annotation) is list:
            annotation = args[0]
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            return "choice"
        return "int" if annotation is int else "other"
    value_type = getattr(param, "type", None)
    if hasattr(value_type, "choices"):
        return "choice"
    return "int" if str(getattr(value_type, "name", "")).startswith("integer") else "other"
