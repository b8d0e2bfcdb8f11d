"""Run the enabled rules over an audit's inputs and apply waivers: `audit`.

The engine only evaluates: its inputs come from policy.inputs (the working tree or a
commit), and it reads no file and runs no git.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from socialgov.errors import UsageError
from socialgov.model import AssetId, Kind, Waiver
from socialgov.policy.config import Policy
from socialgov.policy.findings_memo import FindingsMemo, memoizable
from socialgov.policy.inputs import AuditInputs
from socialgov.policy.result import AuditResult, Finding
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
) -> AuditResult:
    """Run the rules over the assets of `inputs` (built by policy.inputs; this reads nothing).

    With `memo`, the findings of memoizable rules on an asset the memo knows are taken
    from it, and those of the others are added to it."""
    registry, policy, waivers = inputs.registry, inputs.policy, inputs.waivers
    selected = select_rules(policy, rules)
    wanted = set(assets) if assets is not None else None
    targets = sorted(
        (
            a
            for a in registry.assets.values()
            if (kinds is None or a.kind in kinds) and (wanted is None or a.id in wanted)
        ),
        key=lambda a: a.id,
    )
    data = AuditData(inputs, today)
    contexts = []
    for rule in selected:
        config = policy.config(rule.info)
        context = RuleContext(data, rule.info, config.severity, config.options)
        contexts.append((rule, config, context, memo is not None and memoizable(rule)))

    found: list[Finding] = []
    checked: dict[str, list[AssetId]] = {rule.info.id: [] for rule in selected}
    for asset in targets:
        key = memo.key(asset) if memo is not None else None
        recalled = memo.recall(key, asset.id) if memo is not None and key is not None else None
        if recalled is not None:
            found.extend(recalled[0])
            for rule_id in recalled[1]:
                checked[rule_id].append(asset.id)
        # Asset properties build enums on each access; read them once per asset.
        kind, criticality, tags, active = (
            asset.kind,
            asset.criticality.value,
            asset.tags,
            asset.active,
        )
        fresh: list[Finding] = []
        fresh_checked: list[str] = []
        for rule, config, ctx, kept in contexts:
            if kept and recalled is not None:
                continue
            if not (active or rule.info.include_retired) or not config.in_scope(
                kind, criticality, tags
            ):
                continue
            checked[rule.info.id].append(asset.id)
            results = list(rule.check(asset, ctx))
            found.extend(results)
            if kept:
                fresh.extend(results)
                fresh_checked.append(rule.info.id)
        if key is not None and recalled is None and all(f.asset == asset.id for f in fresh):
            assert memo is not None
            memo.remember(key, fresh, fresh_checked)

    found = _apply_waivers(found, waivers, today)
    return AuditResult(
        findings=ordered(found),
        assets_checked=len(targets),
        rules=tuple(replace(r.info, severity=policy.config(r.info).severity) for r in selected),
        checked={k: tuple(v) for k, v in checked.items()},
    )


def ordered(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """Findings in report order: most severe first, then by asset, rule and line."""
    return tuple(
        sorted(findings, key=lambda f: (-f.severity.rank, f.asset, f.rule, f.line, f.fingerprint))
    )


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
