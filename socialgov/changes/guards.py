"""Checks every changing command runs before it writes: the changes that would hurt the registry.

Each raises UsageError (exit 2) with one paragraph saying why; nothing has been written then.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from socialgov.errors import InputError, UsageError
from socialgov.model import TEAM_PREFIX, AssetStatus, Person, Registry, Roster
from socialgov.registry.schema import did_you_mean


def canonical_owner(text: str) -> str:
    """Handles and team names are lower case; `Alice` and `TEAM:Web` name `alice` and `team:web`."""
    text = text.strip()
    if text.lower().startswith(TEAM_PREFIX):
        return TEAM_PREFIX + text[len(TEAM_PREFIX) :].lower()
    return text.lower()


def leaving_on(person: Person) -> date | None:
    """`leaving_on` where the roster has it (read defensively: older rosters have no such key)."""
    value = getattr(person, "leaving_on", None)
    return value if isinstance(value, date) else None


def gone(person: Person, today: date) -> str | None:
    """Why the person can no longer hold anything, or None while they can."""
    if person.departed:
        return "departed" + (f" on {person.departed_on.isoformat()}" if person.departed_on else "")
    leaving = leaving_on(person)
    if leaving is not None and leaving <= today:
        return f"left on {leaving.isoformat()} (leaving_on)"
    return None


def check_people(
    registry: Registry,
    handles: Iterable[str],
    what: str = "owner",
    *,
    today: date | None = None,
) -> None:
    """Every handle names a person or team of the roster and, with `today`, no one who has left."""
    roster = registry.roster
    for owner in handles:
        if not roster.knows(owner):
            known = list(roster.people) + [f"team:{t}" for t in roster.teams]
            raise UsageError(
                f"unknown {what} {owner!r}: neither a person nor a team of the roster",
                hint=did_you_mean(owner, known) or "add them with `socialgov people add`",
            )
        person = roster.people.get(owner)
        if today is None or person is None:
            continue
        reason = gone(person, today)
        if reason is not None:
            raise UsageError(
                f"{owner} has {reason} and cannot be made {_article(what)}; nothing changed",
                hint=_active_suggestion(roster, owner, today),
            )


def _article(what: str) -> str:
    return (
        what
        if what.startswith(("a ", "an ", "the "))
        else f"an {what}"
        if what[0] in "aeiou"
        else f"a {what}"
    )


def _active_suggestion(roster: Roster, handle: str, today: date) -> str:
    person = roster.people[handle]
    manager = roster.people.get(person.manager or "")
    if manager is not None and gone(manager, today) is None:
        return f"their manager is {manager.handle}; or name another active person"
    return "name an active person (see `socialgov people list --status active`)"


def added(before: Sequence[str], after: Sequence[str]) -> list[str]:
    return [h for h in after if h not in before]


def check_not_orphaning(
    registry: Registry,
    asset_data: dict[str, Any],
    before: Sequence[str],
    after: Sequence[str],
    asset_label: str,
    *,
    allow_orphan: bool,
) -> bool:
    """Refuse to take the last active owner off an active asset; True when it is orphaned anyway."""
    if asset_data.get("status", AssetStatus.ACTIVE.value) != AssetStatus.ACTIVE.value:
        return False
    roster = registry.roster
    had = [o for o in before if roster.is_active_owner(o)]
    has = [o for o in after if roster.is_active_owner(o)]
    if not had or has:
        return False
    if allow_orphan:
        return True
    raise UsageError(
        f"this would remove the last active owner of {asset_label} "
        f"({', '.join(had)}), leaving it orphaned; nothing changed",
        hint="add another owner first (`socialgov owners ID --add P`), "
        "or pass --allow-orphan if that is really meant",
    )


def check_review_date(value: Any, today: date, key: str = "last_reviewed") -> None:
    if isinstance(value, date) and value > today:
        raise UsageError(
            f"{key} = {value.isoformat()} is in the future (today is {today.isoformat()}); "
            "a review can only be recorded once it happened; nothing changed"
        )


@contextlib.contextmanager
def roster_stays_valid(verb: str = "change") -> Iterator[None]:
    """An error found checking the people.toml a change would write refuses the change."""
    from socialgov.registry import paths

    try:
        yield
    except InputError as exc:
        raise UsageError(
            f"the {verb} would make {paths.PEOPLE_FILE} invalid: {exc.detail}"
        ) from None


def check_roster_text(raw: bytes) -> None:
    """Load the roster as a change would write it, so that no change leaves it invalid."""
    from socialgov.registry.load import parse_roster

    with roster_stays_valid():
        parse_roster(raw)
