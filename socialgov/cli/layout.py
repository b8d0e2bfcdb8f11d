"""Tables that never cut an id, a handle, a path or an e-mail.

Every command renders its tables with rich; the console that `output.console()` returns
decides how a table reaches the reader:

- on a terminal wide enough for every column's longest word (and at least `WIDE`
  columns): the table, each column at least as wide as its longest word, so words wrap
  between each other but are never folded or cut;
- on a narrower terminal: one record per block, like `gh` — the first cell as a heading,
  then `column: value` lines, printed without re-wrapping;
- when stdout is not a terminal (a pipe, a file): plain lines, one per row, cells
  separated by a tab, nothing padded — for `grep`, `cut` and `awk`.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

WIDE = 100  # below this many columns a terminal gets the stacked layout


class RecordConsole(Console):
    """A rich Console whose `print(table)` picks the layout (see the module docstring)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if len(objects) == 1 and isinstance(objects[0], Table) and not kwargs:
            print_table(self, objects[0])
            return
        super().print(*objects, **kwargs)


def _plain(cell: Any) -> str:
    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        from rich.errors import MarkupError

        try:
            return Text.from_markup(cell).plain
        except MarkupError:
            return cell
    return str(cell)


def _rows(table: Table) -> list[list[str]]:
    columns = [[_plain(c) for c in column.cells] for column in table.columns]
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def _title(table: Table) -> str | None:
    if table.title is None:
        return None
    return _plain(table.title)


def _fits(console: Console, table: Table, rows: list[list[str]]) -> bool:
    """Whether every column can be as wide as its longest word on this console."""
    if console.width < WIDE:
        return False
    needed = 1
    for index, column in enumerate(table.columns):
        words = [len(w) for row in rows for w in row[index].split()] + [len(_plain(column.header))]
        needed += max(words) + 3
    return needed <= console.width


def print_table(console: Console, table: Table) -> None:
    rows = _rows(table)
    title = _title(table)
    if not console.is_terminal:
        # Straight to the file: rich would expand the tabs into padding.
        lines = [title] if title else []
        lines += ["\t".join(" ".join(cell.split()) for cell in row) for row in rows]
        from socialgov.cli.output import printable  # no escape code or workflow command

        console.file.write("".join(f"{printable(line)}\n" for line in lines))
        return
    if not rows:  # an empty section is its title ("0 assets"), never a box of bare headers
        if title:
            console.print(Text(title, style="bold"), soft_wrap=True)
        return
    if _fits(console, table, rows):
        for index, column in enumerate(table.columns):
            longest = max(
                [len(w) for row in rows for w in row[index].split()] + [len(_plain(column.header))]
            )
            column.min_width = max(column.min_width or 0, longest)
            column.overflow = "fold"
        Console.print(console, table)
        return
    _stacked(console, table, rows, title)


def _stacked(console: Console, table: Table, rows: list[list[str]], title: str | None) -> None:
    headers = [_plain(c.header) for c in table.columns]
    if not table.show_header and len(headers) == 2:  # a key/value table: one line per key
        if title:
            console.print(Text(title, style="bold"), soft_wrap=True)
        for key, value in rows:
            console.print(Text(f"  {key}: {' '.join(value.split())}"), soft_wrap=True)
        return
    if title:
        console.print(Text(title, style="bold"), soft_wrap=True)
    for number, row in enumerate(rows):
        if number or title:
            console.print()
        if not row:
            continue
        first = row[0].splitlines() or [""]
        console.print(Text(first[0], style="bold"), soft_wrap=True)
        for extra in first[1:]:
            console.print(Text("  " + extra), soft_wrap=True)
        for header, cell in zip(headers[1:], row[1:], strict=True):
            if not cell.strip():
                continue
            lines = cell.splitlines()
            console.print(Text(f"  {header}: {lines[0]}"), soft_wrap=True)
            for extra in lines[1:]:
                console.print(Text(f"    {extra}"), soft_wrap=True)
