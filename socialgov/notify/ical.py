"""The deadlines as an iCalendar feed (RFC 5545), written with the icalendar library.

Each event's UID comes from the deadline's key, which holds no date: when a domain is
renewed or a waiver extended, calendar clients move the event instead of adding another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from socialgov import __version__
from socialgov.notify.deadlines import Deadline

_UID_DOMAIN = "socialgov.invalid"


def uid(deadline: Deadline, org: str) -> str:
    digest = hashlib.sha256(f"{org}\x1f{deadline.key}".encode()).hexdigest()[:24]
    return f"{deadline.kind.value}-{digest}@{_UID_DOMAIN}"


def calendar(deadlines: Sequence[Deadline], *, org: str, today: date) -> bytes:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//socialgov//socialgov {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{org}: domains, certificates, waivers, reviews and leave dates")
    # DTSTAMP from --today, not the clock: the same registry gives the same feed.
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    for deadline in deadlines:
        event = icalendar.Event()
        event.add("uid", uid(deadline, org))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + timedelta(days=1))
        event.add("summary", f"{deadline.title}")
        description = [deadline.detail] if deadline.detail else []
        description.append(deadline.command)
        event.add("description", "\n".join(description))
        event.add("categories", [deadline.kind.value])
        event.add("transp", "TRANSPARENT")
        if deadline.asset is not None:
            event.add("x-socialgov-asset", str(deadline.asset))
        if deadline.person is not None:
            event.add("x-socialgov-person", deadline.person)
        cal.add_component(event)
    return cal.to_ical()
