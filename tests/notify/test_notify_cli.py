"""`socialgov notify` against a real SMTP server and webhook receiver on 127.0.0.1: digests
to the right people, sent once (also from a fresh clone), new thresholds, escalation, and
failed deliveries that are not recorded."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.conftest import Socialgov, commit_count
from tests.notify.conftest import git, make_registry, run_cli
from tests.notify.servers import SmtpServer, WebhookServer, free_port

DAY0 = "2026-11-01"


def notify(root: Path, today: str, *args: str) -> tuple[int, dict, str]:
    result = run_cli(root, "--today", today, "notify", "--format", "json", *args)
    data = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.code, data, result.stderr


def by_recipient(server: SmtpServer) -> dict[str, list]:
    out: dict[str, list] = {}
    for received in server.inbox.take():
        out.setdefault(received.to, []).append(received)
    return out


def record(root: Path) -> dict:
    return tomllib.loads((root / "notifications/sent.toml").read_text(encoding="utf-8"))["sent"]


def test_digests_go_to_the_accountable_people_once(
    reg: Path, inbox: SmtpServer, hooks: WebhookServer, tmp_path: Path
) -> None:
    commits = commit_count(reg)
    code, data, err = notify(reg, DAY0)
    assert code == 0, err
    mail = by_recipient(inbox)
    # alice owns the domain; bob left, so carol (his manager) gets the blog; team:web's members
    assert sorted(mail) == [
        "Alice Example <alice@example.com>",
        "Carol Boss <carol@example.com>",
        "Dave Ops <dave@example.com>",
        "Erin Sørensen <erin@example.com>",
    ]
    assert all(len(m) == 1 for m in mail.values())
    carol = mail["Carol Boss <carol@example.com>"][0]
    assert carol.cc == ""
    assert carol.subject == "[socialgov] 2 findings on 1 of your assets (Example Corp)"
    text, html = carol.part("plain"), carol.part("html")
    assert "bob (departed 2026-09-30) is still an owner of blog:eng-blog" in text
    assert "$ socialgov offboard bob --to PERSON" in text
    assert "$ socialgov owners blog:eng-blog --add PERSON" in text
    assert "<code" in html and "socialgov offboard bob --to PERSON" in html
    assert "manager of bob (departed)" in text
    alice = mail["Alice Example <alice@example.com>"][0]
    assert "example.com expires on 2026-12-05, in 34 days" in alice.part("plain")
    assert "$ socialgov whois example.com --record" in alice.part("plain")
    assert "[socialgov] 1 reminder on 1 of your assets" in alice.subject
    dave = mail["Dave Ops <dave@example.com>"][0]
    assert "$ socialgov set social:x/examplecorp social.mfa=true" in dave.part("plain")

    posts = dict(hooks.take())
    assert set(posts) == {"/slack", "/json"}
    assert posts["/slack"]["blocks"][0]["type"] == "header"
    assert "socialgov: 3 new findings and 1 reminder" in posts["/slack"]["text"]
    # the json channel covers Marketing only: the domain's reminder
    assert [n["about"] for n in posts["/json"]["notices"]] == ["domain:example.com"]

    # one commit holding only the record
    assert commit_count(reg) == commits + 1
    assert git(reg, "show", "--name-only", "--format=%s", "HEAD").split() == [
        *f"notify: 4 digests sent to alice, carol, dave, erin, 2 webhook messages ({DAY0})".split(),
        "notifications/sent.toml",
    ]
    sent = record(reg)
    assert set(sent) == {
        "alice",
        "carol",
        "dave",
        "erin",
        "webhook:json:SOCIALGOV_TEST_JSON",
        "webhook:slack:SOCIALGOV_TEST_SLACK",
    }
    assert {v["level"] for v in sent["carol"].values()} == {"high"}
    assert [v["level"] for v in sent["alice"].values()] == ["60"]
    assert data["commit"] == git(reg, "rev-parse", "HEAD").strip()

    # a rerun, and a rerun from a fresh clone, send nothing and commit nothing
    code, data, err = notify(reg, DAY0)
    assert (code, data["digests"], data["webhooks"]) == (0, [], []), err
    assert "nothing sent, nothing recorded" in err
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(reg), str(clone))
    code, data, err = notify(clone, DAY0)
    assert (code, data["digests"]) == (0, []), err
    assert commit_count(clone) == commits + 1
    assert inbox.inbox.take() == [] and hooks.take() == []

    # four days on, from the clone: the 30-day threshold is reached, nothing else is due
    code, data, err = notify(clone, "2026-11-05")
    assert code == 0, err
    mail = by_recipient(inbox)
    assert list(mail) == ["Alice Example <alice@example.com>"]
    reminder = mail["Alice Example <alice@example.com>"][0]
    assert "in 30 days" in reminder.part("plain") and reminder.cc == ""
    assert [i["why"] for i in data["digests"][0]["items"]] == ["reminder"]
    assert [p for p, _ in hooks.take()] == ["/slack", "/json"]

    # seven days after the first digest, unresolved: backups and the manager are copied
    code, data, err = notify(clone, "2026-11-08")
    assert code == 0, err
    mail = by_recipient(inbox)
    assert sorted(mail) == [
        "Alice Example <alice@example.com>",
        "Carol Boss <carol@example.com>",
        "Dave Ops <dave@example.com>",
        "Erin Sørensen <erin@example.com>",
    ]
    alice = mail["Alice Example <alice@example.com>"][0]
    assert alice.cc == "Dave Ops <dave@example.com>, Carol Boss <carol@example.com>"
    assert alice.subject.startswith("[socialgov] escalated: ")
    assert "ESCALATED: unresolved since 2026-11-01" in alice.part("plain")
    assert mail["Dave Ops <dave@example.com>"][0].cc == "Carol Boss <carol@example.com>"
    assert mail["Carol Boss <carol@example.com>"][0].cc == ""  # carol has no manager
    assert hooks.take() == []  # channels are not escalated
    assert all(v.get("escalated") for v in record(clone)["alice"].values())
    # escalation happens once
    code, data, _ = notify(clone, "2026-11-09")
    assert (code, data["digests"]) == (0, [])


def test_a_fixed_finding_is_forgotten_and_a_changed_one_is_sent_again(
    reg: Path, inbox: SmtpServer
) -> None:
    assert notify(reg, DAY0)[0] == 0
    inbox.inbox.take()
    # mfa turned on: dave's and erin's finding is resolved
    path = reg / "assets/social/x/examplecorp.toml"
    path.write_text(path.read_text().replace("mfa = false", "mfa = true"))
    git(reg, "commit", "-qam", "mfa on")
    # the domain's reminder crosses 30 days: the record is rewritten without the mfa notices
    code, _, err = notify(reg, "2026-11-05")
    assert code == 0, err
    assert [m.to for m in inbox.inbox.take()] == ["Alice Example <alice@example.com>"]
    assert "dave" not in record(reg) and "erin" not in record(reg)
    # mfa off again: a new finding for them
    path.write_text(path.read_text().replace("mfa = true", "mfa = false"))
    git(reg, "commit", "-qam", "mfa off")
    code, _, err = notify(reg, "2026-11-06")
    assert code == 0, err
    assert sorted(m.to for m in inbox.inbox.take()) == [
        "Dave Ops <dave@example.com>",
        "Erin Sørensen <erin@example.com>",
    ]


def test_smtp_down_exits_3_records_nothing_then_sends_everything_once(tmp_path: Path) -> None:
    port = free_port()
    root = make_registry(tmp_path / "reg", f"smtp://127.0.0.1:{port}", webhooks=False)
    commits = commit_count(root)
    code, data, err = notify(root, DAY0, "--to", "carol")
    assert code == 3
    assert "not delivered to carol (carol@example.com): cannot reach smtp://127.0.0.1:" in err
    code, data, err = notify(root, DAY0)
    assert code == 3
    for handle in ("alice", "carol", "dave", "erin"):
        assert f"not delivered to {handle} " in err
    assert {d["status"] for d in data["digests"]} == {"failed"}
    assert commit_count(root) == commits
    assert not (root / "notifications/sent.toml").exists()

    server = SmtpServer(port=port)
    try:
        code, data, err = notify(root, DAY0)
        assert code == 0, err
        assert len(server.inbox.take()) == 4
        assert commit_count(root) == commits + 1
        code, data, err = notify(root, DAY0)
        assert (code, data["digests"]) == (0, [])
        assert server.inbox.take() == []
    finally:
        server.stop()


def test_a_failed_webhook_is_retried_and_mail_still_goes(
    reg: Path, inbox: SmtpServer, hooks: WebhookServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALGOV_TEST_SLACK", hooks.url("/fail"))
    code, _, err = notify(reg, DAY0)
    assert code == 3
    assert (
        "not delivered to webhook:slack:SOCIALGOV_TEST_SLACK (SOCIALGOV_TEST_SLACK): the webhook answered HTTP 500"
        in err
    )
    assert hooks.url("/fail") not in err  # the URL is a credential
    assert len(inbox.inbox.take()) == 4
    assert "webhook:slack:SOCIALGOV_TEST_SLACK" not in record(reg)
    monkeypatch.setenv("SOCIALGOV_TEST_SLACK", hooks.url("/slack"))
    hooks.take()
    code, _data, err = notify(reg, DAY0)
    assert code == 0, err
    assert [p for p, _ in hooks.take()] == ["/slack"]
    assert inbox.inbox.take() == []


def test_dry_run_and_to(reg: Path, inbox: SmtpServer) -> None:
    commits = commit_count(reg)
    result = run_cli(reg, "--today", DAY0, "notify", "--dry-run")
    assert result.code == 0, result.stderr
    assert "carol <carol@example.com> would get 2 items" in result.stdout
    assert "dry run: nothing sent, nothing recorded" in result.stderr
    one = run_cli(reg, "--today", DAY0, "notify", "--dry-run", "--to", "dave")
    assert "dave <dave@example.com> would get 1 item\n" in one.stdout
    code, data, _ = notify(reg, DAY0, "--dry-run", "--to", "dave")
    assert [d["to"] for d in data["digests"]] == ["dave"] and data["webhooks"] == []
    assert data["digests"][0]["status"] == "would send"
    assert inbox.inbox.take() == [] and commit_count(reg) == commits
    # --to sends and records that person's digest only
    code, data, err = notify(reg, DAY0, "--to", "dave")
    assert code == 0, err
    assert [m.to for m in inbox.inbox.take()] == ["Dave Ops <dave@example.com>"]
    assert set(record(reg)) == {"dave"}
    code, data, err = notify(reg, DAY0)
    assert sorted(d["to"] for d in data["digests"]) == ["alice", "carol", "erin"]


def test_sample_registry_dry_run_lists_one_digest_per_accountable_person() -> None:
    sample = Path(__file__).resolve().parents[2] / "registry"
    # the Socialgov runner: the installed entry point here (in-process once tests/conftest.py has one)
    result = Socialgov(sample)("--today", "2026-11-23", "notify", "--dry-run", "--format", "json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["to"] for d in data["digests"]] == [
        "alice",  # her own assets, and those of tom (departed) and zoe (on leave), her reports
        "ben",
        "carol",
        "dave",  # team:it-ops owns the lookalike domain
        "liam",
        "nina",  # her own, and marcus's (departed) assets
        "priya",
        "sofia",
    ]
    assert data["unrouted"] == [] and data["commit"] is None
    nina = next(d for d in data["digests"] if d["to"] == "nina")
    assert {i["about"] for i in nina["items"]} == {
        "domain:northwind-events.example",
        "domain:northwind-outlet.example",
        "domain:spring-sale-2011.example",
    }
    # the expiry reminder stands for the domain-expiring finding, not beside it
    events = [i for i in nina["items"] if i["about"] == "domain:northwind-events.example"]
    assert "domain-expiring" not in {i["rule"] for i in events}
    assert any(i["kind"] == "domain" and i["level"] == "14" for i in events)
    fingerprints = [i["key"] for d in data["digests"] for i in d["items"] if d["to"] == "alice"]
    assert len(fingerprints) == len(set(fingerprints))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('smtp_password_env = "GITHUB_TOKEN"', "notify.smtp_password_env"),
        ('webhooks = [{ kind = "irc", url_env = "SOCIALGOV_X" }]', "notify.webhooks[0].kind"),
        ('webhooks = [{ kind = "slack", url_env = "SLACK_URL" }]', "notify.webhooks[0].url_env"),
        ("expiry_days = [30, -1]", "notify.expiry_days: expected whole numbers of days"),
        (
            'smtp = "smtp://host:99999"',
            "notify.smtp: 'smtp://host:99999': the port is out of range",
        ),
        ('smtp2 = "x"', "unknown key 'notify.smtp2'"),
    ],
)
def test_bad_settings_exit_2_at_their_line(tmp_path: Path, line: str, expected: str) -> None:
    root = make_registry(tmp_path / "reg", "smtp://127.0.0.1:25")
    settings = root / "socialgov.toml"
    # keep [notify] up to its webhooks, then the bad line
    kept = [
        entry
        for entry in settings.read_text().split("webhooks = [")[0].splitlines()
        if not entry.startswith(line.split(" = ")[0] + " =")
    ]
    settings.write_text("\n".join([*kept, line]) + "\n")
    result = run_cli(root, "--today", DAY0, "notify", "--dry-run")
    assert result.code == 2
    assert f"socialgov.toml:{len(kept) + 1}: " in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_registry(tmp_path / "reg", "smtp://127.0.0.1:25")
    result = run_cli(root, "--today", DAY0, "notify", "--to", "zed")
    assert result.code == 2 and "--to 'zed' is not a person of the roster" in result.stderr
    settings = root / "socialgov.toml"
    settings.write_text(settings.read_text().replace('fallback = "carol"', 'fallback = "zed"'))
    result = run_cli(root, "--today", DAY0, "notify", "--dry-run")
    assert result.code == 2
    assert "[notify] fallback = 'zed' is not a person or team:NAME" in result.stderr
    settings.write_text(settings.read_text().replace('fallback = "zed"', 'fallback = "carol"'))
    # no server configured while digests are due
    settings.write_text(settings.read_text().replace('smtp = "smtp://127.0.0.1:25"', ""))
    result = run_cli(root, "--today", DAY0, "notify")
    assert result.code == 2
    assert "4 digests are due but [notify] has no smtp server" in result.stderr
    settings.write_text(
        settings.read_text().replace('from = "', 'smtp = "smtp://127.0.0.1:25"\nfrom = "')
    )
    # credentials named but not exported: nothing is sent
    settings.write_text(
        settings.read_text().replace(
            'smtp = "smtp://127.0.0.1:25"',
            'smtp = "smtp://127.0.0.1:25"\nsmtp_user_env = "SOCIALGOV_U"\nsmtp_password_env = "SOCIALGOV_P"',
        )
    )
    git(root, "commit", "-qam", "auth")
    result = run_cli(root, "--today", DAY0, "notify")
    assert result.code == 2
    assert (
        "the SMTP credentials are not in the environment: SOCIALGOV_U, SOCIALGOV_P" in result.stderr
    )
    result = run_cli(root, "--today", DAY0, "notify", env={"SOCIALGOV_U": "u", "SOCIALGOV_P": "p"})
    assert result.code == 2
    assert "refusing to send SMTP credentials without TLS" in result.stderr
    assert "p" not in result.stderr.split("hint")[0].split(":")[-1]


def test_private_smtp_host_refused_without_allow_private(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", "smtp://127.0.0.1:25")
    settings = root / "socialgov.toml"
    settings.write_text(
        settings.read_text().replace("allow_private = true", "allow_private = false")
    )
    git(root, "commit", "-qam", "no private")
    result = run_cli(root, "--today", DAY0, "notify")
    assert result.code == 2
    assert "refusing to connect to 127.0.0.1 (127.0.0.1): not a public address" in result.stderr
    assert commit_count(root) == 2


def test_nothing_is_sent_when_the_record_could_not_be_committed(
    reg: Path, inbox: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no git identity: refused before sending, not after
    for key in ("GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(key)
    result = run_cli(reg, "--today", DAY0, "notify")
    assert result.code == 3 and "git does not know who you are" in result.stderr
    assert inbox.inbox.take() == []
    # uncommitted edits of the record: refused too
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "admin@example.com")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "admin@example.com")
    (reg / "notifications").mkdir()
    (reg / "notifications/sent.toml").write_text("# edited by hand\n")
    result = run_cli(reg, "--today", DAY0, "notify")
    assert result.code == 3 and "notifications/sent.toml has uncommitted edits" in result.stderr
    assert inbox.inbox.take() == []
