"""Run the enabled rules over the registry and apply waivers: `audit`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from socialgov.errors import InputError, UsageError
from socialgov.lookup.dns_observation import DnsObservation
from socialgov.lookup.observation import Observation
from socialgov.lookup.web_observation import WebObservation
from socialgov.model import AssetId, Kind, Registry, Waiver
from socialgov.policy.config import Policy, load_registry_policy
from socialgov.policy.result import AuditResult, Finding
from socialgov.policy.rule import AuditData, Rule, RuleContext
from socialgov.registry import paths
from socialgov.registry.files import DiskFiles, Files
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


def check_waivers(waivers: Sequence[Waiver]) -> None:
    from socialgov.policy.rules import RULES

    for waiver in waivers:
        if waiver.rule not in RULES:
            raise InputError(
                f"the waiver names an unknown rule {waiver.rule!r}",
                file=paths.WAIVERS_FILE,
                line=waiver.line,
                hint=did_you_mean(waiver.rule, list(RULES))
                or "list the rules with `socialgov rules`",
            )


def audit(
    registry: Registry,
    *,
    today: date,
    rules: Sequence[str] | None = None,
    kinds: Sequence[Kind] | None = None,
    assets: Sequence[AssetId] | None = None,
    policy: Policy | None = None,
    observations: Mapping[str, Observation] | None = None,
    previous_observations: Mapping[str, Observation] | None = None,
    waivers: Sequence[Waiver] | None = None,
    files: Files | None = None,
    dns_observations: Mapping[str, DnsObservation] | None = None,
    previous_dns_observations: Mapping[str, DnsObservation] | None = None,
    web_observations: Mapping[str, WebObservation] | None = None,
) -> AuditResult:
    """Run the rules over the registry's assets; what is not given is read from `files`
    (default: the registry's working tree)."""
    source = files if files is not None else DiskFiles(registry.root)
    if policy is None:
        policy = load_registry_policy(registry.settings.policy_files, source)
    selected = select_rules(policy, rules)
    if waivers is None:
        from socialgov.registry.load import load_waivers

        waivers = load_waivers(source, registry.assets)
    check_waivers(waivers)

    wanted = set(assets) if assets is not None else None
    targets = sorted(
        (
            a
            for a in registry.assets.values()
            if (kinds is None or a.kind in kinds) and (wanted is None or a.id in wanted)
        ),
        key=lambda a: a.id,
    )
    data = AuditData(
        registry,
        today,
        observations=_observations_loader(observations, source, assets),
        previous_observations=_previous_loader(previous_observations, registry, files),
        waivers=waivers,
        **_posture_loaders(
            source,
            registry,
            files,
            dns_observations,
            previous_dns_observations,
            web_observations,
        ),
    )
    contexts = []
    for rule in selected:
        config = policy.config(rule.info)
        contexts.append(
            (rule, config, RuleContext(data, rule.info, config.severity, config.options))
        )

    found: list[Finding] = []
    checked: dict[str, list[AssetId]] = {rule.info.id: [] for rule in selected}
    for asset in targets:
        # Asset properties build enums on each access; read them once per asset.
        kind, criticality, tags, active = (
            asset.kind,
            asset.criticality.value,
            asset.tags,
            asset.active,
        )
        for rule, config, ctx in contexts:
            if not (active or rule.info.include_retired) or not config.in_scope(
                kind, criticality, tags
            ):
                continue
            checked[rule.info.id].append(asset.id)
            found.extend(rule.check(asset, ctx))

    found = _apply_waivers(found, waivers, today)
    found.sort(key=lambda f: (-f.severity.rank, f.asset, f.rule, f.line, f.fingerprint))
    return AuditResult(
        findings=tuple(found),
        assets_checked=len(targets),
        rules=tuple(replace(r.info, severity=policy.config(r.info).severity) for r in selected),
        checked={k: tuple(v) for k, v in checked.items()},
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


def _observations_loader(
    given: Mapping[str, Observation] | None, source: Files, assets: Sequence[AssetId] | None
) -> Callable[[], Mapping[str, Observation]]:
    def load() -> Mapping[str, Observation]:
        from socialgov.registry.load import load_observation, load_observations

        if given is not None:
            return given
        if assets is not None:
            found = {}
            for asset_id in assets:
                if asset_id.kind is Kind.DOMAIN:
                    observation = load_observation(source, asset_id.name)
                    if observation is not None:
                        found[asset_id.name] = observation
            return found
        return load_observations(source)

    return load


def _previous_loader(
    given: Mapping[str, Observation] | None, registry: Registry, files: Files | None
) -> Callable[[], Mapping[str, Observation]]:
    def load() -> Mapping[str, Observation]:
        from socialgov.policy.history_observations import previous_observations

        if given is not None:
            return given
        if files is not None:
            return {}  # a registry read from a commit: its history is the caller's to give
        return previous_observations(registry.root)

    return load


def _posture_loaders(
    source: Files,
    registry: Registry,
    files: Files | None,
    dns: Mapping[str, DnsObservation] | None,
    previous_dns: Mapping[str, DnsObservation] | None,
    web: Mapping[str, WebObservation] | None,
) -> dict[str, Callable[[], Mapping[str, Any]]]:
    """Lazy loaders of the DNS and web observations (read only if a rule asks for them)."""
    from socialgov.posture import load

    cache = registry.root / paths.CACHE_DIR / "cache"  # content-keyed: safe for any tree

    def previous() -> Mapping[str, DnsObservation]:
        if previous_dns is not None:
            return previous_dns
        if files is not None:
            return {}  # a registry read from a commit: its history is the caller's to give
        return load.previous_dns_observations(registry.root)

    return {
        "dns_observations": (lambda: dns)
        if dns is not None
        else (lambda: load.load_dns_observations(source, cache)),
        "previous_dns_observations": previous,
        "web_observations": (lambda: web)
        if web is not None
        else (lambda: load.load_web_observations(source, cache)),
    }
