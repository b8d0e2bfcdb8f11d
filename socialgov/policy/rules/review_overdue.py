"""The owners have not confirmed the entry recently.

`last_reviewed` is the day the owners last confirmed the entry; it is missing or older
than `max_age_days` (default 180).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Option, Rule, RuleContext, RuleInfo
from socialgov.registry.schema import INT
from socialgov.words import plural


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    max_age: int = ctx.options["max_age_days"]
    reviewed = asset.data.get("last_reviewed")
    hint = f"have an owner confirm the entry and set last_reviewed: socialgov set {asset.id} last_reviewed={ctx.today.isoformat()}"
    if not isinstance(reviewed, date):
        yield ctx.finding(
            asset, message=f"{asset.id} has never been reviewed (no last_reviewed)", hint=hint
        )
        return
    age = (ctx.today - reviewed).days
    if age > max_age:
        yield ctx.finding(
            asset,
            keys=("last_reviewed",),
            message=f"{asset.id} was last reviewed {reviewed.isoformat()}, {plural(age, 'day')} ago (more than {max_age})",
            hint=hint,
        )


RULE = Rule(
    RuleInfo(
        id="review-overdue",
        severity=Severity.LOW,
        summary="`last_reviewed` missing or older than `max_age_days`.",
        doc=__doc__ or "",
        options=(Option("max_age_days", INT, 180, "days after which a review is overdue"),),
    ),
    check,
)
