"""`socialgov calendar` (parsed back with icalendar, stable UIDs) and `socialgov expiring`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import icalendar

from tests.notify.conftest import git, make_registry, run_cli

TODAY = "2026-11-01"


def events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_calendar_parses_and_its_uids_are_stable(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", "smtp://127.0.0.1:25", webhooks=False)
    waivers = root / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nrule = "mfa-missing"\nasset = "social:x/examplecorp"\n'
        'reason = "agency login"\napproved_by = "carol"\nexpires = 2026-12-31\n'
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "waiver")
    first = run_cli(root, "--today", TODAY, "calendar")
    assert first.code == 0, first.stderr
    out = tmp_path / "feed.ics"
    second = run_cli(root, "--today", TODAY, "calendar", "--output", str(out))
    assert second.code == 0 and out.read_bytes() == first.stdout.encode()  # byte-stable
    found = events(first.stdout.encode())
    summaries = {str(e["SUMMARY"]): e for e in found.values()}
    assert set(summaries) == {
        "example.com expires",
        "the waiver of mfa-missing on social:x/examplecorp ends",
        "the review of domain:example.com falls due",
        "the review of blog:eng-blog falls due",
        "the review of social:x/examplecorp falls due",
    }
    domain = summaries["example.com expires"]
    assert domain.decoded("DTSTART").isoformat() == "2026-12-05"
    assert "socialgov whois example.com --record" in str(domain["DESCRIPTION"])
    # renewed: the same event moves, it is not duplicated
    path = root / "assets/domains/example.com.toml"
    path.write_text(path.read_text().replace("2026-12-05", "2027-12-05"))
    moved = events(run_cli(root, "--today", TODAY, "calendar").stdout.encode())
    assert set(moved) == set(found)
    uid = next(u for u, e in found.items() if str(e["SUMMARY"]) == "example.com expires")
    assert moved[uid].decoded("DTSTART").isoformat() == "2027-12-05"


def test_calendar_for_one_person(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", "smtp://127.0.0.1:25", webhooks=False)
    result = run_cli(root, "--today", TODAY, "calendar", "--person", "dave")
    assert result.code == 0, result.stderr
    # dave is a backup owner of the domain and in team:web, which owns the x account
    assert sorted(str(e["SUMMARY"]) for e in events(result.stdout.encode()).values()) == [
        "example.com expires",
        "the review of domain:example.com falls due",
        "the review of social:x/examplecorp falls due",
    ]
    bad = run_cli(root, "calendar", "--person", "zed")
    assert bad.code == 2 and "no person 'zed' in the roster" in bad.stderr


def test_expiring_soonest_first_within_days(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", "smtp://127.0.0.1:25", webhooks=False)
    social = root / "assets/social/x/examplecorp.toml"
    text = social.read_text().replace(
        "2026-10-01\n\n[social]", '2026-10-01\naccess = ["bob"]\n\n[social]'
    )
    social.write_text(
        text.replace("credentials_rotated = 2026-10-01", "credentials_rotated = 2026-09-01")
    )
    web = root / "observations/web/blog-eng-blog.toml"
    web.parent.mkdir(parents=True)
    web.write_text(
        'asset = "blog:eng-blog"\nurl = "https://blog.example.com/"\n'
        '[tls]\nissuer = "Example CA"\nnot_before = 2026-08-22T12:00:00Z\n'
        "not_after = 2026-11-20T12:00:00Z\n"
    )
    result = run_cli(root, "--today", TODAY, "expiring", "--within", "60", "--format", "json")
    assert result.code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["kind"], r["date"], r["days"]) for r in rows] == [
        ("credentials", "2026-09-30", -32),  # bob left with access; never rotated since
        ("certificate", "2026-11-20", 19),
        ("domain", "2026-12-05", 34),
    ]
    assert rows[0]["command"] == (
        "socialgov set social:x/examplecorp social.credentials_rotated=DATE"
    )
    assert rows[1]["asset"] == "blog:eng-blog" and "blog.example.com" in rows[1]["what"]
    every = json.loads(run_cli(root, "--today", TODAY, "expiring", "--format", "json").stdout)
    # the reviews fall due on 2027-03-30, beyond the default 90 days
    assert [r["kind"] for r in every] == ["credentials", "certificate", "domain"]
    table = run_cli(root, "--today", TODAY, "expiring", "--within", "400")
    assert "the review of blog:eng-blog falls due" in table.stdout
    assert "32 d ago" in table.stdout
    text = run_cli(root, "--today", TODAY, "expiring", "--format", "csv").stdout
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert parsed[0]["kind"] == "credentials" and list(parsed[0])[:3] == ["date", "days", "kind"]
