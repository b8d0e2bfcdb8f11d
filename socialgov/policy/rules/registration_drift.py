"""Registrant, registrar or name servers changed since the previous observation.

Compares the latest observation (observations/DOMAIN.toml) with the one before it in the
registry's git history. A change nobody planned can mean a hijacked registrar account or
an unnoticed transfer. Redacted registrants are not compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialgov.lookup.patterns import is_placeholder
from socialgov.model import Asset, Kind, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.rules._common import normalise_org
from socialgov.policy.rules.nameserver_mismatch import hosts


def _org(value: str | None, redacted: bool) -> str | None:
    if not value or redacted or is_placeholder(value):
        return None
    return normalise_org(value)


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    latest = ctx.observation(asset)
    previous = ctx.data.previous_observations.get(asset.name)
    if latest is None or previous is None:
        return
    if latest.registered is not True or previous.registered is not True:
        return
    changes: list[str] = []
    subject: list[str] = []
    before = _org(previous.registrant_org, previous.registrant_redacted)
    after = _org(latest.registrant_org, latest.registrant_redacted)
    if before and after and before != after:
        changes.append(f"registrant {previous.registrant_org!r} → {latest.registrant_org!r}")
        subject.append(f"registrant={after}")
    if (
        previous.registrar
        and latest.registrar
        and normalise_org(previous.registrar) != normalise_org(latest.registrar)
    ):
        changes.append(f"registrar {previous.registrar!r} → {latest.registrar!r}")
        subject.append(f"registrar={normalise_org(latest.registrar)}")
    old_ns, new_ns = hosts(previous.name_servers), hosts(latest.name_servers)
    if old_ns and new_ns and old_ns != new_ns:
        changes.append(f"name servers {', '.join(sorted(old_ns))} → {', '.join(sorted(new_ns))}")
        subject.append("ns=" + ",".join(sorted(new_ns)))
    if changes:
        yield ctx.finding(
            asset,
            keys=("domain",),
            message=f"the registration of {asset.name} changed since the previous observation: "
            + "; ".join(changes),
            hint="confirm the change with the owners; if it was not planned, contact the registrar at once",
            subject="|".join(subject),
        )


RULE = Rule(
    RuleInfo(
        id="registration-drift",
        severity=Severity.HIGH,
        summary="Registrant, registrar or name servers changed since the previous observation.",
        doc=__doc__ or "",
        kinds=frozenset({Kind.DOMAIN}),
        needs=frozenset({"observations", "previous_observations"}),
    ),
    check,
)
