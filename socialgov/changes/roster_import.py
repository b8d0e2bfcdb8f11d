"""`people import` and `people sync`: bring the roster in line with an HR or identity-provider feed.

Reading (`read_rows`) maps a CSV export's columns to roster fields and validates every
row, collecting every problem with its CSV line; a directory (`people sync`) yields the
same field values through `check_values`. Planning (`plan_import`) compares the rows with
the roster, applies the guards (a different human behind a known handle, too many
departures at once) and is pure; writing edits people.toml with tomlkit, so its comments
stay.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from socialgov.changes.roster_presets import PRESETS, Preset
from socialgov.errors import InputError, SocialgovError, UsageError
from socialgov.model import Person, PersonStatus, Registry
from socialgov.registry import paths
from socialgov.words import plural

FIELDS = (
    "handle",
    "name",
    "email",
    "status",
    "department",
    "manager",
    "departed_on",
    "employee_id",
)

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
_SHOWN_NAMES = 10


@functools.lru_cache(maxsize=1024)
def status_key(word: str) -> str:  # a feed repeats a handful of words 20,000 times
    return re.sub(r"[\s_-]+", " ", word.strip().lower())


class InvalidRows(SocialgovError):
    """Rows of an import file are invalid; nothing was written (exit 2)."""

    def __init__(
        self, label: str, problems: Sequence[tuple[int, str]], *, renames: bool = False
    ) -> None:
        self.problems = tuple(problems)
        shown = [f"{label}:{line}: {message}" for line, message in self.problems[:50]]
        if len(self.problems) > 50:
            shown.append(f"… and {len(self.problems) - 50} more")
        rows = len({line for line, _ in self.problems})
        hint = "fix the rows, map the columns with --map FIELD=COLUMN, or import the valid rows with --skip-invalid"
        if renames:
            hint = (
                "if these are the same people renamed, pass --accept-renames; otherwise "
                "give the new people their own handles (or an employee_id column); " + hint
            )
        super().__init__(
            f"{label}: {plural(rows, 'invalid row')}; nothing was imported\n" + "\n".join(shown),
            hint=hint,
        )


class TooManyDepartures(SocialgovError):
    """The mass-departure guard: a feed would depart more people than allowed (exit 2)."""

    def __init__(self, label: str, leavers: Sequence[Person], limit: int, active: int) -> None:
        self.count = len(leavers)
        names = ", ".join(f"{p.handle} ({p.name})" for p in leavers[:_SHOWN_NAMES])
        more = f" and {self.count - _SHOWN_NAMES} more" if self.count > _SHOWN_NAMES else ""
        super().__init__(
            f"{label}: refused: it would depart {self.count} of "
            f"{plural(active, 'active person', 'active people')}, more "
            f"than the limit of {limit}; nothing was written. It would depart {names}{more}",
            hint="check that the export or directory answer is complete; if these departures "
            "are real, pass --max-departures N",
        )


# --- options ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOptions:
    """How a feed is read and applied; the same for `people import` and `people sync`."""

    mapping: Mapping[str, str] = field(default_factory=dict)  # field → column spec (--map)
    preset: Preset | None = None
    status_map: Mapping[str, PersonStatus] = field(default_factory=dict)
    where: Sequence[tuple[str, str]] = ()
    date_format: str | None = None
    skip_invalid: bool = False
    missing_are_departed: bool = False
    max_departures: int | None = None
    accept_renames: bool = False
    source: str | None = None  # written as `source` on the people the feed adds or changes
    # sync: the feed owns everyone it matches (source set on each), and departs only the
    # missing people it owns
    owns_matched: bool = False
    delimiter: str | None = None

    @functools.cached_property
    def words(self) -> dict[str, PersonStatus]:  # asked once per row: built once
        words = dict(STATUS_WORDS)
        if self.preset:
            words.update(self.preset.status_words)
        words.update(self.status_map)
        return words

    @property
    def date_formats(self) -> tuple[str, ...]:
        if self.date_format:
            return (self.date_format,)
        return self.preset.date_formats if self.preset else ()

    @property
    def empty_values(self) -> frozenset[str]:
        return self.preset.empty_values if self.preset else frozenset()

    def columns(self) -> dict[str, str]:
        columns = dict(self.preset.columns) if self.preset else {}
        columns.update(self.mapping)
        return columns


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


def parse_preset(name: str | None) -> Preset | None:
    if name is None:
        return None
    preset = PRESETS.get(name.strip().lower())
    if preset is None:
        raise UsageError(f"--preset {name!r}: expected one of {', '.join(PRESETS)}")
    return preset


def parse_status_map(items: Sequence[str]) -> dict[str, PersonStatus]:
    """`--status-map VALUE=STATUS` options: an export's word for a roster status."""
    words: dict[str, PersonStatus] = {}
    for item in items:
        word, sep, status = item.rpartition("=")
        value = PersonStatus._value2member_map_.get(status.strip().lower().replace(" ", "_"))
        if not sep or not word.strip() or not isinstance(value, PersonStatus):
            raise UsageError(
                f"--status-map {item!r}: expected VALUE=STATUS with a status of active, "
                "departed or on_leave",
                hint="e.g. --status-map Suspended=departed",
            )
        words[status_key(word)] = value
    return words


def parse_where(items: Sequence[str]) -> list[tuple[str, str]]:
    """`--where COLUMN=VALUE` options: keep only rows with that value (several values of one column: any)."""
    filters: list[tuple[str, str]] = []
    for item in items:
        column, sep, value = item.partition("=")
        if not sep or not column.strip():
            raise UsageError(
                f"--where {item!r}: expected COLUMN=VALUE", hint="e.g. --where userType=Member"
            )
        filters.append((column.strip(), value.strip()))
    return filters


def check_date_format(text: str | None) -> str | None:
    if text is None:
        return None
    if "%" not in text:
        raise UsageError(
            f"--date-format {text!r}: expected a strftime format",
            hint="e.g. --date-format %m/%d/%Y",
        )
    try:
        datetime.strptime(date(2026, 1, 31).strftime(text), text)
    except ValueError as exc:
        raise UsageError(f"--date-format {text!r}: {exc}") from None
    return text


# --- the column map -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """Where one roster field comes from: alternatives, each one column, columns joined by
    spaces, or an e-mail's local part; the first alternative with a value wins."""

    alternatives: tuple[tuple[tuple[str, ...], bool], ...]  # (columns, local part)

    def value(self, row: Mapping[str, str]) -> str:
        for columns, local_part in self.alternatives:
            text = " ".join(v for c in columns if (v := row.get(c, "").strip()))
            if local_part:
                text = text.partition("@")[0] if "@" in text else ""
            if text:
                return text
        return ""


def resolve_columns(
    header: Sequence[str], mapping: Mapping[str, str], label: str, *, preset: bool = False
) -> dict[str, ColumnSpec]:
    """Each roster field's source in this file's header; an unknown column is an error at line 1.

    With several `|` alternatives, the ones whose columns are missing are dropped; a
    preset's optional fields whose columns are all missing are left out.
    """
    by_name = {h.strip().lower(): h for h in header}
    columns = ", ".join(repr(h) for h in header)

    def one(text: str) -> tuple[tuple[str, ...], bool] | str:
        """(columns, local) or the name of the missing column."""
        if text.strip().lower() in by_name:
            return (by_name[text.strip().lower()],), False
        local = False
        if text.lower().endswith(":local"):
            text, local = text[: -len(":local")], True
        found: list[str] = []
        for name in (part for part in text.split("+") if part.strip()):
            column = by_name.get(name.strip().lower())
            if column is None:
                return name.strip()
            found.append(column)
        return tuple(found), local

    specs: dict[str, ColumnSpec] = {}
    for field_name in FIELDS:
        text = mapping.get(field_name)
        if text is None:
            if field_name in by_name:
                specs[field_name] = ColumnSpec((((by_name[field_name],), False),))
            continue
        if text in ("", "-"):
            continue  # mapped to nothing: ignore this field
        options = [text] if text.strip().lower() in by_name else text.split("|")
        found = [one(o) for o in options if o.strip()]
        usable = tuple(f for f in found if not isinstance(f, str))
        if usable:
            specs[field_name] = ColumnSpec(usable)
        elif not preset or field_name in ("handle", "email", "name"):
            missing = next(f for f in found if isinstance(f, str))
            raise InputError(
                f"{field_name}: no column {missing!r}; the columns are: {columns}",
                file=label,
                line=1,
                hint="name the column with --map" if not preset else "is this the right --preset?",
            )
    for required, hint in (
        ("handle", "--map handle=COLUMN, or handle=email:local for the part before @"),
        ("email", '--map email=COLUMN, e.g. email="Work Email"'),
        ("name", '--map name=COLUMN, or two joined: name="First Name+Last Name"'),
    ):
        if required not in specs:
            raise InputError(
                f"no {required} column (columns: {columns})",
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
    manager: str | None  # as written: a handle, an e-mail address or an employee id
    departed_on: date | None  # the termination date; in the future it is a leaving date
    employee_id: str | None = None


@dataclass
class FeedRows:
    """A feed's valid rows, its problems, and the keys of invalid rows (never departed as missing)."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    invalid_keys: set[str] = field(default_factory=set)
    dates_known: bool = False  # the feed has a termination-date field
    origins: dict[int, str] = field(default_factory=dict)  # a directory entry's DN or id

    def add(
        self, line: int, values: Mapping[str, str], options: ImportOptions, origin: str = ""
    ) -> None:
        row, errors = check_values(line, values, options)
        if row is not None:
            self.rows.append(row)
            if origin:
                self.origins[line] = origin
            return
        self.problems += [(line, f"{origin}: {e}" if origin else e) for e in errors]
        for key in ("handle", "email", "employee_id"):
            if value := values.get(key, "").strip().lower():
                self.invalid_keys.add(f"{key}:{value}")


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


def read_rows(text: str, label: str, options: ImportOptions) -> FeedRows:
    """The file's rows, filtered by --where, mapped and checked one by one."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=options.delimiter or sniff_delimiter(text)
    )
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty", file=label, line=1) from None
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", file=label, line=1) from None
    specs = resolve_columns(header, options.columns(), label, preset=options.preset is not None)
    by_name = {h.strip().lower(): h for h in header}
    wanted: dict[str, set[str]] = {}
    for column, value in options.where:
        found = by_name.get(column.lower())
        if found is None:
            raise InputError(
                f"--where {column}={value}: no column {column!r}; the columns are: "
                + ", ".join(repr(h) for h in header),
                file=label,
                line=1,
            )
        wanted.setdefault(found, set()).add(value.lower())
    feed = FeedRows(dates_known="departed_on" in specs)
    index = {h: i for i, h in enumerate(header)}
    width = len(header)
    readers = [(f, _cell_reader(spec, index)) for f, spec in specs.items()]
    filters = [(index[c], v) for c, v in wanted.items()]
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            feed.problems.append((line, f"not valid CSV: {exc}"))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        if any(cells[i].strip().lower() not in v for i, v in filters):
            continue
        feed.add(line, {f: value(cells) for f, value in readers}, options)
    return feed


def _cell_reader(spec: ColumnSpec, index: Mapping[str, int]) -> Any:
    """`spec.value` over a row's list of cells (no dict per row: exports run to 20,000 rows)."""
    alternatives = [
        (tuple(index[c] for c in columns), local) for columns, local in spec.alternatives
    ]
    if len(alternatives) == 1 and len(alternatives[0][0]) == 1 and not alternatives[0][1]:
        (only,) = alternatives[0][0]
        return lambda cells: cells[only].strip()

    def value(cells: Sequence[str]) -> str:
        for columns, local_part in alternatives:
            text = " ".join(v for i in columns if (v := cells[i].strip()))
            if local_part:
                text = text.partition("@")[0] if "@" in text else ""
            if text:
                return text
        return ""

    return value


def check_values(
    line: int, values: Mapping[str, str], options: ImportOptions
) -> tuple[ImportRow | None, list[str]]:
    """One row's field values (text) checked and converted; (None, problems) when invalid."""
    empty = options.empty_values
    values = {k: ("" if v.strip() in empty else v.strip()) for k, v in values.items()}
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
        status = options.words.get(status_key(word))
        if status is None:
            errors.append(
                f"unknown status {word!r}: expected a word like Active, Terminated, "
                "Inactive, Deprovisioned, Suspended or On Leave (or map it with --status-map)"
            )
    departed_on: date | None = None
    if day := values.get("departed_on", ""):
        departed_on = parse_day(day, options.date_formats)
        if departed_on is None:
            expected = " or ".join(("YYYY-MM-DD", *options.date_formats))
            errors.append(
                f"departed_on {day!r} is not a date: expected {expected}"
                + ("" if options.date_format else " (set the format with --date-format)")
            )
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
            employee_id=values.get("employee_id") or None,
        ),
        [],
    )


def parse_day(text: str, formats: Sequence[str] = ()) -> date | None:
    """A calendar date: in one of `formats`, 2026-10-01, or the date part of an ISO timestamp."""
    text = text.strip()
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
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
    invalid: tuple[tuple[int, str], ...] = ()  # rows left out with --skip-invalid
    verb: str = "people import"

    @property
    def changes_anything(self) -> bool:
        return bool(self.added or self.updated or self.departed)

    @property
    def leaving(self) -> tuple[PersonChange, ...]:
        """People who got (or changed) a future leaving date."""
        return tuple(
            c for c in (*self.added, *self.updated) if c.fields.get("leaving_on") is not None
        )

    def message(self) -> str:
        head = (
            f"{self.verb} {self.file}: {len(self.added)} added, "
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
            "leaving": [
                {"handle": c.handle, "leaving_on": _jsonable(c.fields["leaving_on"])}
                for c in self.leaving
            ],
            "skipped": list(self.skipped),
            "invalid": [{"line": line, "problem": text} for line, text in self.invalid],
            "still_holding": dict(self.still_holding),
            "commit": commit,
        }


def departure_limit(active: int, max_departures: int | None) -> int:
    """--max-departures, else 10% of the active people, at least 3."""
    return max_departures if max_departures is not None else max(3, active // 10)


def plan_import(
    registry: Registry,
    feed: FeedRows,
    *,
    label: str,
    today: date,
    options: ImportOptions,
) -> ImportPlan:
    """Compare the rows with the roster; raise InvalidRows listing every row that cannot be
    applied (unless --skip-invalid), or TooManyDepartures.

    A row is the roster person with its employee_id, else its handle, else its work
    e-mail. Empty cells leave a field as it is.
    """
    people = registry.roster.people
    by_email = {p.email.lower(): p.handle for p in people.values()}
    by_eid = {p.employee_id: p.handle for p in people.values() if p.employee_id}
    problems = list(feed.problems)
    renames = False
    resolved: dict[str, ImportRow] = {}
    first_line: dict[str, int] = {}
    email_line: dict[str, int] = {}
    bad_lines: set[int] = {line for line, _ in problems}
    for row in feed.rows:
        if row.employee_id and row.employee_id in by_eid:
            handle, how = by_eid[row.employee_id], "employee_id"
        elif row.handle in people:
            handle, how = row.handle, "handle"
        elif row.email.lower() in by_email:
            handle, how = by_email[row.email.lower()], "email"
        else:
            handle, how = row.handle, "new"
        if handle in first_line:
            problems.append(
                (row.line, f"duplicate handle {handle!r} (first on line {first_line[handle]})")
            )
            bad_lines.add(row.line)
            continue
        if row.email.lower() in email_line:
            problems.append(
                (
                    row.line,
                    f"duplicate e-mail {row.email!r} (first on line {email_line[row.email.lower()]})",
                )
            )
            bad_lines.add(row.line)
            continue
        first_line[handle] = row.line
        email_line[row.email.lower()] = row.line
        if how in ("handle", "email") and not options.accept_renames:
            other = _other_human(people[handle], row, by_handle=how == "handle")
            if other:
                problems.append((row.line, other))
                bad_lines.add(row.line)
                renames = True
                continue
        resolved[handle] = row
    file_email = {row.email.lower(): handle for handle, row in resolved.items()}
    file_eid = {row.employee_id: handle for handle, row in resolved.items() if row.employee_id}
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
        elif text.lower() in resolved or text.lower() in people:
            found = text.lower()
        else:
            found = file_eid.get(text) or by_eid.get(text)
        if found is None:
            problems.append((row.line, f"unknown manager {text!r}: not in the file or the roster"))
            bad_lines.add(row.line)
        elif found != handle:
            managers[handle] = found
    for handle, row in resolved.items():
        if handle not in people and not row.name and row.status is not PersonStatus.DEPARTED:
            problems.append((row.line, f"missing name for the new person {handle!r}"))
            bad_lines.add(row.line)
    if feed.origins:
        problems = [
            (line, f"{feed.origins[line]}: {text}" if line in feed.origins else text)
            for line, text in problems
        ]
    problems = sorted(set(problems))
    if problems and not options.skip_invalid:
        raise InvalidRows(label, problems, renames=renames)
    if bad_lines:
        for handle, row in list(resolved.items()):
            if row.line in bad_lines:
                del resolved[handle]
        for row in feed.rows:
            if row.line in bad_lines:
                feed.invalid_keys.update(
                    f"{k}:{v.lower()}"
                    for k, v in (
                        ("handle", row.handle),
                        ("email", row.email),
                        ("employee_id", row.employee_id or ""),
                    )
                    if v
                )
        # a manager given on a skipped row's person cannot be stored
        managers = {
            h: (m if m is None or m in resolved or m in people else None)
            for h, m in managers.items()
        }

    added: list[PersonChange] = []
    updated: list[PersonChange] = []
    departed: list[PersonChange] = []
    skipped: list[str] = []
    for handle, row in resolved.items():
        person = people.get(handle)
        if person is None:
            if row.status is PersonStatus.DEPARTED and not _future(row.departed_on, today):
                skipped.append(handle)
                continue
            added.append(
                PersonChange(
                    handle, _new_fields(row, managers[handle], today, options), line=row.line
                )
            )
            continue
        change = _changes(person, row, managers[handle], today, options, feed.dates_known)
        if not change:
            continue
        before = {k: getattr(person, k) for k in change}
        before["status"] = person.status.value
        entry = PersonChange(handle, change, before, row.line)
        (departed if change.get("status") == "departed" else updated).append(entry)
    if options.missing_are_departed:
        for person in sorted(people.values(), key=lambda p: p.handle):
            if person.handle in resolved or person.departed or _seen_invalid(person, feed):
                continue
            if options.owns_matched and person.source != options.source:
                continue  # kept by hand or by another feed
            fields: dict[str, Any] = {"status": PersonStatus.DEPARTED.value, "departed_on": today}
            if person.leaving_on is not None:
                fields["leaving_on"] = None
            departed.append(
                PersonChange(
                    person.handle,
                    fields,
                    {
                        "status": person.status.value,
                        "departed_on": None,
                        "leaving_on": person.leaving_on,
                    },
                )
            )
    active = sum(1 for p in people.values() if p.active)
    limit = departure_limit(active, options.max_departures)
    if len(departed) > limit:
        raise TooManyDepartures(label, [people[c.handle] for c in departed], limit, active)
    leavers = {c.handle for c in departed}
    return ImportPlan(
        file=label.rsplit("/", 1)[-1],
        added=tuple(added),
        updated=tuple(updated),
        departed=tuple(departed),
        skipped=tuple(skipped),
        still_holding=_holdings_count(registry, leavers),
        invalid=tuple(problems),
    )


def _other_human(person: Person, row: ImportRow, *, by_handle: bool) -> str | None:
    """Why a row matched by handle or e-mail is a different human than the roster's person, if it is."""
    if row.employee_id and person.employee_id and row.employee_id != person.employee_id:
        return (
            f"{person.handle!r} has employee_id {person.employee_id!r} in the roster, "
            f"the file {row.employee_id!r}: a different person"
        )
    if (
        by_handle
        and row.name
        and row.name.casefold() != person.name.casefold()
        and row.email.lower() != person.email.lower()
    ):
        return (
            f"handle {person.handle!r} is {person.name} <{person.email}> in the roster, but "
            f"{row.name} <{row.email}> in the file: both name and e-mail differ, so this "
            "looks like a different person (refused)"
        )
    return None


def _seen_invalid(person: Person, feed: FeedRows) -> bool:
    keys = feed.invalid_keys
    return bool(keys) and (
        f"handle:{person.handle}" in keys
        or f"email:{person.email.lower()}" in keys
        or (person.employee_id is not None and f"employee_id:{person.employee_id.lower()}" in keys)
    )


def _future(day: date | None, today: date) -> bool:
    return day is not None and day > today


def _new_fields(
    row: ImportRow, manager: str | None, today: date, options: ImportOptions
) -> dict[str, Any]:
    status = row.status or PersonStatus.ACTIVE
    if status is PersonStatus.DEPARTED:  # only with a future date: not gone yet
        status = PersonStatus.ACTIVE
    fields: dict[str, Any] = {"name": row.name, "email": row.email, "status": status.value}
    if row.department:
        fields["department"] = row.department
    if manager:
        fields["manager"] = manager
    if row.employee_id:
        fields["employee_id"] = row.employee_id
    if _future(row.departed_on, today):
        fields["leaving_on"] = row.departed_on
    if options.source:
        fields["source"] = options.source
    return fields


def _changes(
    person: Person,
    row: ImportRow,
    manager: str | None,
    today: date,
    options: ImportOptions,
    dates_known: bool,
) -> dict[str, Any]:
    change: dict[str, Any] = {}
    if row.name and row.name != person.name:
        change["name"] = row.name
    if row.email.lower() != person.email.lower():
        change["email"] = row.email
    if row.department and row.department != person.department:
        change["department"] = row.department
    if manager and manager != person.manager:
        change["manager"] = manager
    if row.employee_id and row.employee_id != person.employee_id:
        change["employee_id"] = row.employee_id
    status = row.status
    if _future(row.departed_on, today):
        # a termination date ahead: leaving, not departed
        if row.departed_on != person.leaving_on:
            change["leaving_on"] = row.departed_on
        if status is PersonStatus.DEPARTED:
            status = None if not person.departed else PersonStatus.ACTIVE
    if status is PersonStatus.DEPARTED:
        if not person.departed:
            change["status"] = status.value
            leaving = (
                person.leaving_on if person.leaving_on and person.leaving_on <= today else None
            )
            change["departed_on"] = row.departed_on or leaving or today
        elif row.departed_on and row.departed_on != person.departed_on:
            change["departed_on"] = row.departed_on
        if person.leaving_on is not None:
            change["leaving_on"] = None
    else:
        if status is not None and status is not person.status:
            change["status"] = status.value
            if person.departed_on is not None:
                change["departed_on"] = None  # back from having left
        if (
            dates_known
            and row.departed_on is None
            and person.leaving_on is not None
            and "leaving_on" not in change
        ):
            change["leaving_on"] = None  # the leaving date was withdrawn
    if options.source and person.source != options.source and (change or options.owns_matched):
        change["source"] = options.source
    return change


def _holdings_count(registry: Registry, handles: set[str]) -> dict[str, int]:
    """How many assets each leaver still owns or holds credentials of: they need `offboard`."""
    counts: dict[str, int] = {}
    if not handles:
        return counts
    for asset in registry.assets.values():
        holders = {*asset.owners, *asset.access}
        holders.update(handle for _, handle, _ in asset.section_holders())
        for handle in holders & handles:
            counts[handle] = counts.get(handle, 0) + 1
    return dict(sorted(counts.items()))


# --- writing ---------------------------------------------------------------------------


def people_text(registry: Registry, plan: ImportPlan) -> str:
    """people.toml with the plan applied, comments kept, and validated.

    Each changed person's table is edited on its own (a roster of 20,000 people is not
    parsed whole by tomlkit) and new people are added after the last person; then only
    the tables written are checked, the others being as loaded. A file whose tables cannot
    be split that way is edited as one tomlkit document and loaded back whole.
    """
    from socialgov.changes.guards import roster_stays_valid
    from socialgov.registry.load import parse_roster

    source = registry.sources.get(paths.PEOPLE_FILE)
    original = source.text if source else ""
    with roster_stays_valid("import"):
        edited = _people_text_by_table(original, plan)
        if edited is not None:
            text, written = edited
            _check_written(registry, plan, written)
            return text
        text = _people_text_whole(original, plan)
        parse_roster(text.encode("utf-8"))
    return text


def _check_written(registry: Registry, plan: ImportPlan, written: str) -> None:
    """The person tables an import wrote, checked as loading people.toml checks them."""
    from socialgov.registry.load import check_table, parse_people_text
    from socialgov.registry.schema import PERSON, PERSON_REQUIRED

    rel = paths.PEOPLE_FILE
    data, source = parse_people_text(written.encode("utf-8"))
    known = {*registry.roster.people, *(c.handle for c in plan.added)}
    for handle, entry in data.get("people", {}).items():
        dotted = f"people.{handle}"
        if not isinstance(entry, dict):
            raise InputError(f"{dotted} must be a table", file=rel)
        check_table(entry, PERSON, rel=rel, source=source, prefix=f"{dotted}.")
        for key in PERSON_REQUIRED:
            if key not in entry:
                raise InputError(f'[{dotted}] needs {key} = "..."', file=rel)
        if "@" not in entry["email"]:
            raise InputError(f"{dotted}.email: expected an e-mail address", file=rel)
        if entry.get("manager") is not None and entry["manager"] not in known:
            raise InputError(
                f"{handle}'s manager {entry['manager']!r} is not in [people]", file=rel
            )


def _people_text_whole(text: str, plan: ImportPlan) -> str:
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

    return edit_text(text, change)


_HEADER_LINE = re.compile(r"^[ \t]*\[(?!\[)", re.MULTILINE)
_PERSON_HEADER = re.compile(
    r'^[ \t]*\[[ \t]*people[ \t]*\.[ \t]*(?:"([a-z0-9_][a-z0-9._-]*)"|([a-z0-9_-]+))[ \t]*\]'
)
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_TRIVIA_LINE = re.compile(r"^[ \t]*(#.*)?$")


def _people_text_by_table(text: str, plan: ImportPlan) -> tuple[str, str] | None:
    """The plan applied table by table, and the text of the tables written; None when the
    file is not plain `[people.HANDLE]` tables."""
    from socialgov.registry.save import delete_path, edit_text

    bounds = sorted({0, *(m.start() for m in _HEADER_LINE.finditer(text)), len(text)})
    chunks = [text[a:b] for a, b in itertools.pairwise(bounds)]
    where: dict[str, int] = {}
    for n, chunk in enumerate(chunks):
        if m := _PERSON_HEADER.match(chunk):
            handle = m.group(1) or m.group(2)
            if handle in where:
                return None
            where[handle] = n
    changed = (*plan.updated, *plan.departed)
    if any(entry.handle not in where for entry in changed):
        return None
    if plan.added and not where and re.search(r"^[ \t]*\[[ \t]*people[ \t]*\]", text, re.M):
        return None  # a bare [people] table: let tomlkit place the new ones
    written: list[str] = []
    for entry in changed:
        n = where[entry.handle]
        body, trail = _split_trivia(chunks[n])
        edited = _edit_table_lines(body, entry.fields)
        if edited is None:

            def change(document: Any, entry: PersonChange = entry) -> None:
                for key, value in entry.fields.items():
                    if value is None:
                        delete_path(document, ("people", entry.handle, key))
                    else:
                        set_key(document["people"][entry.handle], key, value)

            try:
                edited = edit_text(body, change)
            except Exception:  # a table tomlkit reads differently alone: edit the whole file
                return None
        chunks[n] = edited + trail
        written.append(edited)
    if plan.added:

        def header(handle: str) -> str:
            return handle if _BARE_KEY.match(handle) else json.dumps(handle)

        new = "\n".join(
            f"[people.{header(entry.handle)}]\n"
            + "".join(f"{k} = {_toml_value(v)}\n" for k, v in entry.fields.items())
            for entry in plan.added
        )
        written.append(new)
        if where:
            n = max(where.values())
            body, trail = _split_trivia(chunks[n])
            chunks[n] = body.rstrip("\n") + "\n\n" + new + (trail or "\n")
        else:
            if chunks and not chunks[-1].endswith("\n"):
                chunks[-1] += "\n"
            chunks.append(("\n" if "".join(chunks).strip() else "") + new)
    return "".join(chunks), "\n".join(written)


def _toml_value(value: Any) -> str:
    """A roster value as TOML (strings, dates, lists of strings; tomlkit for anything else)."""
    if isinstance(value, str):
        # JSON's string escapes are TOML's basic-string escapes; TOML also escapes DEL
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    import tomlkit

    return str(tomlkit.item(value).as_string())


def _one_line_value(text: str) -> tuple[str, str] | None:
    """A key's one-line value and its trailing comment; None when the value goes on (multi-line)."""
    import tomli

    for cut in [*(i for i, c in enumerate(text) if c == "#"), len(text)]:
        try:
            tomli.loads(f"x = {text[:cut]}\n")
        except tomli.TOMLDecodeError:
            continue
        value = text[:cut].rstrip()
        return value, text[len(value) :].rstrip("\n")  # the spacing before a comment, kept
    return None


def _edit_table_lines(body: str, fields: Mapping[str, Any]) -> str | None:
    """Set or remove one-line keys of one table's text, comments kept; None when a key is not
    a simple one-line `key = value` (tomlkit edits that table instead)."""
    lines = body.splitlines(keepends=True)
    if not lines or not lines[-1].endswith("\n"):
        lines = [*lines[:-1], (lines[-1] if lines else "") + "\n"]
    for key, value in fields.items():
        if not _BARE_KEY.match(key):
            return None
        pattern = re.compile(rf"^([ \t]*{re.escape(key)}[ \t]*=[ \t]*)(.*)$", re.DOTALL)
        found = [(n, m) for n, line in enumerate(lines) if (m := pattern.match(line))]
        if len(found) > 1:
            return None
        if found:
            n, m = found[0]
            parts = _one_line_value(m.group(2))
            if parts is None:
                return None
            if value is None:
                del lines[n]
            else:
                comment = parts[1] if parts[1].strip() else ""
                lines[n] = f"{m.group(1)}{_toml_value(value)}{comment}\n"
        elif value is not None:
            lines.append(f"{key} = {_toml_value(value)}\n")
    return "".join(lines)


def _split_trivia(chunk: str) -> tuple[str, str]:
    """A table's text and the blank and comment lines at its end (they belong to the next table)."""
    lines = chunk.splitlines(keepends=True)
    cut = len(lines)
    while cut > 1 and _TRIVIA_LINE.match(lines[cut - 1]):
        cut -= 1
    return "".join(lines[:cut]), "".join(lines[cut:])


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
    today: date,
    options: ImportOptions,
    dry_run: bool = False,
    author: str | None = None,
    commit: bool = True,
) -> ImportResult:
    """Read, check and (unless `dry_run`) apply an import in one commit; any invalid row writes nothing."""
    feed = read_rows(decode(raw, label), label, options)
    return apply_feed(
        root,
        feed,
        label=label,
        today=today,
        options=options,
        dry_run=dry_run,
        author=author,
        commit=commit,
    )


def apply_feed(
    root: Any,
    feed: FeedRows,
    *,
    label: str,
    today: date,
    options: ImportOptions,
    dry_run: bool = False,
    author: str | None = None,
    commit: bool = True,
    verb: str = "people import",
) -> ImportResult:
    """Plan a feed's rows against the roster and (unless `dry_run`) write them in one commit."""
    from dataclasses import replace

    from socialgov.registry.load import load_registry
    from socialgov.registry.store import load_current, transaction

    def plan(registry: Registry) -> ImportPlan:
        return replace(
            plan_import(registry, feed, label=label, today=today, options=options), verb=verb
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
