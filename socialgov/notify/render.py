"""A digest as people read it: subject, plain text and HTML (Jinja2 templates, autoescaped),
and the one message per run that a webhook channel gets."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from socialgov.model import AssetId, Registry
from socialgov.notify.plan import ChannelMessage, Digest, Item
from socialgov.words import plural

if TYPE_CHECKING:
    import jinja2

COLOURS = {
    "critical": "#a40e26",
    "high": "#cf222e",
    "medium": "#9a6700",
    "low": "#0969da",
    "info": "#59636e",
}
CHANNEL_ITEMS = 25  # a chat message is a summary: the rest is one line saying how many more


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("socialgov.notify", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = plural  # {{ n|plural('day') }}: "1 day", "7 days"
    return env


def _count(items: tuple[Item, ...]) -> tuple[int, int]:
    reminders = sum(1 for i in items if i.notice.is_reminder)
    return len(items) - reminders, reminders


def subject(digest: Digest, org: str) -> str:
    findings, reminders = _count(digest.items)
    parts = []
    if findings:
        parts.append(plural(findings, "finding"))
    if reminders:
        parts.append(plural(reminders, "reminder"))
    escalated = "escalated: " if digest.escalated else ""
    assets = len(digest.groups())
    return f"[socialgov] {escalated}{' and '.join(parts)} on {assets} of your assets ({org})"


def render_digest(
    digest: Digest, registry: Registry, first_sent: Mapping[str, date], today: date
) -> Rendered:
    org = registry.settings.org_name
    person = digest.recipient
    findings, reminders = _count(digest.items)
    owners: dict[str, str] = {}
    for about, _ in digest.groups():
        if not about.startswith("person:"):
            asset = registry.assets.get(AssetId.parse(about))
            owners[about] = ", ".join(asset.owners) if asset else ""
    context: dict[str, Any] = {
        "subject": subject(digest, org),
        "greeting": f"Hello {person.name.split()[0] if person.name.strip() else person.handle},",
        "intro": f"as of {today.isoformat()}, {plural(findings, 'finding')} and {plural(reminders, 'reminder')} "
        f"need someone who can act, on the assets or people you are accountable for ({len(owners) or len(digest.groups())}). Each comes with the command that settles it.",
        "groups": digest.groups(),
        "owners": owners,
        "first": {k: v.isoformat() for k, v in first_sent.items()},
        "still_open": digest.still_open,
        "handle": person.handle,
        "org": org,
        "via": "; ".join(v for v in digest.via if v != "owner"),
        "escalate_after": registry.settings.notify.escalate_after_days,
        "colours": COLOURS,
    }
    env = _environment()
    return Rendered(
        subject=context["subject"],
        text=env.get_template("digest.txt").render(context),
        html=env.get_template("digest.html").render(context),
    )


def channel_lines(message: ChannelMessage) -> tuple[str, list[Item], int]:
    items = list(message.items)
    shown = items[:CHANNEL_ITEMS]
    findings, reminders = _count(message.items)
    title = f"socialgov: {plural(findings, 'new finding')} and {plural(reminders, 'reminder')}"
    if message.webhook.departments:
        title += f" for {', '.join(message.webhook.departments)}"
    return title, shown, len(items) - len(shown)
