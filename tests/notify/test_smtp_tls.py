"""SMTP with STARTTLS and implicit TLS, with a login, against aiosmtpd using trustme's CA."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from tests.notify.conftest import git, make_registry, run_cli
from tests.notify.servers import SmtpServer

USER, PASSWORD = "mailer", "s3cret-for-tests"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult

    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[trustme.CA, Path]]:
    authority = trustme.CA()
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(pem))
    yield authority, pem


def server_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


def auth_registry(root: Path, smtp: str) -> Path:
    make_registry(root, smtp, webhooks=False)
    settings = root / "socialgov.toml"
    settings.write_text(
        settings.read_text().replace(
            "allow_private = true",
            'allow_private = true\nsmtp_user_env = "SOCIALGOV_SMTP_USER"\n'
            'smtp_password_env = "SOCIALGOV_SMTP_PASSWORD"',
        )
    )
    git(root, "commit", "-qam", "smtp auth")
    return root


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_tls_and_login(tmp_path: Path, ca: tuple[trustme.CA, Path], mode: str) -> None:
    authority, pem = ca
    context = server_context(authority)
    if mode == "starttls":
        server = SmtpServer(
            tls_context=context,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=authenticator,
            # one mechanism: smtplib would retry a refused PLAIN login with LOGIN
            auth_exclude_mechanism=["LOGIN"],
        )
        smtp = f"127.0.0.1:{server.port}"
    else:
        server = SmtpServer(
            ssl_context=context,
            auth_required=True,
            auth_require_tls=False,  # aiosmtpd 1.4 does not see implicit TLS as TLS here
            authenticator=authenticator,
            auth_exclude_mechanism=["LOGIN"],
            server_hostname="127.0.0.1",
        )
        smtp = f"smtps://127.0.0.1:{server.port}"
    try:
        root = auth_registry(tmp_path / "reg", smtp)
        env = {"SSL_CERT_FILE": str(pem), "SOCIALGOV_SMTP_USER": USER}
        wrong = run_cli(
            root, "--today", "2026-11-01", "notify",
            env={**env, "SOCIALGOV_SMTP_PASSWORD": "wrong"},
        )  # fmt: skip
        assert wrong.code == 3
        assert "refused the login: 535" in wrong.stderr
        assert "wrong" not in wrong.stderr and PASSWORD not in wrong.stderr
        assert server.inbox.take() == []
        right = run_cli(
            root, "--today", "2026-11-01", "notify",
            env={**env, "SOCIALGOV_SMTP_PASSWORD": PASSWORD},
        )  # fmt: skip
        assert right.code == 0, right.stderr
        assert len(server.inbox.take()) == 4
        # without the CA the certificate is not trusted: nothing is sent in the clear instead
        git(root, "reset", "-q", "--hard", "HEAD~1")
        untrusted = run_cli(
            root, "--today", "2026-11-01", "notify",
            env={"SOCIALGOV_SMTP_USER": USER, "SOCIALGOV_SMTP_PASSWORD": PASSWORD},
        )  # fmt: skip
        assert untrusted.code == 3
        assert "TLS failed" in untrusted.stderr or "certificate" in untrusted.stderr
        assert server.inbox.take() == []
    finally:
        server.stop()
