"""Helpers shared by several rules: how people and organisation names are compared and shown."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from socialgov.model import Asset, Kind, Person

if TYPE_CHECKING:
    from socialgov.policy.rule import RuleContext

_NON_WORD = re.compile(r"[^\w]+")
_LEGAL_FORMS = frozenset(
    {
        *("inc", "incorporated", "corp", "corporation", "co", "company", "llc", "ltd", "limited"),
        *("gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "pty", "lp", "llp", "oy", "ab"),
    }
)


def normalise_org(name: str) -> str:
    """`Example Corp.` and `EXAMPLE, Inc` compare equal: case, punctuation and legal form ignored."""
    words = _NON_WORD.sub(" ", name.casefold()).split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def observed_registrant_email(asset: Asset, ctx: RuleContext) -> str | None:
    """The registrant e-mail of a domain's latest observation, if one was observed."""
    if asset.kind is not Kind.DOMAIN:
        return None
    observation = ctx.observation(asset)
    return observation.registrant_email if observation else None


OBSERVED_KEYS = ("contacts.registrant_email", "contacts", "domain")


def describe(person: Person) -> str:
    if person.departed_on is not None:
        return f"{person.handle} (departed {person.departed_on.isoformat()})"
    return f"{person.handle} (departed)"
