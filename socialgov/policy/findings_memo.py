"""Findings kept between runs, so that an audit re-evaluates only the assets that changed.

The findings of the rules that read no more than an asset, its recorded observation and
the audit's context (settings, roster, waivers, policy, date and rule selection) are a
function of those inputs. They are kept by a key of the asset file's content and its
observation, in a memo that belongs to one context: a memo of another context (a roster
edit, a new day, another policy or socialgov version) is never consulted. Rules that read
other sources (observation history, DNS, the web, lookalikes) or other assets run every
time. The engine only consults and fills the memo; `open_memo` and `FindingsMemo.save`
keep it in the registry's ignored `.socialgov/cache/` folder, content-keyed like every
cache there (registry.content_cache).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.model import Asset, AssetId, Severity
from socialgov.policy.result import Finding

if TYPE_CHECKING:
    from socialgov.model import Kind
    from socialgov.policy.audit_snapshot import AuditSnapshot
    from socialgov.policy.inputs import AuditInputs
    from socialgov.policy.result import AuditResult
    from socialgov.policy.rule import Rule
    from socialgov.registry.content_cache import ContentCache

CACHE_FILE = "findings.json"
_SEVERITIES = {severity.value: severity for severity in Severity}
_intern = sys.intern
# What a memoized rule may read besides the asset and the context.
MEMO_SOURCES = frozenset({"observations"})


def memoizable(rule: Rule) -> bool:
    return rule.info.needs <= MEMO_SOURCES


class FindingsMemo:
    """Findings and checked rules by asset key, for one audit context."""

    def __init__(self, store: ContentCache, observations: Mapping[str, Any]) -> None:
        self.store = store
        self.observations = observations
        self._rule_lists: dict[tuple[str, ...], tuple[str, ...]] = {}

    @property
    def empty(self) -> bool:
        """Whether the memo knows no asset (every recall would miss)."""
        return not self.store.old

    def key(self, asset: Asset) -> str | None:
        """The asset's key: its file's content and its observation; None when the loader
        computed no content key (a commit's files, or no cache)."""
        from socialgov.registry.content_cache import content_key

        if asset.source.key is None:
            return None
        observation = self.observations.get(asset.name)
        seen = b"" if observation is None else canonical(observation).encode()
        return content_key(b"memo", asset.source.key.encode(), seen)

    def recall(self, key: str, asset: AssetId) -> tuple[list[Finding], list[str]] | None:
        """The memoized rules' findings on the asset and the rules that checked it."""
        entry = self.store.get(key)
        if entry is None:
            return None
        try:
            rows, checked = entry
            findings = findings_of(rows, asset)
            if not all(type(r) is str for r in checked):
                raise TypeError
        except (TypeError, ValueError, KeyError):
            self.store.drop(key)
            return None
        return findings, list(checked)

    def remember(self, key: str, findings: Sequence[Finding], checked: Sequence[str]) -> None:
        # A tuple: made JSON when the memo is written (see ContentCache.encode); the rule
        # lists repeat from asset to asset, and are kept once each.
        rules = tuple(checked)
        self.store.put(key, (findings, self._rule_lists.setdefault(rules, rules)))

    def save(self) -> None:
        self.store.save()


def finding_rows(findings: Sequence[Finding]) -> list[list[Any]]:
    """Findings of one asset as JSON rows (before waivers: a cache keeps no waiver)."""
    return [
        [f.rule, f.severity.value, f.file, f.line, f.message, f.hint, f.fingerprint]
        for f in findings
    ]


def findings_of(rows: Any, asset: AssetId) -> list[Finding]:
    """The findings of `finding_rows` on `asset`; TypeError, ValueError or KeyError when
    `rows` is of another shape (a cache is untrusted input)."""
    findings = []
    for rule, sev, file, line, message, hint, fingerprint in rows:
        if not (
            type(rule) is str
            and type(file) is str
            and type(line) is int
            and type(message) is str
            and type(hint) is str
            and type(fingerprint) is str
        ):
            raise TypeError
        # Rule ids and hints repeat across assets: one string each, not one per finding.
        findings.append(
            Finding(
                _intern(rule), _SEVERITIES[sev], asset, file, line, message, _intern(hint),
                fingerprint,
            )
        )  # fmt: skip
    return findings


def open_memo(
    root: Path, inputs: AuditInputs, rules: Sequence[Rule], *, today: date
) -> FindingsMemo:
    """The memo of this audit's context, from the registry's cache folder (empty when there
    is none, it is of another context, or caching is off)."""
    from socialgov import __version__
    from socialgov.registry import paths
    from socialgov.registry.content_cache import ContentCache, content_key

    policy, registry = inputs.policy, inputs.registry
    path: Path | None = root / paths.CACHE_DIR / "cache" / CACHE_FILE
    # A loaded registry's roster is what its people.toml says: the text stands for it,
    # at a fraction of the cost of stating 20,000 people.
    people = registry.sources.get(paths.PEOPLE_FILE)
    try:
        context = canonical(
            [
                today,
                [(r.info.id, policy.config(r.info)) for r in rules if memoizable(r)],
                registry.settings,
                ["people.toml", people.text] if people is not None else registry.roster,
                list(inputs.waivers),
            ]
        )
    except TypeError:  # a context this version cannot state: no memo
        path, context = None, ""
    fmt = f"socialgov-findings/1/{__version__}/{content_key(context.encode())}"
    store = ContentCache(path, fmt, _entry_json)
    observations = inputs.observations if store.path is not None else {}
    return FindingsMemo(store, observations)


def _entry_json(entry: tuple[Any, ...]) -> list[Any]:
    findings, checked = entry
    return [finding_rows(findings), list(checked)]


def _first(pair: list[Any]) -> str:
    return str(pair[0])


def audit_remembering(
    root: Path,
    inputs: AuditInputs,
    *,
    today: date,
    rules: Sequence[str] | None = None,
    kinds: Sequence[Kind] | None = None,
    assets: Sequence[AssetId] | None = None,
    snapshot: AuditSnapshot | None = None,
) -> AuditResult:
    """The audit of the working tree at `root`, with its memo when the audit is the whole
    one (a filtered audit reads the memo's context no differently, but would leave a memo
    of part of the registry behind), and filling `snapshot` (policy.audit_snapshot)."""
    from socialgov.policy.engine import audit, select_rules
    from socialgov.policy.rule import domain_states

    if rules is not None or kinds is not None or assets is not None:
        return audit(inputs, today=today, rules=rules, kinds=kinds, assets=assets)
    memo = open_memo(root, inputs, select_rules(inputs.policy, None), today=today)
    record = snapshot.record if snapshot is not None else None
    result = audit(inputs, today=today, memo=memo, record=record)
    memo.save()
    if snapshot is not None:
        snapshot.save(domain_states(inputs.registry))
    return result


def canonical(value: Any) -> str:
    """A text that is the same exactly when the values are (sets sorted, no addresses)."""
    return json.dumps(_plain(value), separators=(",", ":"), sort_keys=True)


_SCALARS = frozenset({str, int, float, bool, type(None)})


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass, None for any other class (looked up once a class)."""
    return (
        tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
    )


def _plain(value: Any) -> Any:
    kind: type = type(value)
    if kind in _SCALARS or value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return [kind.__name__, _plain(value.value)]
    if isinstance(value, datetime | date | time):
        return [kind.__name__, value.isoformat()]
    if (names := _field_names(kind)) is not None:
        return [kind.__name__, {name: _plain(getattr(value, name)) for name in names}]
    if isinstance(value, Mapping):
        return ["map", sorted(([canonical(k), _plain(v)] for k, v in value.items()), key=_first)]
    if isinstance(value, set | frozenset):
        return ["set", sorted(canonical(v) for v in value)]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    raise TypeError(f"no canonical form for {type(value).__name__}")
