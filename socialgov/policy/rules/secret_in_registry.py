"""A value that looks like a password, token or private key.

Every string of the asset file is checked, notes included: private-key blocks, known
token formats (GitHub `ghp_`/`github_pat_`, Slack `xox…-`, AWS `AKIA…`, Stripe
`sk_live_`, GitLab `glpat-`, Google `AIza…`, npm, JWTs), `password: …`-style text,
credentials inside URLs, and long high-entropy strings. `credential_ref` values that are
references (`op://…`, `1password://…`, `vault:…`, `bitwarden://…`, `keychain:…`) are
fine; that is where credentials belong. The asset's observation, its waivers' reasons and
its owners' roster entries are checked too (`observation.registrar`, `waiver.reason`,
`people.HANDLE.department`). Findings never repeat the secret; they name
the key that holds it. Also runs on retired assets: a leaked secret stays in history.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from socialgov.model import Asset, Severity
from socialgov.policy.result import Finding
from socialgov.policy.rule import Rule, RuleContext, RuleInfo
from socialgov.policy.secret_scan import secret_kind


def _strings(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, str):
            yield dotted, value
        elif isinstance(value, Mapping):
            yield from _strings(value, f"{dotted}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    yield dotted, item
                elif isinstance(item, Mapping):
                    yield from _strings(item, f"{dotted}.")


def _related_strings(asset: Asset, ctx: RuleContext) -> Iterator[tuple[str, str]]:
    """Free text about the asset kept elsewhere: its observation, its waivers, its people."""
    observation = ctx.observation(asset) if asset.kind.value == "domain" else None
    if observation is not None:
        for field in ("registrar", "registrant_org", "registrant_email", "server", "error"):
            value = getattr(observation, field)
            if isinstance(value, str):
                yield f"observation.{field}", value
    for waiver in ctx.data.waivers_by_asset.get(asset.id, ()):
        yield "waiver.reason", waiver.reason
        yield "waiver.approved_by", waiver.approved_by
    for handle in (*asset.owners, *asset.access):
        person = ctx.roster.people.get(handle)
        if person is None:
            continue
        for field in ("name", "email", "department", "github"):
            value = getattr(person, field)
            if isinstance(value, str):
                yield f"people.{handle}.{field}", value


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    reported: set[str] = set()
    for key, value in (*_strings(asset.data), *_related_strings(asset, ctx)):
        kind = secret_kind(key, value)
        if kind is None or key in reported:
            continue
        reported.add(key)
        yield ctx.finding(
            asset,
            keys=(key,),
            message=f"{key} of {asset.id} looks like it holds {kind}",
            hint="remove it from the file and from git history, revoke it, store it in the password manager and keep only a reference in credential_ref",
            subject=key,
        )


RULE = Rule(
    RuleInfo(
        id="secret-in-registry",
        severity=Severity.CRITICAL,
        summary="A value that looks like a password, token or private key.",
        doc=__doc__ or "",
        include_retired=True,
        needs=frozenset({"observations"}),
    ),
    check,
)
