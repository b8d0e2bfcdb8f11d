"""Render results: machine formats to stdout or --output untouched; tables and chatter for people."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

if TYPE_CHECKING:
    from datetime import date

    import typer
    from rich.console import Console

    from socialgov.registry.output_memo import Output, OutputMemo


class ViewFormat(StrEnum):
    """For output that is one record or a report, not rows: no csv."""

    table = "table"
    json = "json"


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def check_output_path(path: Path, option: str, *, stdout_ok: bool = True) -> Path | None:
    """The file to write, or None for stdout (`-`); refuse what cannot be written as a file,
    before any work is done and without creating folders behind the user's back."""
    from socialgov.errors import UsageError

    text = str(path)
    if text == "-":
        if stdout_ok:
            return None
        raise UsageError(f"{option} -: this command cannot write to stdout; name a file")
    if text.endswith(("/", os.sep)) or path.is_dir():
        raise UsageError(f"{option} {text}: that is a folder; name a file inside it")
    parent = path.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise UsageError(f"{option} {text}: the folder {parent} {what}; create it first")
    return path


def check_output(value: Path | None) -> Path | None:
    """typer callback of --output."""
    return None if value is None else check_output_path(value, "--output")


# A text written piece by piece as it is made: the function is given another, to call with
# each piece in order (a report of 100,000 findings is never held whole).
Pieces = Callable[[Callable[[str], None]], None]


def emit_text(
    text: str | Pieces,
    output: Path | None,
    keep: Callable[[str], None] | None = None,
) -> None:
    """Write a text (whole, or Pieces) to --output atomically, or to stdout; `keep` is given
    every chunk as it is written (the output memo's copy)."""
    from socialgov.registry.output_memo import text_chunks

    produce: Pieces = text if callable(text) else (lambda put: put(text))

    def chunks_to(write: Callable[[str], Any]) -> None:
        def put(piece: str) -> None:
            for chunk in text_chunks(piece):
                write(chunk)
                if keep is not None:
                    keep(chunk)

        produce(put)

    if output is not None:
        from socialgov.registry.save import atomic_write

        def write(handle: BinaryIO) -> None:
            chunks_to(lambda chunk: handle.write(chunk.encode("utf-8")))

        atomic_write(output, write)
    else:
        chunks_to(sys.stdout.write)
        sys.stdout.flush()


def output_memo(
    ctx: typer.Context,
    root: Path,
    today: date,
    files: Sequence[Path] = (),
    *,
    facts: Sequence[str] = (),
) -> OutputMemo:
    """The memo of this run of a read-only command: keyed by the command, every option but
    --output, the date, the registry's files, `files` given outside it and `facts` the run
    depends on (see registry/output_memo.py)."""
    from socialgov.registry.output_memo import OutputMemo
    from socialgov.registry.store import recover_if_needed

    recover_if_needed(root)  # a half-written change is completed before the files are keyed
    options = sorted(f"{name}={value!r}" for name, value in ctx.params.items() if name != "output")
    written = ctx.params.get("output")
    return OutputMemo(
        root,
        [ctx.command_path, *options],
        today,
        files,
        facts,
        written=written if isinstance(written, Path) else None,
    )


def emit_output(kept: Output, output: Path | None, *, quiet: bool) -> NoReturn:
    """A command's remembered text, its note on stderr, and its exit code."""
    import typer

    emit_text(kept.text, output)
    if kept.note:
        chatter(kept.note, quiet=quiet)
    raise typer.Exit(kept.code)


def emit_remembered(
    memo: OutputMemo,
    text: str | Pieces,
    code: int,
    note: str,
    output: Path | None,
    *,
    quiet: bool,
) -> NoReturn:
    """A command's text just made, written out and kept in `memo` for its next run at once
    (a large report is never held whole), its note on stderr, and its exit code."""
    import typer

    memo.remember_while(code, note, lambda keep: emit_text(text, output, keep))
    if note:
        chatter(note, quiet=quiet)
    raise typer.Exit(code)


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def to_json(data: Any) -> str:
    """Indented JSON; a long list of records puts one record per line, which stays readable and
    lets json use its C encoder (indentation forces the pure-Python one)."""
    if isinstance(data, list) and len(data) > 50:
        lines = (json.dumps(item, ensure_ascii=False, default=str) for item in data)
        text = "[\n" + ",\n".join(f"  {line}" for line in lines) + "\n]\n"
    else:
        from socialgov.report.jsontext import pretty_json  # the report package loads every reporter

        text = pretty_json(data, default=str, end="\n")
    # json escapes C0 controls only; the rest of what printable() escapes can only be inside
    # strings here, where \uXXXX means the same character.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


# C0 and C1 controls, and the invisible characters that reorder or break what a reader sees
# (bidirectional overrides and isolates, as in "Trojan Source"; line and paragraph separators).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_WORKFLOW_COMMAND = re.compile(r"(?m)^(\s*)::")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = True) -> str:
    """`text` safe for a terminal or a CI log: control characters shown as escapes (so no
    terminal escape code or carriage return gets through), and no line starting with `::`,
    which GitHub Actions would run as a workflow command. `newlines=False` escapes those too."""
    text = _CONTROL.sub(_escape, text)
    if not newlines:
        text = text.replace("\n", "\\n").replace("\t", "\\t")
    return _WORKFLOW_COMMAND.sub(lambda m: f"{m.group(1)}: :", text)


def console(stderr: bool = False, file: Any = None) -> Console:
    """A console whose tables never cut an id or a path (see cli/layout.py) and whose text
    is always printable."""
    from rich.segment import Segment

    from socialgov.cli.layout import RecordConsole

    class SafeConsole(RecordConsole):
        """Every piece of text is made printable just before it is written, after layout,
        so registry values and server answers cannot carry escape codes or workflow commands."""

        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            safe = []
            blank_so_far = True  # only spaces since the last newline
            for segment in buffer:
                text = segment.text
                if segment.control is None and text:
                    text = printable(text)
                    if blank_so_far and text.lstrip().startswith("::"):
                        text = text.replace("::", ": :", 1)
                    tail = text.rsplit("\n", 1)[-1]
                    blank_so_far = (blank_so_far or "\n" in text) and not tail.strip()
                safe.append(Segment(text, segment.style, segment.control))
            return super()._render_buffer(safe)

    out = SafeConsole(stderr=stderr, file=file, highlight=False, soft_wrap=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = max(out.width, 140)  # files and pipes: don't squeeze text to 80 columns
    return out


def emit_table(render: Callable[[Console], None], output: Path | None) -> None:
    if output is None:
        render(console())
        return
    buffer = io.StringIO()
    render(console(file=buffer))
    emit_text(buffer.getvalue(), output)


def chatter(message: str, *, quiet: bool = False) -> None:
    """A line for people, on stderr, never mixed into data on stdout."""
    if not quiet:
        from rich.markup import escape

        console(stderr=True).print(escape(message))


def progress_counter(quiet: bool, what: str) -> Callable[[int, int], None] | None:
    """A `done/total` counter on stderr for a long batch of lookups (terminals only)."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total > 3:
            end = "\n" if done == total else "\r"
            sys.stderr.write(f"{what}: {done}/{total}{end}")
            sys.stderr.flush()

    return show
