"""Social platforms as they really are: one table of handle rules and profile URLs.

A row per platform says what a handle may look like there and where its profile lives.
Fediverse handles keep their instance (`brand@mastodon.social`), Bluesky handles are
domain names (`brand.example`, `brand.bsky.social`). A platform not in the table is
accepted with a warning, since new platforms appear faster than releases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from socialgov.registry.schema import did_you_mean

_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"


@dataclass(frozen=True, slots=True)
class Platform:
    name: str
    pattern: str  # a full match of the lower-case handle, without a leading @
    rule: str  # the pattern in words, for error messages
    url: str  # profile URL; {handle} as written, {user} and {instance} for the fediverse
    aliases: tuple[str, ...] = ()
    fediverse: bool = False
    example: str = "brand"

    def matches(self, handle: str) -> bool:
        return re.fullmatch(self.pattern, handle) is not None

    def profile_url(self, handle: str) -> str:
        user, _, instance = handle.partition("@")
        if self.name == "youtube" and re.fullmatch(r"uc[a-z0-9_-]{22}", handle.lower()):
            return f"https://www.youtube.com/channel/{handle}"
        return self.url.format(handle=handle, user=user, instance=instance)


_FEDI_USER = r"[a-z0-9_](?:[a-z0-9_.-]{0,62}[a-z0-9_])?"

PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "x",
        r"[a-z0-9_]{1,15}",
        "1 to 15 letters, digits or underscores",
        "https://x.com/{handle}",
        aliases=("twitter",),
    ),
    Platform(
        "instagram",
        r"(?!.*\.\.)(?!\.)[a-z0-9._]{1,30}(?<!\.)",
        "1 to 30 letters, digits, '.' or '_', not starting or ending with '.', no '..'",
        "https://www.instagram.com/{handle}/",
    ),
    Platform(
        "threads",
        r"(?!.*\.\.)(?!\.)[a-z0-9._]{1,30}(?<!\.)",
        "the Instagram username: 1 to 30 letters, digits, '.' or '_'",
        "https://www.threads.net/@{handle}",
    ),
    Platform(
        "linkedin",
        r"[a-z0-9][a-z0-9-]{1,99}",
        "the company page's public name: letters, digits and '-' (linkedin.com/company/NAME)",
        "https://www.linkedin.com/company/{handle}/",
        example="example-corp",
    ),
    Platform(
        "youtube",
        r"[a-z0-9_.-]{3,30}|uc[a-z0-9_-]{22}",
        "an @handle of 3 to 30 letters, digits, '_', '-' or '.', or a channel id UC + 22 characters",
        "https://www.youtube.com/@{handle}",
    ),
    Platform(
        "tiktok",
        r"[a-z0-9_.]{1,23}[a-z0-9_]",
        "2 to 24 letters, digits, '_' or '.', not ending with '.'",
        "https://www.tiktok.com/@{handle}",
    ),
    Platform(
        "facebook",
        r"[a-z0-9.]{5,50}",
        "at least 5 letters, digits or '.'",
        "https://www.facebook.com/{handle}",
        example="examplecorp",
    ),
    Platform(
        "github",
        r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}",
        "1 to 39 letters, digits or single '-', not at the start or end",
        "https://github.com/{handle}",
    ),
    Platform(
        "bsky",
        _DOMAIN,
        "a domain name: brand.bsky.social or the organisation's own brand.example",
        "https://bsky.app/profile/{handle}",
        aliases=("bluesky",),
        example="brand.example",
    ),
    *(
        Platform(
            name,
            rf"{_FEDI_USER}@{_DOMAIN}",
            "user@instance, e.g. brand@mastodon.social (the instance is part of the account)",
            url,
            fediverse=True,
            example="brand@mastodon.social",
        )
        for name, url in (
            ("mastodon", "https://{instance}/@{user}"),
            ("pixelfed", "https://{instance}/{user}"),
            ("misskey", "https://{instance}/@{user}"),
            ("fediverse", "https://{instance}/@{user}"),
        )
    ),
)

BY_NAME: dict[str, Platform] = {key: p for p in PLATFORMS for key in (p.name, *p.aliases)}


def platform(name: str) -> Platform | None:
    return BY_NAME.get(name.lower())


def check_handle(platform_name: str, handle: str) -> None:
    """Raise ValueError saying what the platform expects when `handle` cannot be one of its handles."""
    known = platform(platform_name)
    if known is None or known.matches(handle.lower().removeprefix("@")):
        return
    raise ValueError(
        f"{handle!r} is not a {known.name} handle: expected {known.rule} "
        f"(e.g. {known.name}/{known.example})"
    )


def profile_url(platform_name: str, handle: str) -> str | None:
    """The canonical profile URL of a handle, or None on a platform not in the table."""
    known = platform(platform_name)
    if known is None or not known.matches(handle.lower().removeprefix("@")):
        return None
    return known.profile_url(handle.removeprefix("@"))


def unknown_platform_note(platform_name: str) -> str | None:
    if platform(platform_name) is not None:
        return None
    suggestion = did_you_mean(platform_name, list(BY_NAME))
    return (
        f"warning: {platform_name!r} is not a platform socialgov knows, so its handle is not "
        "checked and no profile URL is derived"
        + (f"; {suggestion}" if suggestion else "; set url= to record the profile")
    )


def platform_notes(asset_id: Any, data: Mapping[str, Any]) -> Iterator[str]:
    """What to tell the person adding a social account: an unknown platform."""
    social = data.get("social")
    if not isinstance(social, dict):
        return
    note = unknown_platform_note(str(social.get("platform", "")))
    if note is not None:
        yield note
