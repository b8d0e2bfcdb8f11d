"""Run the enabled rules over an audit's inputs and apply waivers: `audit`.

The engine only evaluates: its inputs come from policy.inputs (the working tree or a
commit), and it reads no file and runs no git.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from socialgov.errors import UsageError
from socialgov.model import Asset, AssetId, Kind, Waiver
from socialgov.policy.config import Policy, RuleConfig
from socialgov.policy.findings_memo import FindingsMemo, memoizable
from socialgov.policy.inputs import AuditInputs
from socialgov.policy.result import AuditResult, CheckedBy, Finding
from socialgov.policy.rule import AuditData, Rule, RuleContext
from socialgov.registry.schema import did_you_mean


def select_rules(policy: Policy, rules: Sequence[str] | None) -> list[Rule]:
    """The rules to run: those named (validated), else those the policy enables."""
    from socialgov.policy.rules import RULES

    if rules is None:
        return [r for rule_id, r in RULES.items() if policy.config(r.info).enabled]
    for rule_id in rules:
        if rule_id not in RULES:
            raise UsageError(
                f"unknown rule {rule_id!r}",
                hint=did_you_mean(rule_id, list(RULES)) or "list the rules with `socialgov rules`",
            )
    wanted = set(rules)
    return [r for rule_id, r in RULES.items() if rule_id in wanted]


def audit(
    inputs: AuditInputs,
    *,
    today: date,
    rules: Sequence[str] | None = None,
    kinds: Sequence[Kind] | None = None,
    assets: Sequence[AssetId] | None = None,
    memo: FindingsMemo | None = None,
    record: Callable[[Asset, Sequence[Finding], int], None] | None = None,
    recalled: Sequence[Outcome] = (),
) -> AuditResult:
    """Run the rules over the assets of `inputs` (built by policy.inputs; this reads nothing).

    With `memo`, the findings of memoizable rules on an asset the memo knows are taken
    from it, and those of the others are added to it. `record` is given each asset's
    outcome: its findings before waivers, and the rules that checked it (bit i: the i-th
    selected rule). `recalled`: the outcomes, under the same rules, of assets not in
    `inputs` that the audit reports as well (a patched audit, policy.audit_snapshot)."""
    registry, policy, waivers = inputs.registry, inputs.policy, inputs.waivers
    selected = select_rules(policy, rules)
    wanted = set(assets) if assets is not None else None
    targets = sorted(
        (
            a
            for a in registry.assets.values()
            if (kinds is None or a.kind in kinds) and (wanted is None or a.id in wanted)
        ),
        key=lambda a: (a.id.kind, a.id.name),
    )
    data = AuditData(inputs, today)
    contexts: Contexts = []
    for index, rule in enumerate(selected):
        config = policy.config(rule.info)
        context = RuleContext(data, rule.info, config.severity, config.options)
        contexts.append((index, rule, config, context, memo is not None and memoizable(rule)))
    rule_ids = [rule.info.id for rule in selected]
    bit_of = {rule_id: 1 << index for index, rule_id in enumerate(rule_ids)}
    kept = [slot[4] for slot in contexts]

    found: list[Finding] = []
    masks: list[tuple[AssetId, int]] = []
    kept_checked: dict[int, list[str]] = {}  # a mask → the rules of it the memo keeps
    plans = []
    # A memo that knows nothing (a cold audit) recalls nothing: the assets' keys are made
    # with their runs, on all cores, not here one by one.
    keys_later = memo is not None and memo.empty
    for asset in targets:
        key = memo.key(asset) if memo is not None and not keys_later else None
        remembered = memo.recall(key, asset.id) if memo is not None and key is not None else None
        plans.append((asset, key, remembered))

    def prepare() -> None:
        """Load now what rules would load on first use (before the work is shared out)."""
        for rule in selected:
            for name in rule.info.needs - {"assets"}:
                inputs.source(name)
            if "assets" in rule.info.needs:
                data.held_domains, data.domain_names  # noqa: B018
        data.waivers_by_asset  # noqa: B018

    work = [(asset, remembered is not None) for asset, _, remembered in plans]
    runs = _evaluate(work, contexts, prepare, memo.key if memo is not None and keys_later else None)
    for (asset, key, remembered), ((mask, results), made_key) in zip(plans, runs, strict=True):
        key = key or made_key
        outcome: list[Finding] = []
        fresh: list[Finding] = []
        if remembered is not None:
            outcome.extend(remembered[0])
            for rule_id in remembered[1]:
                mask |= bit_of[rule_id]
        for index, findings in results:
            outcome.extend(findings)
            if kept[index]:
                fresh.extend(findings)
        found.extend(outcome)
        masks.append((asset.id, mask))
        if len(fresh) == len(outcome):  # kept by the memo and the snapshot: one list
            fresh = outcome = outcome or _NOTHING
        if key is not None and remembered is None and all(f.asset == asset.id for f in fresh):
            assert memo is not None
            fresh_checked = kept_checked.get(mask)
            if fresh_checked is None:  # a few masks repeat over all the assets
                fresh_checked = kept_checked[mask] = [
                    rule_id for i, rule_id in enumerate(rule_ids) if kept[i] and mask >> i & 1
                ]
            memo.remember(key, fresh, fresh_checked)
        if record is not None:
            record(asset, outcome, mask)
    for asset_id, earlier, mask in recalled:
        found.extend(earlier)
        masks.append((asset_id, mask))
    if recalled:
        masks.sort(key=lambda pair: (pair[0].kind, pair[0].name))
    found = _apply_waivers(found, waivers, today)
    return AuditResult(
        findings=ordered(found),
        assets_checked=len(masks),
        rules=tuple(replace(r.info, severity=policy.config(r.info).severity) for r in selected),
        checked=CheckedBy(rule_ids, masks),
    )


_NOTHING: list[Finding] = []  # what most assets' runs find, kept once (never changed)
# What the audit found on one asset: its findings before waivers, and the rules that checked
# it (bit i: the i-th selected rule).
Outcome = tuple[AssetId, Sequence[Finding], int]
# What the rules made of one asset: a bit for each rule (by its index in the contexts)
# that checked it, and the findings of those that found something, by index. A few bytes
# an asset, where a record per rule cost 40 MB at 10,000 assets.
AssetRun = tuple[int, list[tuple[int, list[Finding]]]]
# Each selected rule: its index, the rule, its configuration and context, and whether the
# memo keeps its findings.
Contexts = list[tuple[int, Rule, RuleConfig, RuleContext, bool]]
# The memo's key of an asset, made with its run (None: no key is wanted).
KeyOf = Callable[[Asset], str | None] | None
# Assets to evaluate at once across processes, when the platform can fork: the forked
# workers see the audit's inputs as they are, and only findings travel back.
PARALLEL_MIN = 3000
_CHUNK = 500
_SHARED: tuple[list[tuple[Asset, bool]], Contexts, KeyOf] | None = None


class Scopes:
    """Which of some rules apply to an asset: those in scope on its kind, criticality,
    status and — when some rule's scope names tags — tags, worked out once per such scope
    (an audit has a few dozen, where it has thousands of assets)."""

    def __init__(self, contexts: Contexts) -> None:
        self.contexts = contexts
        self.by_tags = any(config.tags is not None for _, _, config, _, _ in contexts)
        # scope → the sum of the rules' bits, and each one's index, check and context
        self.known: dict[tuple[Any, ...], tuple[int, list[tuple[int, Any, RuleContext]]]] = {}

    def of(self, asset: Asset) -> tuple[int, list[tuple[int, Any, RuleContext]]]:
        # Asset properties build enums on each access; read them once per asset.
        tags = asset.tags if self.by_tags else ()
        scope = (asset.kind, asset.criticality.value, tags, asset.active)
        applies = self.known.get(scope)
        if applies is None:
            kind, criticality, _, active = scope
            tags = asset.tags
            runs = [
                (index, rule.check, ctx)
                for index, rule, config, ctx, _ in self.contexts
                if (active or rule.info.include_retired)
                and config.in_scope(kind, criticality, tags)
            ]
            applies = self.known[scope] = (sum(1 << index for index, _, _ in runs), runs)
        return applies


def _run_rules(asset: Asset, scopes: Scopes) -> AssetRun:
    """Every rule of `scopes` in scope on `asset` (for an asset whose memoized findings
    were recalled, callers pass only the other rules: see `_unkept`)."""
    mask, runs = scopes.of(asset)
    found = []
    for index, check, ctx in runs:
        results = list(check(asset, ctx))
        if results:
            found.append((index, results))
    asset.source.forget_lines()
    return mask, found


def _run_all(
    work: Sequence[tuple[Asset, bool]], contexts: Contexts, key_of: KeyOf
) -> list[tuple[AssetRun, str | None]]:
    """`_run_rules` over `work`: every rule on an asset the memo did not recall, the
    rules the memo does not keep on one it did; and each asset's `key_of`, when given."""
    every, others = Scopes(contexts), Scopes(_unkept(contexts))
    return [
        (_run_rules(asset, others if recalled else every), key_of(asset) if key_of else None)
        for asset, recalled in work
    ]


def _run_chunk(bounds: tuple[int, int]) -> list[tuple[AssetRun, str | None]]:
    assert _SHARED is not None  # set by _evaluate before the workers forked
    work, contexts, key_of = _SHARED
    return _run_all(work[slice(*bounds)], contexts, key_of)


def _unkept(contexts: Contexts) -> Contexts:
    """The rules an asset whose findings the memo recalled still needs."""
    return [context for context in contexts if not context[4]]


def _evaluate(
    work: list[tuple[Asset, bool]],
    contexts: Contexts,
    prepare: Callable[[], None],
    key_of: KeyOf = None,
) -> list[tuple[AssetRun, str | None]]:
    """The rule runs of each asset of `work`, in order, and its `key_of` when given: across
    the cores for a large cold audit, with output identical to the serial path (which any
    failure falls back to)."""
    global _SHARED
    import multiprocessing
    import os

    todo = sum(not recalled for _, recalled in work)
    workers = min(os.cpu_count() or 1, 8)
    if (
        todo >= PARALLEL_MIN
        and workers > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and sys.platform == "linux"
    ):
        from concurrent.futures import ProcessPoolExecutor

        from socialgov.registry.content_cache import before_fork

        prepare()
        before_fork()
        chunks = [(i, min(i + _CHUNK, len(work))) for i in range(0, len(work), _CHUNK)]
        _SHARED = (work, contexts, key_of)
        try:
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork")
            ) as pool:
                return [run for chunk in pool.map(_run_chunk, chunks) for run in chunk]
        except Exception:  # a failure is the serial path's to report, as it would
            pass
        finally:
            _SHARED = None
    return _run_all(work, contexts, key_of)


def _report_order(f: Finding) -> tuple[Any, ...]:
    # AssetId's own order, without a dataclass comparison per pair
    return (-f.severity.rank, f.asset.kind, f.asset.name, f.rule, f.line, f.fingerprint)


def ordered(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings in report order: most severe first, then by asset, rule and line."""
    return tuple(sorted(findings, key=_report_order))


def ordered_with(in_order: Sequence[Finding], more: Sequence[Finding]) -> tuple[Finding, ...]:
    """`ordered([*in_order, *more])` for findings `in_order` already in report order: a few
    more are inserted (each after its equals, as the stable sort would put them)."""
    if len(more) > 64:
        return ordered([*in_order, *more])
    merged = list(in_order)
    for finding in more:
        bisect.insort_right(merged, finding, key=_report_order)
    return tuple(merged)


def _apply_waivers(found: list[Finding], waivers: Sequence[Waiver], today: date) -> list[Finding]:
    active: dict[tuple[str, AssetId], Waiver] = {}
    for waiver in waivers:
        if waiver.active_on(today):
            active.setdefault((waiver.rule, waiver.asset), waiver)
    if not active:
        return found
    out = []
    for finding in found:
        match = active.get((finding.rule, finding.asset))
        out.append(replace(finding, waived=True, waiver=match) if match else finding)
    return out
