"""`people import`: read an HR or identity-provider CSV export and bring the roster in line with it.

Reading (`read_roster_csv`) maps the file's columns to roster fields and validates every
row, collecting every problem with its CSV line; planning (`plan_import`) compares the
rows with the roster and is pure; `apply_import` writes people.toml with tomlkit, so its
comments stay.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from socialgov.errors import InputError, SocialgovError, UsageError
from socialgov.model import Kind, Person, PersonStatus, Registry
from socialgov.registry import paths

FIELDS = ("handle", "name", "email", "status", "department", "manager", "departed_on")

# Status words of HR systems (BambooHR, Workday, Personio) and identity providers (Okta,
# Entra ID, Google Workspace), compared lower-case with spaces, '-' and '_' alike.
STATUS_WORDS: Mapping[str, PersonStatus] = {
    **dict.fromkeys(
        (
            "active", "activated", "enabled", "employed", "current", "hired",
            "staged", "provisioned", "recovery", "locked out", "password expired",
        ),
        PersonStatus.ACTIVE,
    ),
    **dict.fromkeys(
        (
            "departed", "terminated", "inactive", "deprovisioned", "deactivated",
            "disabled", "left", "former", "separated", "resigned", "offboarded", "deleted",
        ),
        PersonStatus.DEPARTED,
    ),
    **dict.fromkeys(
        (
            "on leave", "leave", "suspended", "leave of absence", "on leave of absence",
            "parental leave", "sabbatical",
        ),
        PersonStatus.ON_LEAVE,
    ),
}  # fmt: skip

_HANDLE = re.compile(r"^[a-z0-9_][a-z0-9._-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class InvalidRows(SocialgovError):
    """Rows of an import file are invalid; nothing was written (exit 2)."""

    def __init__(self, label: str, problems: Sequence[tuple[int, str]]) -> None:
        self.problems = tuple(problems)
        shown = [f"{label}:{line}: {message}" for line, message in self.problems[:50]]
        if len(self.problems) > 50:
            shown.append(f"… and {len(self.problems) - 50} more")
        rows = len({line for line, _ in self.problems})
        super().__init__(
            f"{label}: {rows} invalid row(s); nothing was imported\n" + "\n".join(shown),
            hint="fix the rows, or map the columns with --map FIELD=COLUMN",
        )


# --- the column map -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """Where one roster field comes from: one column, columns joined by spaces, or an e-mail's local part."""

    columns: tuple[str, ...]
    local_part: bool = False

    def value(self, row: Mapping[str, str]) -> str:
        text = " ".join(v for c in self.columns if (v := row.get(c, "").strip()))
        if self.local_part:
            text = text.partition("@")[0] if "@" in text else ""
        return text


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """`--map field=Column` options to field → the column text as written."""
    mapping: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or key not in FIELDS:
            from socialgov.registry.schema import did_you_mean

            hint = did_you_mean(key, list(FIELDS))
            raise UsageError(
                f"--map {item!r}: expected FIELD=COLUMN with a field of {', '.join(FIELDS)}",
                hint=hint or 'e.g. --map email="Work Email" --map name="First Name+Last Name"',
            )
        mapping[key] = value.strip()
    return mapping


def resolve_columns(
    header: Sequence[str], mapping: Mapping[str, str], label: str
) -> dict[str, ColumnSpec]:
    """Each roster field's source in this file's header; an unknown column is an error at line 1."""
    by_name = {h.strip().lower(): h for h in header}

    def column(name: str, field_name: str) -> str:
        found = by_name.get(name.strip().lower())
        if found is None:
            raise InputError(
                f"--map {field_name}: no column {name.strip()!r}; the columns are: "
                + ", ".join(repr(h) for h in header),
                file=label,
                line=1,
            )
        return found

    specs: dict[str, ColumnSpec] = {}
    for field_name in FIELDS:
        text = mapping.get(field_name)
        if text is None:
            if field_name in by_name:
                specs[field_name] = ColumnSpec((by_name[field_name],))
            continue
        if text in ("", "-"):
            continue  # mapped to nothing: ignore this field
        if text.strip().lower() in by_name:
            specs[field_name] = ColumnSpec((by_name[text.strip().lower()],))
            continue
        local = False
        if text.lower().endswith(":local"):
            text, local = text[: -len(":local")], True
        names = [part for part in text.split("+") if part.strip()]
        specs[field_name] = ColumnSpec(tuple(column(n, field_name) for n in names), local)
    for required, hint in (
        ("handle", "--map handle=COLUMN, or handle=email:local for the part before @"),
        ("email", '--map email=COLUMN, e.g. email="Work Email"'),
        ("name", '--map name=COLUMN, or two joined: name="First Name+Last Name"'),
    ):
        if required not in specs:
            raise InputError(
                f"no {required} column (columns: {', '.join(repr(h) for h in header)})",
                file=label,
                line=1,
                hint=f"name a column with {hint}",
            )
    return specs


# --- reading ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    handle: str
    name: str
    email: str
    status: PersonStatus | None
    department: str | None
    manager: str | None  # as written: a handle or an e-mail address
    departed_on: date | None


def decode(raw: bytes, label: str) -> str:
    """UTF-8, with or without the byte-order mark that Excel writes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            file=label,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="export the file as 'CSV UTF-8'",
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: ',', ';' (spreadsheets in many locales) or a tab."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_rows(
    text: str, label: str, mapping: Mapping[str, str], delimiter: str | None = None
) -> tuple[list[ImportRow], list[tuple[int, str]]]:
    """The file's rows, mapped and checked one by one; problems are (line, message)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty", file=label, line=1) from None
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", file=label, line=1) from None
    specs = resolve_columns(header, mapping, label)
    rows: list[ImportRow] = []
    problems: list[tuple[int, str]] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append((line, f"not valid CSV: {exc}"))
            break
        if not any(c.strip() for c in cells):
            continue
        record = dict(zip(header, cells, strict=False))
        row, errors = _check_row(line, {f: s.value(record) for f, s in specs.items()})
        problems += [(line, e) for e in errors]
        if row is not None:
            rows.append(row)
    return rows, problems


def _check_row(line: int, values: Mapping[str, str]) -> tuple[ImportRow | None, list[str]]:
    errors: list[str] = []
    email = values.get("email", "")
    if not email:
        errors.append("missing e-mail")
    elif not _EMAIL.fullmatch(email):
        errors.append(f"{email!r} is not an e-mail address")
    handle = values.get("handle", "").lower()
    if not handle:
        errors.append("missing handle")
    elif not _HANDLE.fullmatch(handle):
        errors.append(
            f"handle {handle!r} is not valid: use lower-case letters, digits, '.', '_' and '-'"
        )
    status: PersonStatus | None = None
    if word := values.get("status", ""):
        status = STATUS_WORDS.get(re.sub(r"[\s_-]+", " ", word.strip().lower()))
        if status is None:
            errors.append(
                f"unknown status {word!r}: expected a word like Active, Terminated, "
                "Inactive, Deprovisioned, Suspended or On Leave"
            )
    departed_on: date | None = None
    if day := values.get("departed_on", ""):
        departed_on = parse_day(day)
        if departed_on is None:
            errors.append(f"departed_on {day!r} is not a date: expected YYYY-MM-DD")
    if errors:
        return None, errors
    return (
        ImportRow(
            line=line,
            handle=handle,
            name=values.get("name", ""),
            email=email,
            status=status,
            department=values.get("department") or None,
            manager=values.get("manager") or None,
            departed_on=departed_on,
        ),
        [],
    )


def parse_day(text: str) -> date | None:
    """A calendar date: 2026-10-01, or the date part of an ISO timestamp (Okta writes those)."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


# --- planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonChange:
    handle: str
    fields: Mapping[str, Any]  # field → new value; None removes the key
    before: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None  # the CSV line, None for people missing from the file

    def to_json(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "line": self.line,
            "changes": {
                k: {"before": _jsonable(self.before.get(k)), "after": _jsonable(v)}
                for k, v in self.fields.items()
            },
        }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True)
class ImportPlan:
    file: str
    added: tuple[PersonChange, ...] = ()
    updated: tuple[PersonChange, ...] = ()
    departed: tuple[PersonChange, ...] = ()
    skipped: tuple[str, ...] = ()  # departed in the file and unknown to the roster
    still_holding: Mapping[str, int] = field(default_factory=dict)

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.updated or self.departed)

    def message(self) -> str:
        head = (
            f"people import {self.file}: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.departed)} departed"
        )
        body = [f"+ {c.handle}" for c in self.added]
        body += [f"~ {c.handle}: {', '.join(c.fields)}" for c in self.updated]
        body += [f"- {c.handle}" for c in self.departed]
        return head + ("\n\n" + "\n".join(body) if body else "") + "\n"

    def to_json(self, *, dry_run: bool, commit: str | None) -> dict[str, Any]:
        return {
            "file": self.file,
            "dry_run": dry_run,
            "added": [c.to_json() for c in self.added],
            "updated": [c.to_json() for c in self.updated],
            "departed": [c.to_json() for c in self.departed],
            "skipped": list(self.skipped),
            "still_holding": dict(self.still_holding),
            "commit": commit,
        }


def plan_import(
    registry: Registry,
    rows: Sequence[ImportRow],
    *,
    label: str,
    today: date,
    missing_are_departed: bool = False,
    problems: Sequence[tuple[int, str]] = (),
) -> ImportPlan:
    """Compare the rows with the roster; raise InvalidRows listing every row that cannot be applied.

    `problems` are those found while reading, reported together with these. A row is the
    roster person with its handle, else the one with its work e-mail. Empty cells leave a
    field as it is.
    """
    people = registry.roster.people
    by_email = {p.email.lower(): p.handle for p in people.values()}
    problems = list(problems)
    resolved: dict[str, ImportRow] = {}
    first_line: dict[str, int] = {}
    email_line: dict[str, int] = {}
    for row in rows:
        handle = row.handle if row.handle in people else by_email.get(row.email.lower(), row.handle)
        if handle in first_line:
            problems.append(
                (row.line, f"duplicate handle {handle!r} (first on line {first_line[handle]})")
            )
            continue
        if row.email.lower() in email_line:
            problems.append(
                (
                    row.line,
                    f"duplicate e-mail {row.email!r} (first on line {email_line[row.email.lower()]})",
                )
            )
            continue
        first_line[handle] = row.line
        email_line[row.email.lower()] = row.line
        resolved[handle] = row
    file_email = {row.email.lower(): handle for handle, row in resolved.items()}
    managers: dict[str, str | None] = {}
    for handle, row in resolved.items():
        managers[handle] = None
        if row.manager is None:
            continue
        text = row.manager.strip()
        if "@" in text:
            found = file_email.get(text.lower())
            if found is None and (p := registry.roster.person_by_email.get(text.lower())):
                found = p.handle
        else:
            found = text.lower() if text.lower() in resolved or text.lower() in people else None
        if found is None:
            problems.append((row.line, f"unknown manager {text!r}: not in the file or the roster"))
        elif found != handle:
            managers[handle] = found
    for handle, row in resolved.items():
        if handle not in people and not row.name and row.status is not PersonStatus.DEPARTED:
            problems.append((row.line, f"missing name for the new person {handle!r}"))
    if problems:
        raise InvalidRows(label, sorted(set(problems)))

    added: list[PersonChange] = []
    updated: list[PersonChange] = []
    departed: list[PersonChange] = []
    skipped: list[str] = []
    for handle, row in resolved.items():
        person = people.get(handle)
        if person is None:
            if row.status is PersonStatus.DEPARTED:
                skipped.append(handle)
                continue
            added.append(PersonChange(handle, _new_fields(row, managers[handle]), line=row.line))
            continue
        change = _changes(person, row, managers[handle], today)
        if not change:
            continue
        before = {k: getattr(person, k) for k in change}
        before["status"] = person.status.value
        entry = PersonChange(handle, change, before, row.line)
        (departed if change.get("status") == "departed" else updated).append(entry)
    if missing_are_departed:
        for person in sorted(people.values(), key=lambda p: p.handle):
            if person.handle not in resolved and not person.departed:
                departed.append(
                    PersonChange(
                        person.handle,
                        {"status": PersonStatus.DEPARTED.value, "departed_on": today},
                        {"status": person.status.value, "departed_on": None},
                    )
                )
    leavers = {c.handle for c in departed}
    return ImportPlan(
        file=label.rsplit("/", 1)[-1],
        added=tuple(added),
        updated=tuple(updated),
        departed=tuple(departed),
        skipped=tuple(skipped),
        still_holding=_holdings_count(registry, leavers),
    )


def _new_fields(row: ImportRow, manager: str | None) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": row.name,
        "email": row.email,
        "status": (row.status or PersonStatus.ACTIVE).value,
    }
    if row.department:
        fields["department"] = row.department
    if manager:
        fields["manager"] = manager
    return fields


def _changes(person: Person, row: ImportRow, manager: str | None, today: date) -> dict[str, Any]:
    change: dict[str, Any] = {}
    if row.name and row.name != person.name:
        change["name"] = row.name
    if row.email.lower() != person.email.lower():
        change["email"] = row.email
    if row.department and row.department != person.department:
        change["department"] = row.department
    if manager and manager != person.manager:
        change["manager"] = manager
    status = row.status
    if status is PersonStatus.DEPARTED:
        if not person.departed:
            change["status"] = status.value
            change["departed_on"] = row.departed_on or today
        elif row.departed_on and row.departed_on != person.departed_on:
            change["departed_on"] = row.departed_on
    elif status is not None and status is not person.status:
        change["status"] = status.value
        if person.departed_on is not None:
            change["departed_on"] = None  # back from having left
    return change


def _holdings_count(registry: Registry, handles: set[str]) -> dict[str, int]:
    """How many assets each leaver still owns or holds credentials of: they need `offboard`."""
    counts: dict[str, int] = {}
    if not handles:
        return counts
    for asset in registry.assets.values():
        holders = {*asset.owners, *asset.access}
        if asset.kind is Kind.SOCIAL:
            holders.add(asset.section.get("recovery_phone_holder", ""))
        for handle in holders & handles:
            counts[handle] = counts.get(handle, 0) + 1
    return dict(sorted(counts.items()))


# --- writing ---------------------------------------------------------------------------


def people_text(registry: Registry, plan: ImportPlan) -> str:
    """people.toml with the plan applied, comments kept; validated by loading it back."""
    from socialgov.registry.load import parse_roster
    from socialgov.registry.save import delete_path, edit_text

    def change(document: Any) -> None:
        import tomlkit

        if plan.added and "people" not in document:
            document["people"] = tomlkit.table(is_super_table=True)
        for entry in plan.added:
            table = tomlkit.table()
            for key, value in entry.fields.items():
                table[key] = value
            add_table(document["people"], entry.handle, table)
        for entry in (*plan.updated, *plan.departed):
            for key, value in entry.fields.items():
                if value is None:
                    delete_path(document, ("people", entry.handle, key))
                else:
                    set_key(document["people"][entry.handle], key, value)

    source = registry.sources.get(paths.PEOPLE_FILE)
    text = edit_text(source.text if source else "", change)
    try:
        parse_roster(text.encode("utf-8"))
    except InputError as exc:
        raise UsageError(
            f"the import would make {paths.PEOPLE_FILE} invalid: {exc.detail}"
        ) from None
    return text


# tomlkit keeps the blank lines and comments that precede a table header as the tail of
# the table before it; appending there would put new keys under a comment meant for the
# next table. These helpers insert before that tail (and leave tomlkit alone if its
# structure is not the expected one).


def _trailing_trivia(table: Any) -> list[Any]:
    from tomlkit.items import Comment, Whitespace

    body = getattr(getattr(table, "value", None), "body", None)
    trail: list[Any] = []
    if isinstance(body, list):
        while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace | Comment):
            trail.insert(0, body.pop()[1])
    return trail


def _restore_trivia(table: Any, trail: list[Any]) -> None:
    body = getattr(getattr(table, "value", None), "body", None)
    if isinstance(body, list):
        body.extend((None, item) for item in trail)


def set_key(table: Any, key: str, value: Any) -> None:
    """Set `key` in a tomlkit table: in place if present, else after its last key."""
    if key in table:
        table[key] = value
        return
    trail = _trailing_trivia(table)
    table[key] = value
    _restore_trivia(table, trail)


def add_table(parent: Any, name: str, table: Any) -> None:
    """Add a sub-table after the last one of `parent`, before the comments that follow it."""
    import tomlkit

    last = None
    for key in parent:
        last = parent[key]
    trail = _trailing_trivia(last) if last is not None else []
    if not trail:
        trail = [tomlkit.ws("\n")]
    parent[name] = table
    _restore_trivia(table, trail)


@dataclass
class ImportResult:
    plan: ImportPlan
    dry_run: bool
    commit: str | None = None

    def to_json(self) -> dict[str, Any]:
        return self.plan.to_json(dry_run=self.dry_run, commit=self.commit)


def import_roster(
    root: Any,
    raw: bytes,
    *,
    label: str,
    mapping: Mapping[str, str],
    today: date,
    missing_are_departed: bool = False,
    delimiter: str | None = None,
    dry_run: bool = False,
    author: str | None = None,
    commit: bool = True,
) -> ImportResult:
    """Read, check and (unless `dry_run`) apply an import in one commit; any invalid row writes nothing."""
    from socialgov.registry.load import load_registry
    from socialgov.registry.store import load_current, transaction

    rows, problems = read_rows(decode(raw, label), label, mapping, delimiter)

    def plan(registry: Registry) -> ImportPlan:
        return plan_import(
            registry,
            rows,
            label=label,
            today=today,
            missing_are_departed=missing_are_departed,
            problems=problems,
        )

    if dry_run:
        return ImportResult(plan(load_current(root)), dry_run=True)
    with transaction(root, author=author, commit=commit) as tx:
        registry = load_registry(root)  # under the lock: another process's change is seen
        planned = plan(registry)
        if planned.changes_anything:
            tx.write(paths.PEOPLE_FILE, people_text(registry, planned).encode("utf-8"))
            tx.message = planned.message()
    return ImportResult(planned, dry_run=False, commit=tx.commit)
