"""Load a registry from disk and validate it, keeping each value's line for errors and findings."""

from __future__ import annotations

import itertools
import re
from collections.abc import Container, Mapping
from pathlib import Path
from typing import Any, cast

# tomli is tomllib's upstream; its compiled wheel parses the same TOML 1.0 about twice as fast.
# Every module reads TOML with it, so socialgov reads one language on every Python.
import tomli

from socialgov.errors import ErrorCollector, InputError, UsageError
from socialgov.lookup.observation import Observation
from socialgov.lookup.settings import LookupSettings
from socialgov.model import (
    TEAM_PREFIX,
    Asset,
    AssetId,
    Kind,
    Person,
    PersonStatus,
    Registry,
    Roster,
    Settings,
    SourceText,
    Team,
    Waiver,
)
from socialgov.registry import paths
from socialgov.registry.files import DiskFiles, Files
from socialgov.registry.positions import array_table_lines
from socialgov.registry.schema import (
    ASSET_SECTIONS,
    ASSET_TOP,
    PERSON,
    PERSON_REQUIRED,
    SETTINGS,
    TEAM,
    WAIVER,
    FieldType,
    did_you_mean,
)

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_HANDLE = re.compile(r"^[a-z0-9_][a-z0-9._-]*$")
_AT_END = " (at end of document)"


def parse_toml_text(
    raw: bytes, rel: str, *, allow_empty: bool = True
) -> tuple[dict[str, Any], SourceText]:
    """Decode and parse one TOML file; every failure is an InputError at file:line:col."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            file=rel,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="save the file as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff")
    if not allow_empty and not text.strip():
        raise InputError("the file is empty", file=rel, line=1)
    from socialgov.registry.limits import check_shape

    check_shape(text, rel)  # nesting and allocation bombs never reach the parser
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        message = str(exc)
        line: int | None = None
        column: int | None = None
        if m := _TOML_POSITION.search(message):
            line, column = int(m.group(1)), int(m.group(2))
            message = message[: m.start()]
        elif message.endswith(_AT_END):
            line = text.count("\n") + 1
            column = len(text) - (text.rfind("\n") + 1) + 1
            message = message[: -len(_AT_END)]
        raise InputError(f"invalid TOML: {message}", file=rel, line=line, column=column) from None
    except RecursionError:
        line, column = _deepest(text)
        raise InputError(
            "arrays or inline tables are nested too deeply",
            file=rel,
            line=line,
            column=column,
            hint="registry files need only a few levels of nesting",
        ) from None
    return data, SourceText(text)


_BRACKETS = re.compile(r"[\[\]{}\n]")


def _deepest(text: str) -> tuple[int, int]:
    """Line and column of the most deeply nested bracket (strings are not told apart:
    this only points a reader at the place)."""
    depth = best = 0
    line, line_start = 1, 0
    where = (1, 1)
    for m in _BRACKETS.finditer(text):
        char = m.group()
        if char == "\n":
            line, line_start = line + 1, m.end()
        elif char in "[{":
            depth += 1
            if depth > best:
                best, where = depth, (line, m.start() - line_start + 1)
        else:
            depth = max(depth - 1, 0)
    return where


def read_toml(
    source: Path | Files, rel: str, *, allow_empty: bool = True
) -> tuple[dict[str, Any], SourceText]:
    raw = as_files(source).read(rel)
    if raw is None:
        raise InputError("the file is missing", file=rel)
    return parse_toml_text(raw, rel, allow_empty=allow_empty)


def as_files(source: Path | Files) -> Files:
    return DiskFiles(source) if isinstance(source, Path) else source


def check_table(
    data: Mapping[str, Any],
    schema: Mapping[str, FieldType],
    *,
    rel: str,
    source: SourceText,
    prefix: str = "",
    what: str = "",
) -> None:
    """Reject unknown keys (with a suggestion) and values of the wrong type."""
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        field_type = schema.get(key)
        if field_type is None:
            hint = did_you_mean(key, list(schema))
            raise InputError(
                f"unknown key {dotted!r}{' in ' + what if what else ''}",
                file=rel,
                line=source.line_of(dotted),
                hint=hint or "known keys: " + ", ".join(schema),
            )
        if not field_type.accepts(value):
            raise InputError(
                f"{dotted} = {_show(value)}: expected {field_type.describe()}",
                file=rel,
                line=source.line_of(dotted),
            )


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "..."


def _require_table(value: Any, dotted: str, rel: str, source: SourceText) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(
            f"{dotted} must be a table ([{dotted}])", file=rel, line=source.line_of(dotted)
        )
    return value


# --- socialgov.toml -------------------------------------------------------------------


def load_settings(root: Path | Files) -> Settings:
    rel = paths.SETTINGS_FILE
    data, source = read_toml(root, rel, allow_empty=False)
    for section, value in data.items():
        if section not in SETTINGS:
            raise InputError(
                f"unknown table [{section}]",
                file=rel,
                line=source.line_of(section),
                hint=did_you_mean(section, list(SETTINGS)) or "tables: " + ", ".join(SETTINGS),
            )
        table = _require_table(value, section, rel, source)
        check_table(table, SETTINGS[section], rel=rel, source=source, prefix=f"{section}.")
    org = data.get("organization", {})
    if "name" not in org:
        raise InputError(
            '[organization] needs name = "..." (the expected registrant organisation)',
            file=rel,
            line=source.line_of("organization"),
        )
    lookup = data.get("lookup", {})
    for key in ("concurrency", "per_server"):
        if key in lookup and lookup[key] < 1:
            raise InputError(
                f"lookup.{key} = {lookup[key]}: expected a whole number of at least 1",
                file=rel,
                line=source.line_of(f"lookup.{key}"),
            )
    for key in ("timeout_s", "cache_hours"):
        if key in lookup and lookup[key] < 0:
            raise InputError(
                f"lookup.{key} = {lookup[key]}: expected a number of at least 0",
                file=rel,
                line=source.line_of(f"lookup.{key}"),
            )
    for method in lookup.get("order", ()):
        if method not in ("rdap", "whois"):
            raise InputError(
                f'lookup.order has {method!r}: expected "rdap" and/or "whois"',
                file=rel,
                line=source.line_of("lookup.order"),
            )
    defaults = LookupSettings()
    settings_lookup = LookupSettings(
        order=tuple(lookup.get("order", defaults.order)),
        timeout_s=float(lookup.get("timeout_s", defaults.timeout_s)),
        concurrency=int(lookup.get("concurrency", defaults.concurrency)),
        per_server=int(lookup.get("per_server", defaults.per_server)),
        cache_hours=float(lookup.get("cache_hours", defaults.cache_hours)),
        rdap_bootstrap=str(lookup.get("rdap_bootstrap", defaults.rdap_bootstrap)),
        iana_whois=str(lookup.get("iana_whois", defaults.iana_whois)),
        rdap_servers={k.lower(): v for k, v in lookup.get("rdap_servers", {}).items()},
        whois_servers={k.lower(): v for k, v in lookup.get("whois_servers", {}).items()},
    )
    from socialgov.notify.settings import notify_settings
    from socialgov.posture.settings import dns_settings, web_settings

    return Settings(
        org_name=org["name"],
        email_domains=tuple(d.lower() for d in org.get("email_domains", ())),
        policy_files=tuple(data.get("policy", {}).get("files", ())),
        lookup=settings_lookup,
        governance_reviewers=tuple(data.get("review", {}).get("governance", ())),
        notify=notify_settings(data.get("notify", {}), rel, source),
        dns=dns_settings(data.get("dns", {}), rel, source),
        web=web_settings(data.get("web", {}), rel, source),
    )


# --- people.toml ----------------------------------------------------------------------


def load_roster(root: Path | Files) -> tuple[Roster, SourceText | None]:
    raw = as_files(root).read(paths.PEOPLE_FILE)
    if raw is None:
        return Roster(), None
    return parse_roster(raw)


def parse_roster(
    raw: bytes, chunks: dict[str, Any] | None = None, *, parsed: dict[str, Any] | None = None
) -> tuple[Roster, SourceText]:
    """The roster of people.toml. `chunks` caches parsed tables across versions of the file,
    for callers that read many versions (the report's replay of history); `parsed` is the
    file's tables as parsed before (the content cache), validated here all the same."""
    rel = paths.PEOPLE_FILE
    data = parsed
    if data is None and chunks is not None:
        data = _parse_by_tables(raw, chunks)
    if data is None:
        data, source = parse_people_text(raw)
    else:
        source = SourceText(raw.decode("utf-8").removeprefix("\ufeff"))
    for section in data:
        if section not in ("people", "teams"):
            raise InputError(
                f"unknown table [{section}]",
                file=rel,
                line=source.line_of(section),
                hint="people.toml holds [people.HANDLE] and [teams.NAME] tables",
            )
    people: dict[str, Person] = {}
    # Across versions (`chunks`), a person whose table is the very table parsed before
    # (the same text) was validated then: the Person made from it is taken again.
    validated: dict[int, tuple[Any, Person]] | None = (
        chunks.setdefault("\0people", {}) if chunks is not None else None
    )
    for handle, entry in _require_table(data.get("people", {}), "people", rel, source).items():
        if validated is not None and (seen := validated.get(id(entry))) and seen[0] is entry:
            people[handle] = seen[1]
            continue
        dotted = f"people.{handle}"
        if not _HANDLE.fullmatch(handle):
            raise InputError(
                f"person handle {handle!r} is not valid: expected lower-case letters, digits, '.', '_' or '-'",
                file=rel,
                line=source.line_of(dotted),
            )
        entry = _require_table(entry, dotted, rel, source)
        check_table(entry, PERSON, rel=rel, source=source, prefix=f"{dotted}.")
        for key in PERSON_REQUIRED:
            if key not in entry:
                raise InputError(
                    f'[{dotted}] needs {key} = "..."', file=rel, line=source.line_of(dotted)
                )
        if "@" not in entry["email"]:
            raise InputError(
                f'{dotted}.email = "{entry["email"]}": expected an e-mail address',
                file=rel,
                line=source.line_of(f"{dotted}.email"),
            )
        people[handle] = Person(
            handle=handle,
            name=entry["name"],
            email=entry["email"],
            status=PersonStatus(entry.get("status", "active")),
            department=entry.get("department"),
            manager=entry.get("manager"),
            other_emails=tuple(entry.get("other_emails", ())),
            departed_on=entry.get("departed_on"),
            github=entry.get("github"),
            employee_id=entry.get("employee_id"),
            leaving_on=entry.get("leaving_on"),
            source=entry.get("source", "manual"),
        )
        if validated is not None:
            validated[id(entry)] = (entry, people[handle])
    teams: dict[str, Team] = {}
    for name, entry in _require_table(data.get("teams", {}), "teams", rel, source).items():
        dotted = f"teams.{name}"
        entry = _require_table(entry, dotted, rel, source)
        check_table(entry, TEAM, rel=rel, source=source, prefix=f"{dotted}.")
        members = tuple(entry.get("members", ()))
        for member in members:
            if member not in people:
                raise InputError(
                    f"team {name!r} lists {member!r}, who is not in [people]",
                    file=rel,
                    line=source.line_of(f"{dotted}.members"),
                    hint=did_you_mean(member, list(people)),
                )
        teams[name] = Team(
            name=name,
            members=members,
            github_team=entry.get("github_team"),
        )
    for person in people.values():
        if person.manager is not None and person.manager not in people:
            raise InputError(
                f"{person.handle}'s manager {person.manager!r} is not in [people]",
                file=rel,
                line=source.line_of(f"people.{person.handle}.manager"),
                hint=did_you_mean(person.manager, list(people)),
            )
    _check_work_emails(people, rel, source)
    _check_managers(people, rel, source)
    return Roster(people=people, teams=teams), source


def parse_people_text(raw: bytes) -> tuple[dict[str, Any], SourceText]:
    """people.toml parsed: the plain lines socialgov writes by registry.people_text, any
    other file by tomli (`parse_toml_text`, which reports every error)."""
    from socialgov.registry.people_text import read_people

    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return parse_toml_text(raw, paths.PEOPLE_FILE)
    data = read_people(text)
    if data is None:
        return parse_toml_text(raw, paths.PEOPLE_FILE)
    return data, SourceText(text)


def _check_work_emails(people: Mapping[str, Person], rel: str, source: SourceText) -> None:
    """Two people cannot share a work e-mail (compared without case): imports and the
    contact rules match people by it."""
    seen: dict[str, str] = {}
    for handle, person in people.items():
        key = person.email.strip().lower()
        first = seen.setdefault(key, handle)
        if first != handle:
            first_line = source.line_of(f"people.{first}.email")
            raise InputError(
                f"{handle} and {first} have the same work e-mail {person.email!r} "
                f"(also at {rel}:{first_line}); each person needs their own",
                file=rel,
                line=source.line_of(f"people.{handle}.email"),
                hint="correct one of the two addresses; a shared mailbox belongs in a team",
            )


def _check_managers(people: Mapping[str, Person], rel: str, source: SourceText) -> None:
    """No one manages themselves, directly or through a chain of managers."""
    for handle, person in people.items():
        chain = [handle]
        manager = person.manager
        while manager is not None and manager in people:
            if manager == handle:
                where = source.line_of(f"people.{handle}.manager")
                if len(chain) == 1:
                    raise InputError(
                        f"{handle} is their own manager",
                        file=rel,
                        line=where,
                        hint="set the manager they report to, or remove the key",
                    )
                raise InputError(
                    "managers form a cycle: " + " → ".join([*chain, handle]),
                    file=rel,
                    line=where,
                    hint="someone in the chain must report to a person outside it, or to no one",
                )
            if manager in chain:
                break  # a cycle that does not include `handle`: reported from one of its members
            chain.append(manager)
            manager = people[manager].manager


_TABLE_HEADER = re.compile(r"^\[(?!\[)", re.MULTILINE)


def _parse_by_tables(raw: bytes, cache: dict[str, Any]) -> dict[str, Any] | None:
    """Parse a file table by table, reusing tables parsed before; None if that is not safe.

    Splitting at lines that start with `[` is exact for ordinary files; a split inside a
    multi-line string or array leaves a piece that does not parse, and a table defined
    twice shows as a clash: both send the caller to the whole-file parser and its errors.
    """
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    bounds = sorted({0, *(m.start() for m in _TABLE_HEADER.finditer(text)), len(text)})
    merged: dict[str, Any] = {}
    owned: set[int] = set()
    for start, end in itertools.pairwise(bounds):
        piece = text[start:end]
        parsed = cache.get(piece)
        if parsed is None:
            try:
                parsed = cache[piece] = tomli.loads(piece)
            except (tomli.TOMLDecodeError, RecursionError):
                return None
        if not _merge_new(merged, parsed, owned):
            return None
    return merged


def _merge_new(into: dict[str, Any], new: Mapping[str, Any], owned: set[int] | None = None) -> bool:
    """Merge tables without modifying `new` (it is cached); False when a key is defined twice.

    `owned`: ids of the dicts this merge made itself, copied once rather than once per table
    (20,000 `[people.X]` tables would otherwise copy `people` 20,000 times)."""
    owned = set() if owned is None else owned
    for key, value in new.items():
        if key not in into:
            into[key] = value
        elif isinstance(into[key], dict) and isinstance(value, dict):
            if id(into[key]) not in owned:
                into[key] = dict(into[key])
                owned.add(id(into[key]))
            if not _merge_new(into[key], value, owned):
                return False
        else:
            return False
    return True


# --- assets ---------------------------------------------------------------------------


def asset_id_for(rel: str) -> AssetId | None:
    """The id an asset file's path stands for; None for files that are not asset files."""
    parts = rel.split("/")
    if not rel.endswith(".toml") or parts[0] != paths.ASSETS_DIR:
        return None
    kind = paths.asset_path_kind(parts)
    if kind is None:
        raise InputError(paths.asset_path_hint(), file=rel, line=1)
    name = "/".join(parts[2:])[: -len(".toml")]
    try:
        asset_id = AssetId.of(kind, name)
    except UsageError as exc:
        raise InputError(
            f"the file name is not a valid {kind} id: {exc.message}", file=rel, line=1
        ) from None
    if asset_id.name != name:
        raise InputError(
            f"the file name must be the canonical id: expected {asset_id.relpath}",
            file=rel,
            line=1,
            hint="asset names are lower-case, and domains are stored in their ASCII (punycode) form",
        )
    return asset_id


def parse_asset(asset_id: AssetId, rel: str, raw: bytes) -> Asset:
    data, source = parse_toml_text(raw, rel, allow_empty=False)
    validate_asset(asset_id, data, rel, source)
    return Asset(id=asset_id, file=rel, data=data, source=source)


def validate_asset(
    asset_id: AssetId, data: Mapping[str, Any], rel: str, source: SourceText
) -> None:
    kind = asset_id.kind
    for key, value in data.items():
        if key in ASSET_SECTIONS and isinstance(value, dict):
            if key in Kind._value2member_map_ and key != kind.value:
                raise InputError(
                    f"a {kind} asset cannot have a [{key}] table; expected [{kind.value}] or [contacts]",
                    file=rel,
                    line=source.line_of(key),
                )
            check_table(
                value,
                ASSET_SECTIONS[key],
                rel=rel,
                source=source,
                prefix=f"{key}.",
                what=f"[{key}]",
            )
        elif key in ASSET_SECTIONS:
            raise InputError(f"{key} must be a table ([{key}])", file=rel, line=source.line_of(key))
        else:
            check_table({key: value}, ASSET_TOP, rel=rel, source=source)
    for key in ("owners", "access"):
        seen: set[str] = set()
        for owner in data.get(key, ()):
            if owner in seen:
                raise InputError(f"{key} lists {owner!r} twice", file=rel, line=source.line_of(key))
            seen.add(owner)


# Parsed files by (path, content key): both sides of `check --base` parse a file once when
# its content is the same on both (parsed values are frozen or never modified).
ParseCache = dict[tuple[str, Any], Any]


def load_assets(
    root: Path | Files,
    *,
    errors: ErrorCollector | None = None,
    cache: ParseCache | None = None,
    disk: Path | None = None,
) -> dict[AssetId, Asset]:
    """Every asset file; with `errors`, invalid files are collected there and left out.

    `disk`: the registry folder whose content cache (.socialgov/cache) serves and keeps
    validated records (see registry.asset_cache); None reads no cache. A file whose stat
    the cache saw before with its content key is not even read."""
    from socialgov.registry import asset_cache as ac

    files = as_files(root)
    collector = errors if errors is not None else ErrorCollector()
    stored = shared_store(cache, disk, "assets.json", ac.FORMAT)
    kept = stored if stored.path is not None else None
    # other names are not asset files (asset_id_for says why if misnamed)
    rels = [rel for rel in files.walk(paths.ASSETS_DIR) if rel.endswith(".toml")]
    found: dict[str, Asset | InputError] = ac.load_files(
        files,
        rels,
        stored,
        ac.parse_file,
        recall=lambda rel, key: _known_asset(rel, key, cache, stored),
        made=lambda rel, key, record: _parsed(rel, key, record, cache, kept),
    )
    if cache is None:
        stored.save()
    assets: dict[AssetId, Asset] = {}
    for outcome in found.values():
        with collector.collect():
            if isinstance(outcome, InputError):
                raise outcome
            assets[outcome.id] = outcome
    if errors is None:
        collector.raise_if_any()
    return assets


def _parsed(
    rel: str, key: str, record: Any, cache: ParseCache | None, stored: Any
) -> Asset | InputError:
    """The asset or error a ParsePool made of a file, kept in `cache` and `stored`."""
    from socialgov.registry.asset_cache import asset_of

    outcome = asset_of(rel, record)
    if isinstance(outcome, Asset):
        outcome.source.key = key
        if cache is not None:
            cache[(rel, key)] = outcome
        if stored is not None:
            stored.put(key, record)
    return outcome


def shared_store(cache: ParseCache | None, disk: Path | None, name: str, fmt: str) -> Any:
    """The content cache `name` of the registry at `disk`, one for every load that shares
    `cache` (both sides of `check --base` keep their entries in it); such a store is saved
    once, by `save_stores`, when the command has loaded everything."""
    from socialgov.registry.asset_cache import open_cache

    if cache is None:
        return open_cache(disk, name, fmt)
    stored = cache.get(("\0content-cache", f"{disk}/{name}"))
    if stored is None:
        stored = cache[("\0content-cache", f"{disk}/{name}")] = open_cache(disk, name, fmt)
    return stored


def save_stores(cache: ParseCache) -> None:
    """Save every content cache the loads sharing `cache` opened (see shared_store)."""
    from socialgov.registry.content_cache import ContentCache

    for key, value in cache.items():
        if key[0] == "\0content-cache" and isinstance(value, ContentCache):
            value.save()


def _known_asset(rel: str, key: str, cache: ParseCache | None, stored: Any) -> Asset | None:
    """The asset parsed before from the content under `key`: in this process, or in the
    content cache (a record of another shape is dropped); None when it must be parsed."""
    from socialgov.registry.asset_cache import from_record

    asset = cache.get((rel, key)) if cache is not None else None
    if asset is None and (record := stored.get(key)) is not None:
        if (asset := from_record(record, rel, key)) is None:
            stored.drop(key)
        elif cache is not None:
            cache[(rel, key)] = asset
    return asset


def load_registry(
    root: Path,
    files: Files | None = None,
    *,
    errors: ErrorCollector | None = None,
    cache: ParseCache | None = None,
) -> Registry:
    """Load and validate the registry at `root` (or, with `files`, as it was in a commit).

    Every invalid file is reported, not only the first: one InvalidFiles holds them all.
    With `errors`, they are collected there instead, for a caller that loads more files.
    """
    source = files or DiskFiles(root)
    collector = errors if errors is not None else ErrorCollector()
    settings = Settings(org_name="")
    roster: Roster = Roster()
    people_source: SourceText | None = None
    with collector.collect():
        settings = load_settings(source)
    with collector.collect():
        roster, people_source = cached_roster(source, cache, root)
    assets = load_assets(source, errors=collector, cache=cache, disk=root)
    if errors is None:
        collector.raise_if_any()
    sources = {paths.PEOPLE_FILE: people_source} if people_source else {}
    return Registry(root=root, settings=settings, roster=roster, assets=assets, sources=sources)


def cached_roster(
    source: Files, cache: ParseCache | None, disk: Path | None = None
) -> tuple[Roster, SourceText | None]:
    raw = source.read(paths.PEOPLE_FILE)
    if raw is None:
        return Roster(), None
    key = (paths.PEOPLE_FILE, raw)
    if cache is not None and key in cache:
        return cache[key]
    parsed = parse_roster(raw, parsed=_roster_tables(raw, disk))
    if cache is not None:
        cache[key] = parsed
    return parsed


def _roster_tables(raw: bytes, disk: Path | None) -> dict[str, Any] | None:
    """people.toml's tables from the registry's content cache (keyed by the file's bytes),
    parsing and caching them on a miss; None when there is no cache. A large roster is most
    of the parse time of a roster feed's run."""
    from socialgov import __version__
    from socialgov.registry.asset_cache import open_cache, plain_tables, restore_tables
    from socialgov.registry.content_cache import content_key

    if disk is None:
        return None
    store = open_cache(disk, "roster.json", f"socialgov-roster/1/{__version__}")
    if store.path is None:
        return None
    key = content_key(paths.PEOPLE_FILE.encode(), raw)
    data = restore_tables(store.get(key))
    if data is None:
        data, _ = parse_people_text(raw)  # an invalid file raises as before
        store.put(key, plain_tables(data))
        store.save()
    return data


# --- waivers.toml ---------------------------------------------------------------------


def load_waivers(
    root: Path | Files, assets: Container[AssetId], *, check_assets: bool = True
) -> list[Waiver]:
    """The waivers; each error is at its waiver's line. `check_assets` False: an asset
    that is not in `assets` is no error (its file failed to load, and says so)."""
    rel = paths.WAIVERS_FILE
    raw = as_files(root).read(rel)
    if raw is None:
        return []
    data, source = parse_toml_text(raw, rel)
    for key in data:
        if key != "waiver":
            raise InputError(
                f"unknown key {key!r}",
                file=rel,
                line=source.line_of(key),
                hint="waivers are [[waiver]] tables",
            )
    entries = data.get("waiver", [])
    if not isinstance(entries, list):
        raise InputError(
            "waiver must be an array of tables ([[waiver]])",
            file=rel,
            line=source.line_of("waiver"),
        )
    lines = array_table_lines(source.text, "waiver")
    waivers: list[Waiver] = []
    errors = ErrorCollector()
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else 1
        with errors.collect():
            waivers.append(_waiver(entry, rel, line, assets, check_assets=check_assets))
    errors.raise_if_any()
    return waivers


def _waiver(
    entry: Any, rel: str, line: int, assets: Container[AssetId], *, check_assets: bool
) -> Waiver:
    if not isinstance(entry, dict):
        raise InputError("each waiver must be a table", file=rel, line=line)
    for key, value in entry.items():
        field_type = WAIVER.get(key)
        if field_type is None:
            raise InputError(
                f"unknown waiver key {key!r}",
                file=rel,
                line=line,
                hint=did_you_mean(key, list(WAIVER)) or "keys: " + ", ".join(WAIVER),
            )
        if not field_type.accepts(value):
            raise InputError(f"waiver {key}: expected {field_type.describe()}", file=rel, line=line)
    for key in ("rule", "asset", "reason", "approved_by", "expires"):
        if key not in entry:
            raise InputError(f"the waiver needs {key}", file=rel, line=line)
    try:
        asset_id = AssetId.parse(entry["asset"])
    except UsageError as exc:
        raise InputError(f"waiver asset: {exc.message}", file=rel, line=line) from None
    if check_assets and asset_id not in assets:
        raise InputError(f"the waiver names an unknown asset {asset_id}", file=rel, line=line)
    return Waiver(
        rule=entry["rule"],
        asset=asset_id,
        reason=entry["reason"],
        approved_by=entry["approved_by"],
        expires=entry["expires"],
        line=line,
        created=entry.get("created"),
    )


# --- observations/ --------------------------------------------------------------------


def load_observation(
    root: Path | Files, domain: str, cache: ParseCache | None = None
) -> Observation | None:
    rel = paths.observation_relpath(domain)
    raw = as_files(root).read(rel)
    if raw is None:
        return None
    key = (rel, raw)
    if cache is not None and key in cache:
        return cache[key]
    data, source = parse_toml_text(raw, rel)
    observation = observation_from_table(data, rel, source)
    if cache is not None:
        cache[key] = observation
    return observation


def observation_from_table(data: dict[str, Any], rel: str, source: SourceText) -> Observation:
    from socialgov.registry.observation_schema import check_observation

    check_observation(data, rel, source)
    try:
        return Observation.from_toml(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"not a valid observation: {exc}", file=rel, line=1) from None


def load_observations(
    root: Path | Files, cache: ParseCache | None = None, disk: Path | None = None
) -> dict[str, Observation]:
    """Every recorded observation; every invalid file is reported (InvalidFiles).

    `disk`: the registry folder whose content cache keeps the validated tables of each
    observation file (observations.json), as the asset files' are kept."""
    from socialgov import __version__
    from socialgov.registry.asset_cache import load_files
    from socialgov.registry.parse_pool import error_from

    files = as_files(root)
    stored = shared_store(
        cache, disk, "observations.json", f"socialgov-observations/1/{__version__}"
    )
    rels = [
        rel
        for rel in files.walk(paths.OBSERVATIONS_DIR)
        if rel.count("/") == 1 and rel.endswith(".toml")
    ]

    def made(rel: str, key: str, outcome: Any) -> Observation | InputError:
        if isinstance(outcome, tuple):
            return error_from(outcome)
        tables, observation = outcome
        if cache is not None:
            cache[(rel, key)] = observation
        if stored.path is not None:
            stored.put(key, tables)
        return cast(Observation, observation)

    found: dict[str, Observation | InputError] = load_files(
        files,
        rels,
        stored,
        parse_observation_file,
        recall=lambda rel, key: _known_observation(rel, key, cache, stored),
        made=made,
    )
    if cache is None:
        stored.save()
    errors = ErrorCollector()
    result: dict[str, Observation] = {}
    for outcome in found.values():
        with errors.collect():
            if isinstance(outcome, InputError):
                raise outcome
            result[outcome.domain] = outcome
    errors.raise_if_any()
    return result


def parse_observation_file(_: Any, rel: str, raw: bytes | None) -> Any:
    """An observation file's tables (as the content cache keeps them) and observation, or
    its error's fields (a ParsePool parse function)."""
    from socialgov.registry.asset_cache import plain_tables
    from socialgov.registry.parse_pool import error_fields

    assert raw is not None  # the caller read it
    try:
        data, source = parse_toml_text(raw, rel)
        tables = plain_tables(data)
        return [tables, observation_from_table(data, rel, source)]  # a list: errors are tuples
    except InputError as exc:
        return error_fields(exc)


def _known_observation(
    rel: str, key: str, cache: ParseCache | None, stored: Any
) -> Observation | None:
    """The observation parsed before from the content under `key`: in this process, or from
    its validated tables in the content cache (tables of another shape are dropped)."""
    from socialgov.registry.asset_cache import restore_tables

    if cache is not None and (rel, key) in cache:
        return cast(Observation, cache[(rel, key)])
    data = restore_tables(stored.get(key)) if stored.path is not None else None
    if data is None:
        return None
    try:
        observation = Observation.from_toml(data)
    except (KeyError, TypeError, ValueError):
        stored.drop(key)
        return None
    if cache is not None:
        cache[(rel, key)] = observation
    return observation


def is_team(owner: str) -> bool:
    return owner.startswith(TEAM_PREFIX)
