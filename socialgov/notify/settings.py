"""The `[notify]` settings of a registry (SPEC §7): who sends, through which server, when.

Kept free of the model so that `socialgov.model.Settings` can hold them; the keys' types
are checked by `registry.schema.SETTINGS` before `notify_settings` reads them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from socialgov.errors import InputError

if TYPE_CHECKING:
    from socialgov.model import SourceText

# Credentials and webhook URLs come from the environment. The registry only names the
# variables, and only variables of socialgov's own namespace: a pull request that points
# `smtp_password_env` at CI_JOB_TOKEN or GITHUB_TOKEN must not be able to mail it away.
ENV_NAME = re.compile(r"^SOCIALGOV_[A-Z0-9_]+$")
WEBHOOK_KINDS = ("slack", "teams", "json")


@dataclass(frozen=True, slots=True)
class Webhook:
    kind: str  # slack | teams | json
    url_env: str
    departments: tuple[str, ...] = ()  # empty: every department

    @property
    def key(self) -> str:
        """The channel's name in the sent record."""
        return f"webhook:{self.kind}:{self.url_env}"

    def covers(self, department: str | None) -> bool:
        return not self.departments or department in self.departments


@dataclass(frozen=True, slots=True)
class SmtpEndpoint:
    host: str
    port: int
    security: str  # "starttls" | "tls" | "none"

    def __str__(self) -> str:
        scheme = {"tls": "smtps://", "none": "smtp://", "starttls": ""}[self.security]
        return f"{scheme}{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class NotifySettings:
    sender: str = ""  # `from`
    smtp: str = ""
    smtp_user_env: str = ""
    smtp_password_env: str = ""
    min_severity: str = "medium"
    expiry_days: tuple[int, ...] = (60, 30, 14, 7, 1)
    review_days: tuple[int, ...] = (14,)
    leave_days: tuple[int, ...] = (14, 7, 1)
    escalate_after_days: int = 7  # 0: never
    fallback: str | None = None
    allow_private: bool = False
    timeout_s: float = 30.0
    webhooks: tuple[Webhook, ...] = ()

    @property
    def endpoint(self) -> SmtpEndpoint | None:
        return parse_smtp(self.smtp) if self.smtp else None


def parse_smtp(text: str) -> SmtpEndpoint:
    """`host[:port]` (STARTTLS, port 587; port 465 means implicit TLS), `smtps://host[:port]`
    (implicit TLS, 465) or `smtp://host[:port]` (no TLS, port 25: a relay on the same host)."""
    security = "starttls"
    rest = text.strip()
    for scheme, kind in (("smtps://", "tls"), ("smtp://", "none")):
        if rest.lower().startswith(scheme):
            security, rest = kind, rest[len(scheme) :]
            break
    rest = rest.rstrip("/")
    host, port_text = rest, ""
    if rest.startswith("["):
        host, _, tail = rest[1:].partition("]")
        port_text = tail.removeprefix(":")
    elif rest.count(":") == 1:
        host, _, port_text = rest.partition(":")
    if not host or any(c in host for c in "/@ ") or not host.isprintable():
        raise ValueError(f"{text!r} is not host[:port]")
    default = {"tls": 465, "none": 25, "starttls": 587}[security]
    try:
        port = int(port_text) if port_text else default
    except ValueError:
        raise ValueError(f"{text!r}: the port is not a number") from None
    if not 0 < port < 65536:
        raise ValueError(f"{text!r}: the port is out of range")
    if security == "starttls" and port == 465:
        security = "tls"
    return SmtpEndpoint(host=host, port=port, security=security)


def notify_settings(table: Mapping[str, Any], rel: str, source: SourceText) -> NotifySettings:
    """Read `[notify]` (types already checked), validating values with their positions."""
    from socialgov.registry.schema import NOTIFY_WEBHOOK, did_you_mean

    def fail(key: str, message: str, hint: str | None = None) -> InputError:
        return InputError(message, file=rel, line=source.line_of(f"notify.{key}"), hint=hint)

    for key in ("smtp_user_env", "smtp_password_env"):
        if key in table and not ENV_NAME.fullmatch(table[key]):
            raise fail(
                key,
                f'notify.{key} = "{table[key]}": expected the name of an environment variable '
                "that starts with SOCIALGOV_",
                hint="credentials come only from socialgov's own environment variables",
            )
    if "smtp" in table:
        try:
            parse_smtp(table["smtp"])
        except ValueError as exc:
            raise fail(
                "smtp",
                f"notify.smtp: {exc}",
                hint="write host[:port], smtps://host[:port] or smtp://host[:port]",
            ) from None
    if "from" in table and "@" not in table["from"]:
        raise fail("from", f'notify.from = "{table["from"]}": expected an e-mail address')
    days: dict[str, tuple[int, ...]] = {}
    for key in ("expiry_days", "review_days", "leave_days"):
        if key in table:
            if any(d < 0 for d in table[key]):
                raise fail(key, f"notify.{key}: expected whole numbers of days, 0 or more")
            days[key] = tuple(sorted(set(table[key]), reverse=True))
    for key in ("escalate_after_days", "timeout_s"):
        if key in table and table[key] < 0:
            raise fail(key, f"notify.{key} = {table[key]}: expected a number of at least 0")
    webhooks = []
    for index, entry in enumerate(table.get("webhooks", ())):
        where = f"notify.webhooks[{index}]"
        for key, value in entry.items():
            field_type = NOTIFY_WEBHOOK.get(key)
            if field_type is None:
                raise fail(
                    "webhooks",
                    f"{where}: unknown key {key!r}",
                    hint=did_you_mean(key, list(NOTIFY_WEBHOOK))
                    or "keys: " + ", ".join(NOTIFY_WEBHOOK),
                )
            if not field_type.accepts(value):
                raise fail("webhooks", f"{where}.{key}: expected {field_type.describe()}")
        for key in ("kind", "url_env"):
            if key not in entry:
                raise fail("webhooks", f"{where} needs {key}")
        if not ENV_NAME.fullmatch(entry["url_env"]):
            raise fail(
                "webhooks",
                f'{where}.url_env = "{entry["url_env"]}": expected the name of an environment '
                "variable that starts with SOCIALGOV_",
                hint="a webhook URL is a credential: keep it in the environment, not the registry",
            )
        webhooks.append(
            Webhook(
                kind=entry["kind"],
                url_env=entry["url_env"],
                departments=tuple(entry.get("departments", ())),
            )
        )
    defaults = NotifySettings()
    return NotifySettings(
        sender=table.get("from", defaults.sender),
        smtp=table.get("smtp", defaults.smtp),
        smtp_user_env=table.get("smtp_user_env", defaults.smtp_user_env),
        smtp_password_env=table.get("smtp_password_env", defaults.smtp_password_env),
        min_severity=table.get("min_severity", defaults.min_severity),
        expiry_days=days.get("expiry_days", defaults.expiry_days),
        review_days=days.get("review_days", defaults.review_days),
        leave_days=days.get("leave_days", defaults.leave_days),
        escalate_after_days=int(table.get("escalate_after_days", defaults.escalate_after_days)),
        fallback=table.get("fallback", defaults.fallback),
        allow_private=bool(table.get("allow_private", defaults.allow_private)),
        timeout_s=float(table.get("timeout_s", defaults.timeout_s)),
        webhooks=tuple(webhooks),
    )
