"""A lookalike of the organisation's domain is registered by someone else.

Reads the lookalike observations that `socialgov lookalikes --check` recorded under
`observations/lookalikes/`. A lookalike (a name one typo, one swapped letter or one
homoglyph away, or the same name under another TLD) that is registered, that the registry
does not hold, and whose observed registrant is neither the organisation (by name, or by
the domain's expected `registrant`) nor an address on the organisation's e-mail domains, is
flagged on the domain it imitates. A redacted registrant counts as someone else: the
registry would hold the name if it were the organisation's.

Fix it by finding out who holds the name: if it is the organisation's after all, add it
(`socialgov add domain NAME --owner P`); otherwise watch it, block it in mail and web
filters, and consider a UDRP complaint or a takedown request.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    from socialgov.lookalikes.check import holder

    recorded = ctx.data.lookalikes
    if not recorded:
        return
    held = ctx.data.domain_names
    expected = asset.section.get("registrant")
    for name in sorted(recorded):
        entry = recorded[name]
        if entry.original != asset.name or name in held:
            continue
        o = entry.observation
        if holder(o, ctx.settings, expected if isinstance(expected, str) else None) != (
            "someone else"
        ):
            continue
        who = "a redacted registrant" if o.registrant_redacted else repr(o.registrant_org or "?")
        since = f" since {o.created.isoformat()}" if o.created else ""
        via = f" via {o.registrar}" if o.registrar else ""
        kind = f"{entry.fuzzer} of " if entry.fuzzer else "lookalike of "
        yield ctx.finding(
            asset,
            keys=("domain",),
            message=f"{name} ({kind}{asset.name}) is registered by {who}{via}{since}",
            hint=f"if it is the organisation's, add it: socialgov add domain {name} --owner PERSON; "
            "otherwise block it in mail and web filters and consider a UDRP complaint",
            subject=name,
        )


RULE = Rule(
    RuleInfo(
        id="lookalike-registered",
        severity=Severity.HIGH,
        summary="A lookalike of the domain is registered by someone else.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"lookalikes", "assets"}),
    ),
    check,
)
