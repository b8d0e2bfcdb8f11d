"""The webhook adapter: one message per run and channel, in the channel's documented format.

- slack: an incoming-webhook message, `text` plus Block Kit `blocks` with mrkdwn sections
  (https://api.slack.com/messaging/webhooks).
- teams: a Teams Workflows ("Post to a channel when a webhook request is received") message
  carrying an Adaptive Card (https://learn.microsoft.com/microsoftteams/platform/
  task-modules-and-cards/cards/cards-reference#adaptive-card).
- json: socialgov's own shape, for scripts: {"source", "organization", "date", "title",
  "notices": [...]}.

apprise was weighed for Slack and Teams and not used: its Slack plugin posts only to the
fixed hooks.slack.com and slack.com hosts and its Teams (Workflows) plugin only over https
to Microsoft's hosts or its own URL grammar, so neither can be pointed at a receiver on
127.0.0.1 for a real test, nor at a relay; and it reports a failed post as False with the
reason only in its log. httpx is already socialgov's HTTP client.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from socialgov.notify.plan import ChannelMessage
from socialgov.notify.render import channel_lines
from socialgov.notify.smtp import DeliveryFailed


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(message: ChannelMessage, org: str, today: date) -> dict[str, Any]:
    title, shown, more = channel_lines(message)
    lines = [
        f"*{_slack_escape(i.notice.severity.value)}* `{_slack_escape(i.notice.about)}` "
        f"{_slack_escape(i.notice.message)}\n`{_slack_escape(i.notice.command)}`"
        for i in shown
    ]
    if more:
        lines.append(f"… and {more} more: `socialgov audit`")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}}
    ]
    # A section's text holds at most 3,000 characters: a few items per section.
    for start in range(0, len(lines), 5):
        text = "\n\n".join(lines[start : start + 5])[:3000]
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"{_slack_escape(org)}, {today.isoformat()}"}],
        }
    )
    return {"text": title, "blocks": blocks}


def teams(message: ChannelMessage, org: str, today: date) -> dict[str, Any]:
    title, shown, more = channel_lines(message)
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "text": title, "wrap": True},
        {"type": "TextBlock", "text": f"{org}, {today.isoformat()}", "isSubtle": True},
    ]
    for item in shown:
        n = item.notice
        body.append(
            {
                "type": "TextBlock",
                "text": f"**{n.severity.value}** {n.about}: {n.message}",
                "wrap": True,
                "separator": True,
            }
        )
        body.append({"type": "TextBlock", "text": n.command, "fontType": "Monospace", "wrap": True})
    if more:
        body.append({"type": "TextBlock", "text": f"… and {more} more: socialgov audit"})
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def plain_json(message: ChannelMessage, org: str, today: date) -> dict[str, Any]:
    title, _, _ = channel_lines(message)
    return {
        "source": "socialgov",
        "organization": org,
        "date": today.isoformat(),
        "title": title,
        "departments": list(message.webhook.departments),
        "notices": [i.to_json() for i in message.items],
    }


PAYLOADS: dict[str, Callable[[ChannelMessage, str, date], dict[str, Any]]] = {
    "slack": slack,
    "teams": teams,
    "json": plain_json,
}


def post(url: str, payload: dict[str, Any], timeout: float) -> None:
    """POST the payload as JSON; anything but a 2xx answer is a DeliveryFailed."""
    import httpx

    if not url.lower().startswith(("https://", "http://")):
        raise DeliveryFailed("the webhook URL is not an http(s) URL")
    try:
        response = httpx.post(url, json=payload, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        # Not str(exc): some httpx errors quote the URL, and a webhook URL is a credential.
        cause = exc.__cause__ or exc.__context__
        detail = getattr(cause, "strerror", None) or type(cause or exc).__name__
        raise DeliveryFailed(f"POST failed: {type(exc).__name__} ({detail})") from None
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(f"the webhook answered HTTP {response.status_code}")
