"""The sent record, `notifications/sent.toml`: what was sent to whom, committed with the
registry so that a rerun from any clone sends nothing twice.

One table per recipient (a handle, or `webhook:KIND:ENV` for a channel), one line per
notice: `"KEY" = { about = "...", level = "...", first = DATE, last = DATE, escalated = DATE }`.
`first` is the day the notice was first sent (escalation counts from it), `last` the day
it was last sent, `level` the severity of a finding or the threshold (days) of a reminder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import tomli

from socialgov.errors import InputError

RECORD_FILE = "notifications/sent.toml"

HEADER = """\
# What `socialgov notify` has sent, so that a rerun from any clone sends nothing twice.
# Written by socialgov: one table per recipient, one line per notice (see docs/notify.md).
# Delete a line to have that notice sent again on the next run.
"""


@dataclass(frozen=True, slots=True)
class Sent:
    about: str  # the asset id, or person:HANDLE
    level: str
    first: date
    last: date
    escalated: date | None = None


Record = dict[str, dict[str, Sent]]  # recipient -> notice key -> what was sent


def parse_record(raw: bytes | None) -> Record:
    if raw is None:
        return {}
    try:
        data = tomli.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError) as exc:
        raise InputError(
            f"cannot read the sent record: {exc}",
            file=RECORD_FILE,
            hint="restore it from git (git checkout -- notifications/sent.toml)",
        ) from None
    sent = data.get("sent", {})
    if not isinstance(sent, dict):
        raise InputError("[sent] must be a table of recipients", file=RECORD_FILE, line=1)
    record: Record = {}
    for recipient, notices in sent.items():
        if not isinstance(notices, dict):
            raise InputError(f"[sent.{recipient}] must be a table", file=RECORD_FILE)
        record[recipient] = {key: _entry(recipient, key, v) for key, v in notices.items()}
    return record


def _entry(recipient: str, key: str, value: Any) -> Sent:
    try:
        escalated = value.get("escalated")
        entry = Sent(
            about=str(value["about"]),
            level=str(value["level"]),
            first=value["first"],
            last=value["last"],
            escalated=escalated,
        )
        if not all(isinstance(d, date) for d in (entry.first, entry.last)) or not (
            escalated is None or isinstance(escalated, date)
        ):
            raise TypeError("dates expected")
    except (AttributeError, KeyError, TypeError):
        raise InputError(
            f"sent.{recipient}.{key!r}: expected {{ about, level, first, last[, escalated] }}",
            file=RECORD_FILE,
        ) from None
    return entry


def dump_record(record: Mapping[str, Mapping[str, Sent]]) -> bytes:
    """One line per notice, sorted, so that the commit's diff reads as what was sent."""
    parts = [HEADER]
    for recipient in sorted(record):
        notices = record[recipient]
        if not notices:
            continue
        parts.append(f"\n[sent.{_quote(recipient)}]\n")
        for key in sorted(notices):
            s = notices[key]
            fields = [
                f"about = {_quote(s.about)}",
                f"level = {_quote(s.level)}",
                f"first = {s.first.isoformat()}",
                f"last = {s.last.isoformat()}",
            ]
            if s.escalated is not None:
                fields.append(f"escalated = {s.escalated.isoformat()}")
            parts.append(f"{_quote(key)} = {{ {', '.join(fields)} }}\n")
    return "".join(parts).encode("utf-8")


def _quote(text: str) -> str:
    # A TOML basic string: JSON's escapes are TOML's, and DEL is the one extra control character.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
