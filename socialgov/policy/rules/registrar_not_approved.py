"""The registrar is not one of the approved registrars.

Only runs when the policy lists registrars in `approved`. The registrar is the latest
observation's, else the recorded `domain.registrar`; case, punctuation and legal forms
are ignored when comparing.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Option, Rule, RuleContext, RuleInfo
from socialgov.policy.rules._common import normalise_org
from socialgov.registry.schema import STRINGS


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    approved: list[str] = ctx.options["approved"]
    if not approved:
        return
    observation = ctx.observation(asset)
    registrar = (observation.registrar if observation else None) or asset.section.get("registrar")
    if not registrar:
        return
    if normalise_org(registrar) not in {normalise_org(a) for a in approved}:
        yield ctx.finding(
            asset,
            keys=("domain.registrar", "domain"),
            message=f"{asset.name} is held at {registrar!r}, which is not an approved registrar",
            hint="transfer it to an approved registrar: " + ", ".join(approved),
            subject=normalise_org(registrar),
        )


RULE = Rule(
    RuleInfo(
        id="registrar-not-approved",
        severity=Severity.MEDIUM,
        summary="Registrar outside `approved` (when the policy lists any).",
        doc=__doc__ or "",
        options=(Option("approved", STRINGS, [], "the approved registrars"),),
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations"}),
    ),
    check,
)
