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

Hit = tuple[str, str]  # the dotted key holding a secret, and what it looks like


def _scan(data: Mapping[str, Any], prefix: str, hits: list[Hit]) -> None:
    """Add the strings of `data` (nested tables and arrays too) that look like secrets."""
    for key, value in data.items():
        kind = type(value)
        if kind is str:
            # the key's last part tells a credential_ref (the dotted key is made for a hit)
            if (secret := secret_kind(key, value)) is not None:
                hits.append((f"{prefix}{key}", secret))
        elif kind is dict:
            _scan(value, f"{prefix}{key}.", hits)
        elif kind is list:
            dotted = f"{prefix}{key}"
            for item in value:
                if type(item) is str:
                    if (secret := secret_kind(dotted, item)) is not None:
                        hits.append((dotted, secret))
                elif type(item) is dict:
                    _scan(item, f"{dotted}.", hits)


def _fields(owner: object, fields: tuple[str, ...], prefix: str, hits: list[Hit]) -> None:
    for field in fields:
        value = getattr(owner, field)
        if isinstance(value, str) and (secret := secret_kind(prefix + field, value)) is not None:
            hits.append((prefix + field, secret))


_OBSERVED = ("registrar", "registrant_org", "registrant_email", "server", "error")
_PERSON = ("name", "email", "department", "github")


def _person_hits(handle: str, ctx: RuleContext) -> list[Hit]:
    """What of a person's roster entry looks like a secret, found once per audit (a person
    owns hundreds of assets in a large registry)."""
    known: dict[str, list[Hit]] = ctx.memo.setdefault("people", {})
    hits = known.get(handle)
    if hits is None:
        hits = known[handle] = []
        person = ctx.roster.people.get(handle)
        if person is not None:
            _fields(person, _PERSON, f"people.{handle}.", hits)
    return hits


def _hits(asset: Asset, ctx: RuleContext) -> list[Hit]:
    """The asset file's strings that look like secrets, then those of free text about the
    asset kept elsewhere: its observation, its waivers, its people."""
    hits: list[Hit] = []
    _scan(asset.data, "", hits)
    observation = ctx.observation(asset) if asset.kind.value == "domain" else None
    if observation is not None:
        _fields(observation, _OBSERVED, "observation.", hits)
    for waiver in ctx.data.waivers_by_asset.get(asset.id, ()):
        _fields(waiver, ("reason", "approved_by"), "waiver.", hits)
    for handle in (*asset.owners, *asset.access):
        hits.extend(_person_hits(handle, ctx))
    return hits


def check(asset: Asset, ctx: RuleContext) -> Iterator[Finding]:
    reported: set[str] = set()
    for key, kind in _hits(asset, ctx):
        if key in reported:
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
