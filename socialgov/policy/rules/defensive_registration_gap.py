"""A lookalike of a kind the policy wants held defensively is not held by the organisation.

For each domain in scope (by default those of high criticality), socialgov generates the
lookalikes of the kinds listed in the option `defensive` (default: `tld-swap`, the same
name under the common TLDs, and `omission`, the name with one letter left out) and reports
the ones that neither the registry holds nor a recorded lookalike observation shows as
registered to the organisation. One finding per kind lists the names.

Kinds: omission, insertion, replacement, transposition, repetition, hyphenation,
bitsquatting, vowel-swap, homoglyph, tld-swap. Disabled in the `default` policy (it runs no
lookups, but it lists many names); the `strict` policy enables it.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Option, Rule, RuleContext, RuleInfo
from socialgov.registry.schema import STRINGS
from socialgov.words import plural

SHOWN = 8


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    from socialgov.lookalikes.check import holder
    from socialgov.lookalikes.generate import FUZZERS, permutations

    wanted = tuple(k for k in ctx.options.get("defensive", ()) if k in FUZZERS)
    if not wanted:
        return
    held = ctx.data.held_domains
    recorded = ctx.data.lookalikes
    missing: dict[str, list[str]] = {}
    for fuzzer, name in permutations(asset.name, wanted):
        if name in held:
            continue
        entry = recorded.get(name)
        if entry is not None and holder(entry.observation, ctx.settings) == (
            "organisation-unregistered"
        ):
            continue
        missing.setdefault(fuzzer, []).append(name)
    for fuzzer in wanted:
        names = missing.get(fuzzer)
        if not names:
            continue
        shown = ", ".join(names[:SHOWN]) + (
            f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
        )
        yield ctx.finding(
            asset,
            keys=("domain",),
            message=f"{plural(len(names), f'{fuzzer} lookalike')} of {asset.name} "
            f"{'is' if len(names) == 1 else 'are'} not held: {shown}",
            hint=f"register the ones that matter and add them (tag defensive), or see who holds them: socialgov lookalikes {asset.name} --fuzzer {fuzzer} --check",
            subject=fuzzer,
        )


RULE = Rule(
    RuleInfo(
        id="defensive-registration-gap",
        severity=Severity.LOW,
        summary="A lookalike of a defensive kind (tld-swap, omission) is not held.",
        doc=__doc__ or "",
        options=(
            Option(
                "defensive",
                STRINGS,
                ["tld-swap", "omission"],
                "The lookalike kinds the organisation should hold.",
            ),
        ),
        kinds=frozenset({Kind.DOMAIN}),
        criticalities=("high",),
        needs=frozenset({"lookalikes", "assets"}),
    ),
    check,
)
