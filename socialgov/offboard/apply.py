"""Turn a plan into file contents, editing the hand-written TOML files in place."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Protocol

import tomli

from socialgov.errors import UsageError
from socialgov.model import Asset, Registry
from socialgov.registry import paths

if TYPE_CHECKING:
    pass

from socialgov.offboard.plan import AssetEdit, OffboardPlan


class Writer(Protocol):
    def write(self, rel: str, data: bytes) -> None: ...


def apply_plan(writer: Writer, registry: Registry, plan: OffboardPlan) -> None:
    """Write the planned content of every changed file (asset files and people.toml)."""
    for edit in plan.edits:
        asset = registry.assets[edit.asset]
        writer.write(edit.file, edit_asset_text(asset, edit).encode("utf-8"))
    if plan.mark_departed or plan.teams_left:
        writer.write(paths.PEOPLE_FILE, _people_text(registry, plan).encode("utf-8"))


def _expected(asset: Asset, edit: AssetEdit) -> dict[str, Any]:
    data: dict[str, Any] = _copy(asset.data)
    if edit.owners is not None:
        data["owners"] = list(edit.owners)
    if edit.access is not None:
        if edit.access:
            data["access"] = list(edit.access)
        else:
            data.pop("access", None)
    if edit.drop_recovery_phone:
        data.get("social", {}).pop("recovery_phone_holder", None)
    return data


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def edit_asset_text(asset: Asset, edit: AssetEdit) -> str:
    """The asset file with new owners/access, comments and layout kept.

    One-line arrays are rewritten in the text directly (fast, for large offboardings);
    anything else goes through tomlkit. Either way the result is parsed back and must
    hold exactly the expected data, so an edit can never corrupt a file.
    """
    expected = _expected(asset, edit)
    text = asset.source.text
    fast: str | None = text
    if edit.drop_recovery_phone:
        fast = None
    for key, values in (("owners", edit.owners), ("access", edit.access)):
        if fast is not None and values is not None:
            fast = _replace_top_array(fast, key, values)
    if fast is not None and _parses_to(fast, expected):
        return fast
    slow = _tomlkit_edit(text, edit)
    if not _parses_to(slow, expected):
        raise UsageError(f"cannot edit {asset.file} safely", hint="edit the file by hand")
    return slow


def _parses_to(text: str, expected: dict[str, Any]) -> bool:
    try:
        return tomli.loads(text) == expected
    except tomli.TOMLDecodeError:
        return False


_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _replace_top_array(text: str, key: str, values: tuple[str, ...]) -> str | None:
    """Rewrite the top-level array `key = [...]` (one line or several); None when not found.

    An empty `values` removes the key's lines. Comments inside the old array go, as with
    tomlkit; comments before and after it stay.
    """
    header = _HEADER.search(text)
    return _replace_array(text, key, values, 0, header.start() if header else len(text))


def _replace_array(
    text: str, key: str, values: tuple[str, ...], start: int, end: int
) -> str | None:
    """`_replace_top_array` within text[start:end] (a table's body)."""
    pattern = re.compile(rf"^([ \t]*{re.escape(key)}[ \t]*=[ \t]*)\[", re.MULTILINE)
    match = pattern.search(text, start, end)
    if match is None:
        return None
    close = _closing_bracket(text, match.end() - 1)
    if close is None:
        return None
    if values:
        array = "[" + ", ".join(json.dumps(v) for v in values) + "]"
        return text[: match.end() - 1] + array + text[close + 1 :]
    line_end = text.find("\n", close)
    return text[: match.start()] + ("" if line_end < 0 else text[line_end + 1 :])


def _table_span(text: str, table: str, name: str) -> tuple[int, int] | None:
    """Where the body of `[table.name]` starts and ends (the next header, or the end)."""
    header = re.compile(
        rf"^[ \t]*\[[ \t]*{re.escape(table)}[ \t]*\.[ \t]*(\"?){re.escape(name)}\1[ \t]*\]"
        r"[ \t]*(#[^\n]*)?$",
        re.MULTILINE,
    )
    match = header.search(text)
    if match is None:
        return None
    start = match.end() + 1
    following = _HEADER.search(text, start)
    return start, following.start() if following else len(text)


def _set_scalar(text: str, start: int, end: int, key: str, rendered: str) -> str:
    """Set `key = rendered` in text[start:end]: in place, else after the table's last line."""
    pattern = re.compile(
        rf"^([ \t]*{re.escape(key)}[ \t]*=[ \t]*)(\"[^\"\n]*\"|\d{{4}}-\d{{2}}-\d{{2}})",
        re.MULTILINE,
    )
    match = pattern.search(text, start, end)
    if match is not None:
        return text[: match.start(2)] + rendered + text[match.end(2) :]
    insert = start
    position = start
    for line in text[start:end].splitlines(keepends=True):
        position += len(line)
        if line.strip() and not line.lstrip().startswith("#"):
            insert = position
    newline = "" if insert == 0 or text[insert - 1] == "\n" else "\n"
    return text[:insert] + f"{newline}{key} = {rendered}\n" + text[insert:]


def _people_fast(text: str, plan: OffboardPlan) -> str | None:
    """The roster edit as text edits of the leaver's table and their teams' member lists."""
    new: str | None = text
    if plan.mark_departed:
        span = _table_span(text, "people", plan.person)
        if span is None:
            return None
        new = _set_scalar(text, *span, "departed_on", plan.on.isoformat())
        span = _table_span(new, "people", plan.person)
        if span is None:
            return None
        new = _set_scalar(new, *span, "status", '"departed"')
    for team in plan.teams_left:
        span = _table_span(new, "teams", team) if new is not None else None
        if new is None or span is None:
            return None
        data = tomli.loads(new)
        members = tuple(m for m in data["teams"][team].get("members", []) if m != plan.person)
        new = _replace_array(new, "members", members, *span)
        if new is not None and not members:
            span = _table_span(new, "teams", team)
            new = _set_scalar(new, *span, "members", "[]") if span else None
    return new


def _closing_bracket(text: str, opening: int) -> int | None:
    """The index of the `]` closing the array opened at `opening`, skipping strings and comments."""
    depth = 0
    index = opening
    quote = ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
            elif char == "\n":
                return None
        elif char in "\"'":
            if text.startswith(char * 3, index):
                return None  # multi-line strings: leave those files to tomlkit
            quote = char
        elif char == "#":
            newline = text.find("\n", index)
            if newline < 0:
                return None
            index = newline
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _tomlkit_edit(text: str, edit: AssetEdit) -> str:
    from socialgov.registry.save import delete_path, edit_text, set_path

    def change(document: Any) -> None:
        if edit.owners is not None:
            set_path(document, ("owners",), list(edit.owners))
        if edit.access is not None:
            if edit.access:
                set_path(document, ("access",), list(edit.access))
            else:
                delete_path(document, ("access",))
        if edit.drop_recovery_phone:
            delete_path(document, ("social", "recovery_phone_holder"))

    return edit_text(text, change)


def _people_text(registry: Registry, plan: OffboardPlan) -> str:
    from socialgov.changes.guards import check_roster_text
    from socialgov.changes.roster_import import set_key
    from socialgov.registry.save import edit_text

    source = registry.sources.get(paths.PEOPLE_FILE)
    handle = plan.person

    def change(document: Any) -> None:
        import tomlkit

        if plan.mark_departed:
            set_key(document["people"][handle], "status", "departed")
            set_key(document["people"][handle], "departed_on", plan.on)
        for team in plan.teams_left:
            members = tomlkit.array()
            members.extend(m for m in document["teams"][team].get("members", []) if m != handle)
            set_key(document["teams"][team], "members", members)

    old = source.text if source else ""
    expected = _expected_roster(old, plan)
    text = _people_fast(old, plan)
    if text is None or _roster_tables(text) != expected:
        # tomlkit parses a 2,000-person roster in about a second, so it is the fallback
        text = edit_text(old, change)
    check_roster_text(text.encode("utf-8"))
    return text


def _roster_tables(text: str) -> dict[str, Any] | None:
    """people.toml's tables as tomli gives them (read by the plain-line reader when the file
    has socialgov's shape: a 2,000-person roster is read three times here); None if invalid."""
    from socialgov.errors import InputError
    from socialgov.registry.load import parse_people_text

    try:
        return parse_people_text(text.encode("utf-8"))[0]
    except InputError:
        return None


def _expected_roster(text: str, plan: OffboardPlan) -> dict[str, Any]:
    data = _roster_tables(text)
    if data is None:
        data = tomli.loads(text)  # raises what is wrong with it, as before
    if plan.mark_departed:
        data["people"][plan.person]["status"] = "departed"
        data["people"][plan.person]["departed_on"] = plan.on
    for team in plan.teams_left:
        entry = data["teams"][team]
        entry["members"] = [m for m in entry.get("members", []) if m != plan.person]
    return data
