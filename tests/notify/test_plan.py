"""The pure parts of notify: reminders at thresholds, routing, leave dates, the record's format."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import date
from pathlib import Path

from socialgov.model import Registry, Roster
from socialgov.notify.inputs import gather
from socialgov.notify.plan import Router, notices, plan, updated_record
from socialgov.notify.record import Sent, dump_record, parse_record
from socialgov.registry.load import load_registry
from tests.notify.conftest import make_registry


def with_leaver(registry: Registry, handle: str, day: date) -> Registry:
    person = dataclasses.replace(registry.roster.people[handle], leaving_on=day)
    people = {**registry.roster.people, handle: person}
    return dataclasses.replace(registry, roster=Roster(people=people, teams=registry.roster.teams))


def run_plan(registry: Registry, today: date, record: dict | None = None):  # type: ignore[no-untyped-def]
    inputs = gather(registry, today)
    assert inputs.audit is not None
    settings = registry.settings.notify
    found = notices(registry, inputs.audit, inputs.deadlines, settings, today)
    return plan(registry, found, record or {}, settings, today, channels=False)


def test_a_leaver_whose_holdings_need_a_successor_is_announced_to_their_manager(
    tmp_path: Path,
) -> None:
    registry = load_registry(make_registry(tmp_path / "reg", "smtp://127.0.0.1:25"))
    registry = with_leaver(registry, "alice", date(2026, 11, 10))
    today = date(2026, 11, 1)
    planned = run_plan(registry, today)
    carol = next(d for d in planned.digests if d.recipient.handle == "carol")
    leave = [i for i in carol.items if i.notice.kind == "leave"]
    assert [i.notice.message for i in leave] == [
        "alice leaves and still holds 1 asset on 2026-11-10, in 9 days (domain:example.com)"
    ]
    assert leave[0].notice.level == "14"
    assert leave[0].notice.command == (
        "socialgov offboard alice --to PERSON --on 2026-11-10 --branch offboard-alice"
    )
    # at 7 days the next threshold is due, and only that
    sent = updated_record({}, planned, {d.key for d in planned.digests}, today)
    later = run_plan(registry, date(2026, 11, 3), sent)
    carol = next(d for d in later.digests if d.recipient.handle == "carol")
    assert [(i.notice.kind, i.notice.level) for i in carol.items] == [("leave", "7")]


def test_routing(tmp_path: Path) -> None:
    registry = load_registry(make_registry(tmp_path / "reg", "smtp://127.0.0.1:25"))
    router = Router(registry.roster, "carol")
    assert router.accountable("team:web").to == ("dave", "erin")
    assert router.accountable("bob").to == ("carol",)
    assert router.accountable("bob").via == "manager of bob (departed)"
    assert router.accountable("zed").to == ("carol",)
    assert router.accountable("zed").via == "fallback (unknown owner zed)"
    assert Router(registry.roster, None).accountable("zed").to == ()
    domain = next(a for a in registry.assets.values() if a.name == "example.com")
    assert router.asset(domain) == router.asset(domain)
    assert router.asset(domain).backups == ("dave",)
    # a chain of managers who left: the first active one above
    people = dict(registry.roster.people)
    people["carol"] = dataclasses.replace(people["carol"], manager="henry")
    people["dave"] = dataclasses.replace(people["dave"], manager="bob")
    people["bob"] = dataclasses.replace(people["bob"], manager="carol")
    people["henry"] = dataclasses.replace(people["carol"], handle="henry", manager="dave")
    roster = Roster(people=people, teams=registry.roster.teams)
    assert Router(roster, None).manager_of("dave") == "carol"


def test_the_record_round_trips_and_reads_as_toml() -> None:
    record = {
        "alice": {
            "finding:0123": Sent(
                "domain:example.com", "high", date(2026, 11, 1), date(2026, 11, 8)
            ),
            'odd "key"\x7f': Sent(
                "person:bob", "7", date(2026, 11, 1), date(2026, 11, 1), date(2026, 11, 8)
            ),
        },
        "webhook:slack:SOCIALGOV_X": {},
    }
    raw = dump_record(record)
    assert parse_record(raw) == {"alice": record["alice"]}
    text = raw.decode()
    assert '[sent."alice"]' in text
    assert 'level = "high", first = 2026-11-01, last = 2026-11-08 }' in text
    assert tomllib.loads(text)["sent"]["alice"]["finding:0123"]["about"] == "domain:example.com"


def test_the_html_part_is_autoescaped(tmp_path: Path) -> None:
    from socialgov.model import Severity
    from socialgov.notify.plan import Digest, Item, Notice
    from socialgov.notify.render import render_digest

    registry = load_registry(make_registry(tmp_path / "reg", "smtp://127.0.0.1:25"))
    notice = Notice(
        key="finding:1",
        level="high",
        severity=Severity.HIGH,
        kind="finding",
        topic="unknown-owner",
        about="domain:example.com",
        message="owner '<script>alert(1)</script>' is unknown",
        hint="fix it & move on",
        command="socialgov owners domain:example.com --remove x --add PERSON",
    )
    digest = Digest(recipient=registry.roster.people["alice"], items=(Item(notice, "new"),))
    rendered = render_digest(digest, registry, {"finding:1": date(2026, 11, 1)}, date(2026, 11, 1))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<script>" not in rendered.html
    assert "fix it &amp; move on" in rendered.html
    assert "owner '<script>alert(1)</script>' is unknown" in rendered.text


def test_channel_payloads_follow_the_services_formats(tmp_path: Path) -> None:
    import json

    from socialgov.model import Severity
    from socialgov.notify.plan import ChannelMessage, Item, Notice
    from socialgov.notify.settings import Webhook
    from socialgov.notify.webhooks import PAYLOADS

    items = tuple(
        Item(
            Notice(
                key=f"finding:{n}",
                level="high",
                severity=Severity.HIGH,
                kind="finding",
                topic="mfa-missing",
                about=f"social:x/account{n}",
                message=f"social:x/account{n} has no MFA <b>",
                hint="turn it on",
                command=f"socialgov set social:x/account{n} social.mfa=true",
            ),
            "new",
        )
        for n in range(30)
    )
    message = ChannelMessage(Webhook("slack", "SOCIALGOV_X", ("Marketing",)), items)
    slack = PAYLOADS["slack"](message, "Example Corp", date(2026, 11, 1))
    assert slack["text"] == "socialgov: 30 new findings and 0 reminders for Marketing"
    assert [b["type"] for b in slack["blocks"]][:2] == ["header", "section"]
    sections = [b["text"]["text"] for b in slack["blocks"] if b["type"] == "section"]
    assert "has no MFA &lt;b&gt;" in sections[0]  # Slack's three escapes
    assert sections[-1].endswith("… and 5 more: `socialgov audit`")
    assert all(len(text) <= 3000 for text in sections)
    teams = PAYLOADS["teams"](message, "Example Corp", date(2026, 11, 1))
    card = teams["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard" and card["content"]["version"] == "1.4"
    assert card["content"]["body"][0]["text"] == slack["text"]
    plain = PAYLOADS["json"](message, "Example Corp", date(2026, 11, 1))
    assert len(plain["notices"]) == 30 and plain["departments"] == ["Marketing"]
    for payload in (slack, teams, plain):
        json.dumps(payload)
