"""Fixtures of the notify tests: a small registry in a real git repository, a loopback SMTP
server and webhook receiver (servers.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import Result, content_key, from_template
from tests.notify.servers import SmtpServer, WebhookServer

SETTINGS = """\
[organization]
name = "Example Corp"
email_domains = ["example.com"]

[notify]
from = "socialgov@example.com"
smtp = "{smtp}"
allow_private = true             # the test servers listen on 127.0.0.1
min_severity = "medium"
expiry_days = [60, 30, 14, 7, 1]
escalate_after_days = 7
fallback = "carol"
timeout_s = 5
"""

WEBHOOKS = """\
webhooks = [
  { kind = "slack", url_env = "SOCIALGOV_TEST_SLACK" },
  { kind = "json", url_env = "SOCIALGOV_TEST_JSON", departments = ["Marketing"] },
]
"""

PEOPLE = """\
[people.carol]
name = "Carol Boss"
email = "carol@example.com"
department = "IT"

[people.alice]
name = "Alice Example"
email = "alice@example.com"
department = "Marketing"
manager = "carol"

[people.bob]
name = "Bob Left"
email = "bob@example.com"
status = "departed"
departed_on = 2026-09-30
manager = "carol"

[people.dave]
name = "Dave Ops"
email = "dave@example.com"
department = "IT"
manager = "carol"

[people.erin]
name = "Erin Sørensen"
email = "erin@example.com"
department = "IT"
manager = "carol"

[teams.web]
members = ["dave", "erin"]
"""

ASSETS = {
    # 34 days left on 2026-11-01 (60-day reminder), 30 on 2026-11-05 (30-day reminder)
    "assets/domains/example.com.toml": """\
owners = ["alice", "dave"]
department = "Marketing"
last_reviewed = 2026-10-01

[domain]
expires = 2026-12-05
auto_renew = true
""",
    # departed owner: carol, bob's manager, is told
    "assets/blogs/eng-blog.toml": """\
owners = ["bob"]
department = "IT"
last_reviewed = 2026-10-01

[blog]
url = "https://blog.example.com"
domain = "domain:example.com"
""",
    # a team owns it: each active member is told
    "assets/social/x/examplecorp.toml": """\
owners = ["team:web"]
department = "IT"
last_reviewed = 2026-10-01

[social]
mfa = false
credentials_rotated = 2026-10-01
""",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def make_registry(root: Path, smtp: str, *, webhooks: bool = True) -> Path:
    build = partial(_build_registry, smtp=smtp, webhooks=webhooks)
    return from_template(content_key("notify-registry", smtp, webhooks), root, build)


def _build_registry(root: Path, smtp: str, webhooks: bool) -> None:
    root.mkdir(parents=True)
    settings = SETTINGS.format(smtp=smtp) + (WEBHOOKS if webhooks else "")
    (root / "socialgov.toml").write_text(settings, encoding="utf-8")
    (root / "people.toml").write_text(PEOPLE, encoding="utf-8")
    for rel, text in ASSETS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "registry")


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def inbox(smtp_server: SmtpServer) -> Iterator[SmtpServer]:
    smtp_server.inbox.take()
    yield smtp_server
    smtp_server.inbox.take()


@pytest.fixture(scope="session")
def webhook_server() -> Iterator[WebhookServer]:
    server = WebhookServer()
    yield server
    server.close()


@pytest.fixture
def hooks(webhook_server: WebhookServer, monkeypatch: pytest.MonkeyPatch) -> WebhookServer:
    webhook_server.take()
    monkeypatch.setenv("SOCIALGOV_TEST_SLACK", webhook_server.url("/slack"))
    monkeypatch.setenv("SOCIALGOV_TEST_JSON", webhook_server.url("/json"))
    return webhook_server


@pytest.fixture
def reg(tmp_path: Path, inbox: SmtpServer, hooks: WebhookServer) -> Path:
    return make_registry(tmp_path / "reg", inbox.smtp)


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """The CLI in this process (the subprocess entry point is tested elsewhere): faster, and
    the loopback servers' threads see the same run."""
    import contextlib
    import io
    import os

    from socialgov.cli.app import run

    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(err):
            code = run(["--registry", str(root), *args])
            stdout.flush()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return Result(code, out.getvalue().decode("utf-8"), err.getvalue())
