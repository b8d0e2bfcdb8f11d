"""A domain name with mixed scripts or confusable characters.

Checks the Unicode form of internationalised names (`xn--…`): a label that mixes scripts
(Latin with Cyrillic, say) or holds characters that look like Latin letters is how
phishing domains imitate a brand. A registry should hold such a name only as a defensive
registration, with a waiver saying so. Plain ASCII names are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo


def suspicious_label(unicode_name: str) -> tuple[str, str] | None:
    """The first suspicious label and why, or None."""
    from confusable_homoglyphs import confusables

    for label in unicode_name.split("."):
        if label.isascii():
            continue
        if confusables.is_mixed_script(label):
            return label, "mixes scripts"
        if confusables.is_confusable(label, greedy=False, preferred_aliases=["latin"]):
            return label, "has characters that look like Latin letters"
    return None


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    if "xn--" not in asset.name:
        return
    unicode_name = asset.id.display_name
    found = suspicious_label(unicode_name)
    if found is None:
        return
    label, why = found
    yield ctx.finding(
        asset,
        keys=("domain",),
        message=f"{asset.name} ({unicode_name}): the label {label!r} {why}",
        hint="if this is a defensive registration, waive this finding with a reason; otherwise find out who registered it and why",
        subject=unicode_name,
    )


RULE = Rule(
    RuleInfo(
        id="lookalike-domain",
        severity=Severity.HIGH,
        summary="Mixed scripts or confusable characters in a domain name.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
    ),
    check,
)
