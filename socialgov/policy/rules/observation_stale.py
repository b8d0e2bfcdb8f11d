"""No observation of a domain, or one older than `max_age_days` (default 30).

The registration rules read recorded observations; refresh them with
`socialgov whois --all --record`.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Option, Rule, RuleContext, RuleInfo
from socialgov.registry.schema import INT
from socialgov.words import plural


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    max_age: int = ctx.options["max_age_days"]
    observation = ctx.observation(asset)
    hint = f"record a fresh observation: socialgov whois {asset.name} --record"
    if observation is None or observation.fetched_at is None:
        yield ctx.finding(
            asset,
            message=f"{asset.name} has no recorded observation",
            hint=hint,
            subject="missing",
        )
        return
    age = (ctx.today - observation.fetched_at.date()).days
    if age > max_age:
        yield ctx.finding(
            asset,
            message=f"the latest observation of {asset.name} is {plural(age, 'day')} old (more than {max_age})",
            hint=hint,
            subject="stale",
        )


RULE = Rule(
    RuleInfo(
        id="observation-stale",
        severity=Severity.LOW,
        summary="No observation, or one older than `max_age_days`.",
        doc=__doc__ or "",
        options=(Option("max_age_days", INT, 30, "days after which an observation is stale"),),
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
