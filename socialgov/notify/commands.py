"""The socialgov command that settles a finding, for the digest: what to run once the thing
itself is fixed (at the registrar, on the platform), or the change that fixes it here.

PERSON, DATE and ADDRESS are left for the reader where only a human can choose."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from socialgov.model import Asset, Roster
from socialgov.policy.result import Finding

_DOTTED_KEY = re.compile(r"^[a-z_]+\.[a-z_]+$")
_IN_BACKTICKS = re.compile(r"`(socialgov [^`]+)`")


def _whois(asset: Asset, finding: Finding, roster: Roster, today: date) -> str:
    return f"socialgov whois {asset.name} --record"


def _set(key: str, value: str) -> Callable[[Asset, Finding, Roster, date], str]:
    def command(asset: Asset, finding: Finding, roster: Roster, today: date) -> str:
        return f"socialgov set {asset.id} {key}={value.replace('TODAY', today.isoformat())}"

    return command


def _key_in_message(asset: Asset, finding: Finding, roster: Roster, today: date) -> str:
    """Contact and secret findings start with the dotted key at fault."""
    key = finding.message.split(" ", 1)[0]
    if _DOTTED_KEY.fullmatch(key):
        value = "" if finding.rule == "secret-in-registry" else "ADDRESS"
        return f"socialgov set {asset.id} {key}={value}"
    return _whois(asset, finding, roster, today)


def _departed_access(asset: Asset, finding: Finding, roster: Roster, today: date) -> str:
    if "recovery phone" in finding.message:
        return f"socialgov set {asset.id} social.recovery_phone_holder=PERSON"
    remaining = [h for h in asset.access if not roster.is_departed(h)]
    return f"socialgov set {asset.id} access={','.join(remaining)}"


def _unknown_owner(asset: Asset, finding: Finding, roster: Roster, today: date) -> str:
    unknown = [o for o in asset.owners if not roster.knows(o)]
    removes = " ".join(f"--remove {o}" for o in unknown)
    return f"socialgov owners {asset.id} {removes} --add PERSON"


_BY_RULE: dict[str, Callable[[Asset, Finding, Roster, date], str]] = {
    "domain-expired": _whois,
    "domain-expiring": _whois,
    "registrant-mismatch": _whois,
    "transfer-lock-missing": _whois,
    "registration-drift": _whois,
    "registrar-not-approved": _whois,
    "auto-renew-off": _set("domain.auto_renew", "true"),
    "nameserver-mismatch": _set("domain.name_servers", "NS1,NS2"),
    "mfa-missing": _set("social.mfa", "true"),
    "credentials-not-rotated": _set("social.credentials_rotated", "TODAY"),
    "personal-contact": _key_in_message,
    "departed-contact": _key_in_message,
    "secret-in-registry": _key_in_message,
    "departed-access": _departed_access,
    "unknown-owner": _unknown_owner,
    "lookalike-domain": lambda asset, finding, roster, today: (
        f'socialgov waive lookalike-domain {asset.id} --reason "defensive registration"'
        " --approved-by PERSON --until DATE"
    ),
}


def fix_command(finding: Finding, asset: Asset, roster: Roster, today: date) -> str:
    """The command for the digest: the rule's own, else the one its hint names, else `show`."""
    build = _BY_RULE.get(finding.rule)
    if build is not None:
        return build(asset, finding, roster, today)
    if m := _IN_BACKTICKS.search(finding.hint):
        return m.group(1)
    start = finding.hint.find("socialgov ")
    if start >= 0:
        return finding.hint[start:].split(" (", 1)[0].rstrip(" .;")
    return f"socialgov show {asset.id}"
