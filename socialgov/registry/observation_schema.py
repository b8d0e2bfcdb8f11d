"""The schema of observations/<domain>.toml: each known key's type, checked with its line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from socialgov.errors import InputError
from socialgov.model import SourceText
from socialgov.registry.schema import FieldType

_STRING = FieldType("string")
_BOOL = FieldType("bool")
_DATE = FieldType("date")
_STRINGS = FieldType("list of strings")
OBSERVATION: dict[str, FieldType] = {
    "domain": _STRING,
    "registered": _BOOL,
    "source": _STRING,
    "server": _STRING,
    "registrar": _STRING,
    "registrant_org": _STRING,
    "registrant_redacted": _BOOL,
    "registrant_email": _STRING,
    "created": _DATE,
    "expires": _DATE,
    "updated": _DATE,
    "name_servers": _STRINGS,
    "statuses": _STRINGS,
    "error": _STRING,
}


def check_observation(data: dict[str, Any], rel: str, source: SourceText) -> None:
    """Refuse a value of the wrong type at its line; keys socialgov does not know are kept."""
    if "domain" not in data:
        raise InputError('an observation needs domain = "..."', file=rel, line=1)
    for key, field_type in OBSERVATION.items():
        if key in data and not field_type.accepts(data[key]):
            raise InputError(
                f"{key}: expected {field_type.describe()}",
                file=rel,
                line=source.line_of(key),
            )
    fetched = data.get("fetched_at")
    if fetched is not None and not isinstance(fetched, datetime | str):
        raise InputError(
            "fetched_at: expected a date-time like 2026-06-01T12:00:00Z",
            file=rel,
            line=source.line_of("fetched_at"),
        )
