"""Policies: which rules run, at what severity, with which options and on which assets.

A policy is a TOML file; `extends` pulls in a shipped policy by name or another file by
a path relative to the extending one. Everything is validated strictly: an unknown rule
or option, or a value of the wrong type, is an InputError at the policy's file and line.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialgov.errors import InputError
from socialgov.model import Criticality, Kind, Severity, SourceText
from socialgov.policy.rule import RuleInfo, options_from
from socialgov.registry.files import Files
from socialgov.registry.schema import STRINGS, did_you_mean

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "policies"
DEFAULT = "default"
_TOP_KEYS = ("extends", "description", "rules", "waivers")
WAIVER_MAX_DAYS = 365  # [waivers] max_days: the longest a waiver may run
_SCOPE_KEYS = ("enabled", "severity", "kinds", "criticalities", "tags")


@dataclass(frozen=True)
class RuleConfig:
    """One rule's settings after every policy file was applied."""

    enabled: bool
    severity: Severity
    options: Mapping[str, Any]
    kinds: frozenset[Kind] | None = None
    criticalities: frozenset[str] | None = None
    tags: frozenset[str] | None = None

    def in_scope(self, kind: Kind, criticality: str, tags: tuple[str, ...]) -> bool:
        if self.kinds is not None and kind not in self.kinds:
            return False
        if self.criticalities is not None and criticality not in self.criticalities:
            return False
        return self.tags is None or not self.tags.isdisjoint(tags)


@dataclass(frozen=True)
class Policy:
    rules: Mapping[str, RuleConfig]
    files: tuple[str, ...] = field(default=())
    waiver_max_days: int = WAIVER_MAX_DAYS

    def config(self, info: RuleInfo) -> RuleConfig:
        """The rule's settings; a rule the policy never mentions runs with its defaults when asked for."""
        return self.rules.get(info.id) or _defaults(info, enabled=False)


def _defaults(info: RuleInfo, *, enabled: bool) -> RuleConfig:
    return RuleConfig(
        enabled=enabled,
        severity=info.severity,
        options=options_from(info),
        kinds=info.kinds,
        criticalities=frozenset(info.criticalities) if info.criticalities else None,
    )


# --- where policy files come from -----------------------------------------------------


@dataclass(frozen=True)
class _Location:
    name: str  # for messages: registry-relative, as given, or socialgov/policies/NAME.toml
    identity: str  # for cycle detection
    read: Callable[[], bytes | None]
    relative: Callable[[str], _Location]


def _shipped(name: str) -> _Location:
    path = SHIPPED_DIR / f"{name}.toml"
    return _disk(path, f"socialgov/policies/{name}.toml")


def _disk(path: Path, name: str | None = None) -> _Location:
    def read() -> bytes | None:
        from socialgov.registry.files import read_regular

        return read_regular(path, shown)

    shown = name or str(path)
    return _Location(
        name=shown,
        identity=str(path.resolve()),
        read=read,
        relative=lambda rel: _disk(
            path.parent / rel, posixpath.normpath(posixpath.join(posixpath.dirname(shown), rel))
        ),
    )


def _in_registry(files: Files, rel: str, named_in: str = "", line: int | None = None) -> _Location:
    """A policy file of the registry; a path that is absolute or leaves the registry is refused."""
    normal = posixpath.normpath(rel)
    if posixpath.isabs(rel) or normal == ".." or normal.startswith("../") or "\\" in rel:
        raise InputError(
            f"policy file {rel!r} is outside the registry",
            file=named_in or normal,
            line=line,
            hint="policy files are paths relative to the registry folder, or a shipped policy name in extends",
        )
    rel = normal
    return _Location(
        name=rel,
        identity=f"registry:{rel}",
        read=lambda: files.read(rel),
        relative=lambda other: _in_registry(
            files, posixpath.join(posixpath.dirname(rel), other), rel
        ),
    )


def shipped_names() -> list[str]:
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.toml"))


# --- loading --------------------------------------------------------------------------


def default_policy() -> Policy:
    return _load([_shipped(DEFAULT)])


def load_registry_policy(policy_files: Sequence[str], files: Files) -> Policy:
    """The policy of a registry: `[policy] files` of socialgov.toml, or the shipped default."""
    if not policy_files:
        return default_policy()
    from socialgov.registry import paths

    settings_text = (files.read(paths.SETTINGS_FILE) or b"").decode("utf-8", "replace")
    locations = []
    for rel in policy_files:
        line = _line_naming(settings_text, rel)
        location = _in_registry(files, rel, paths.SETTINGS_FILE, line)
        if location.read() is None:
            raise InputError(
                f"[policy] files names {rel!r}, which does not exist",
                file=paths.SETTINGS_FILE,
                line=line,
                hint="policy paths are relative to the registry folder",
            )
        locations.append(location)
    return _load(locations)


def _line_naming(text: str, value: str) -> int | None:
    """The line of socialgov.toml that names `value` (for messages about it)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if f'"{value}"' in line or f"'{value}'" in line:
            return number
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("files"):
            return number
    return None


def load_policy_paths(paths: Sequence[Path]) -> Policy:
    """Policies named on the command line (a shipped name or a file)."""
    locations = []
    for path in paths:
        text = str(path)
        if "/" not in text and not text.endswith(".toml") and not path.exists():
            locations.append(_shipped_or_error(text, "--policy", None))
        else:
            locations.append(_disk(path, text))
    return _load(locations)


def _shipped_or_error(name: str, where: str, line: int | None) -> _Location:
    if name not in shipped_names():
        message = f"no shipped policy {name!r}; shipped: {', '.join(shipped_names())}"
        raise InputError(message, file=where, line=line, hint=did_you_mean(name, shipped_names()))
    return _shipped(name)


def _load(locations: Sequence[_Location]) -> Policy:
    from socialgov.policy.rules import RULES

    settings: dict[str, dict[str, Any]] = {}
    waivers: dict[str, Any] = {}
    for location in locations:
        _apply(location, settings, stack=(), waivers=waivers)
    rules: dict[str, RuleConfig] = {}
    for rule_id, entry in settings.items():
        info = RULES[rule_id].info
        base = _defaults(info, enabled=True)
        rules[rule_id] = RuleConfig(
            enabled=entry.get("enabled", True),
            severity=Severity(entry["severity"]) if "severity" in entry else base.severity,
            options=options_from(info, {k: v for k, v in entry.items() if k not in _SCOPE_KEYS}),
            kinds=_kinds(info, entry["kinds"]) if "kinds" in entry else base.kinds,
            criticalities=frozenset(entry["criticalities"])
            if "criticalities" in entry
            else base.criticalities,
            tags=frozenset(entry["tags"]) if "tags" in entry else None,
        )
    return Policy(
        rules=rules,
        files=tuple(loc.name for loc in locations),
        waiver_max_days=waivers.get("max_days", WAIVER_MAX_DAYS),
    )


def _kinds(info: RuleInfo, names: list[str]) -> frozenset[Kind]:
    """A policy narrows a rule to kinds; it cannot widen it to kinds the rule does not know."""
    kinds = frozenset(Kind(k) for k in names)
    return kinds & info.kinds if info.kinds is not None else kinds


def _apply(
    location: _Location,
    settings: dict[str, dict[str, Any]],
    stack: tuple[str, ...],
    waivers: dict[str, Any],
) -> None:
    from socialgov.registry.load import parse_toml_text

    if location.identity in stack:
        raise InputError(
            "the policy extends itself (a cycle of extends)", file=location.name, line=1
        )
    raw = location.read()
    if raw is None:
        raise InputError("the policy file does not exist", file=location.name)
    data, source = parse_toml_text(raw, location.name)
    for key in data:
        if key not in _TOP_KEYS:
            raise InputError(
                f"unknown key {key!r} in a policy",
                file=location.name,
                line=source.line_of(key),
                hint=did_you_mean(key, _TOP_KEYS) or "policy keys: " + ", ".join(_TOP_KEYS),
            )
    extends = data.get("extends")
    if extends is not None:
        parents = [extends] if isinstance(extends, str) else extends
        if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
            raise InputError(
                "extends: expected a policy name or path, or a list of them",
                file=location.name,
                line=source.line_of("extends"),
            )
        for parent in parents:
            if "/" not in parent and not parent.endswith(".toml"):
                target = _shipped_or_error(parent, location.name, source.line_of("extends"))
            else:
                try:
                    target = location.relative(parent)
                except InputError as exc:
                    raise InputError(
                        f"extends {exc.detail}",
                        file=location.name,
                        line=source.line_of("extends"),
                        hint=exc.hint,
                    ) from None
            try:
                _apply(target, settings, (*stack, location.identity), waivers)
            except InputError as exc:
                if exc.file == target.name and exc.detail == "the policy file does not exist":
                    raise InputError(
                        f"extends {parent!r}: no such policy file ({target.name})",
                        file=location.name,
                        line=source.line_of("extends"),
                    ) from None
                raise
    waivers.update(_waiver_settings(data.get("waivers"), location.name, source))
    rules = data.get("rules", {})
    if not isinstance(rules, dict):
        raise InputError(
            "rules must be a table ([rules.RULE-ID])",
            file=location.name,
            line=source.line_of("rules"),
        )
    for rule_id, entry in rules.items():
        _check_rule(rule_id, entry, location.name, source)
        settings.setdefault(rule_id, {}).update(entry)


def _waiver_settings(table: Any, file: str, source: SourceText) -> dict[str, Any]:
    """`[waivers] max_days = N`: the longest a waiver may be granted for."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise InputError(
            "waivers must be a table ([waivers])", file=file, line=source.line_of("waivers")
        )
    for key, value in table.items():
        line = source.line_of(f"waivers.{key}", "waivers")
        if key != "max_days":
            raise InputError(
                f"[waivers] has no key {key!r}", file=file, line=line, hint="known keys: max_days"
            )
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise InputError(
                f"waivers.max_days = {value!r}: expected a whole number of days, at least 1",
                file=file,
                line=line,
            )
    return dict(table)


def _check_rule(rule_id: str, entry: Any, file: str, source: SourceText) -> None:
    from socialgov.policy.rules import RULES

    dotted = f"rules.{rule_id}"
    line = source.line_of(dotted, "rules")
    rule = RULES.get(rule_id)
    if rule is None:
        raise InputError(
            f"unknown rule {rule_id!r}",
            file=file,
            line=line,
            hint=did_you_mean(rule_id, list(RULES)) or "list the rules with `socialgov rules`",
        )
    if not isinstance(entry, dict):
        raise InputError(
            f"{dotted} must be a table ([{dotted}] with enabled, severity, options)",
            file=file,
            line=line,
        )
    info = rule.info
    for key, value in entry.items():
        where = source.line_of(f"{dotted}.{key}", dotted)
        expected = _expected(info, key, value)
        if expected is _UNKNOWN:
            known = [*_SCOPE_KEYS, *(o.name for o in info.options)]
            raise InputError(
                f"rule {rule_id} has no option {key!r}",
                file=file,
                line=where,
                hint=did_you_mean(key, known) or "options: " + ", ".join(known),
            )
        if expected:
            raise InputError(f"{dotted}.{key}: expected {expected}", file=file, line=where)


_UNKNOWN = "\0unknown"
_CHOICES: dict[str, tuple[str, ...]] = {
    "severity": tuple(s.value for s in Severity),
    "kinds": tuple(k.value for k in Kind),
    "criticalities": tuple(c.value for c in Criticality),
}


def _expected(info: RuleInfo, key: str, value: Any) -> str:
    """What `key` should have been given instead of `value`; '' when it is fine."""
    if key == "enabled":
        return "" if isinstance(value, bool) else "true or false"
    if key == "severity":
        ok = isinstance(value, str) and value in _CHOICES["severity"]
        return "" if ok else "one of " + ", ".join(_CHOICES["severity"])
    if key in ("kinds", "criticalities", "tags"):
        if not STRINGS.accepts(value):
            return STRINGS.describe()
        bad = [v for v in value if key in _CHOICES and v not in _CHOICES[key]]
        return "a list of " + ", ".join(_CHOICES[key]) if bad else ""
    option = info.option(key)
    if option is None:
        return _UNKNOWN
    return "" if option.type.accepts(value) else option.type.describe()
