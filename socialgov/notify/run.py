"""`socialgov notify`: plan the digests, deliver them, record what was delivered in one commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from socialgov.errors import GitError, UsageError
from socialgov.model import Registry
from socialgov.notify.inputs import gather
from socialgov.notify.mail import compose
from socialgov.notify.plan import Digest, NotifyPlan, notices, plan, updated_record
from socialgov.notify.record import RECORD_FILE, Record, dump_record, parse_record
from socialgov.notify.render import render_digest
from socialgov.notify.smtp import DeliveryFailed
from socialgov.registry.files import DiskFiles
from socialgov.registry.store import Transaction
from socialgov.words import plural


@dataclass(frozen=True, slots=True)
class Delivery:
    to: str  # a handle, or webhook:KIND:ENV
    channel: str  # email | slack | teams | json
    address: str  # the e-mail address, or the environment variable holding the URL
    cc: tuple[str, ...]
    subject: str
    items: int
    error: str | None = None  # None: delivered (or, in a dry run, would be sent)

    def to_json(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "channel": self.channel,
            "address": self.address,
            "cc": list(self.cc),
            "subject": self.subject,
            "items": self.items,
            "error": self.error,
        }


@dataclass
class NotifyResult:
    plan: NotifyPlan
    dry_run: bool
    deliveries: list[Delivery] = field(default_factory=list)
    commit: str | None = None

    @property
    def failures(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.error is not None]

    @property
    def sent(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.error is None]

    def to_json(self) -> dict[str, Any]:
        by_key = {d.to: d for d in self.deliveries}
        return {
            "date": self.plan.today.isoformat(),
            "dry_run": self.dry_run,
            "digests": [
                {
                    "to": d.recipient.handle,
                    "email": d.recipient.email,
                    "cc": [p.handle for p in d.cc],
                    "subject": by_key[d.key].subject if d.key in by_key else None,
                    "status": _status(by_key.get(d.key), self.dry_run),
                    "error": by_key[d.key].error if d.key in by_key else None,
                    "still_open": d.still_open,
                    "items": [i.to_json() for i in d.items],
                }
                for d in self.plan.digests
            ],
            "webhooks": [
                {
                    "channel": m.webhook.kind,
                    "url_env": m.webhook.url_env,
                    "departments": list(m.webhook.departments),
                    "status": _status(by_key.get(m.key), self.dry_run),
                    "error": by_key[m.key].error if m.key in by_key else None,
                    "items": [i.to_json() for i in m.items],
                }
                for m in self.plan.channels
            ],
            "unrouted": [n.to_json() for n in self.plan.unrouted],
            "commit": self.commit,
        }


def _status(delivery: Delivery | None, dry_run: bool) -> str:
    if dry_run:
        return "would send"
    if delivery is None:
        return "not sent"
    return "sent" if delivery.error is None else "failed"


def _plan(
    registry: Registry, today: date, record: Record, only: str | None
) -> tuple[NotifyPlan, Record]:
    if only is not None and only not in registry.roster.people:
        from socialgov.registry.schema import did_you_mean

        raise UsageError(
            f"--to {only!r} is not a person of the roster",
            hint=did_you_mean(only, list(registry.roster.people)),
        )
    settings = registry.settings.notify
    if settings.fallback and not registry.roster.knows(settings.fallback):
        raise UsageError(
            f"socialgov.toml: [notify] fallback = {settings.fallback!r} is not a person "
            "or team:NAME of the roster",
            hint="name who is told when an asset has no active owner or manager",
        )
    inputs = gather(registry, today)
    assert inputs.audit is not None
    found = notices(registry, inputs.audit, inputs.deadlines, settings, today)
    return plan(registry, found, record, settings, today, only=only), record


def _first_sent(digest: Digest, record: Record, today: date) -> dict[str, date]:
    sent = record.get(digest.key, {})
    return {
        i.notice.key: sent[i.notice.key].first if i.notice.key in sent else today
        for i in digest.items
    }


def preview(registry: Registry, today: date, *, only: str | None = None) -> NotifyResult:
    """A dry run: who would get what; nothing is sent or recorded."""
    record = parse_record(DiskFiles(registry.root).read(RECORD_FILE))
    planned, record = _plan(registry, today, record, only)
    result = NotifyResult(plan=planned, dry_run=True)
    org = registry.settings.org_name
    from socialgov.notify.render import subject

    for digest in planned.digests:
        result.deliveries.append(_email_delivery(digest, subject(digest, org)))
    for message in planned.channels:
        result.deliveries.append(
            Delivery(
                message.key,
                message.webhook.kind,
                message.webhook.url_env,
                (),
                "",
                len(message.items),
            )
        )
    return result


def _email_delivery(digest: Digest, subject: str, error: str | None = None) -> Delivery:
    return Delivery(
        to=digest.key,
        channel="email",
        address=digest.recipient.email,
        cc=tuple(p.handle for p in digest.cc),
        subject=subject,
        items=len(digest.items),
        error=error,
    )


def deliver(
    tx: Transaction,
    registry: Registry,
    today: date,
    *,
    only: str | None,
    environ: Mapping[str, str],
    author: str | None = None,
    commit: bool = True,
) -> NotifyResult:
    """Send what is due and write the record of what was delivered into `tx` (one commit).

    What would stop the commit is checked before anything is sent: a record sent but not
    committed would be sent again by the next run."""
    if commit:
        rel_top = tx.repo.rel(tx.root / RECORD_FILE)
        if tx.repo.dirty([rel_top]):
            raise GitError(
                f"{RECORD_FILE} has uncommitted edits; refusing to send before they are committed",
                hint="commit or discard them first: notify must record what it sends",
            )
        tx.repo.check_identity(author)
    record = parse_record(DiskFiles(registry.root).read(RECORD_FILE))
    planned, record = _plan(registry, today, record, only)
    result = NotifyResult(plan=planned, dry_run=False)
    settings = registry.settings.notify
    if planned.digests:
        _send_mail(registry, planned, record, today, environ, result)
    for message in planned.channels:
        from socialgov.notify.webhooks import PAYLOADS, post

        webhook = message.webhook
        error = None
        url = environ.get(webhook.url_env, "").strip()
        try:
            if not url:
                raise DeliveryFailed(f"{webhook.url_env} is not set")
            post(
                url,
                PAYLOADS[webhook.kind](message, registry.settings.org_name, today),
                settings.timeout_s,
            )
        except DeliveryFailed as exc:
            error = exc.reason
        result.deliveries.append(
            Delivery(message.key, webhook.kind, webhook.url_env, (), "", len(message.items), error)
        )
    delivered = {d.to for d in result.sent}
    if delivered:
        tx.write(RECORD_FILE, dump_record(updated_record(record, planned, delivered, today)))
        mails = sorted(d.to for d in result.sent if d.channel == "email")
        hooks = len(delivered) - len(mails)
        tx.message = (
            f"notify: {plural(len(mails), 'digest')} sent"
            + (f" to {', '.join(mails[:10])}" + (" …" if len(mails) > 10 else "") if mails else "")
            + (f", {plural(hooks, 'webhook message')}" if hooks else "")
            + f" ({today.isoformat()})"
        )
    return result


def _send_mail(
    registry: Registry,
    planned: NotifyPlan,
    record: Record,
    today: date,
    environ: Mapping[str, str],
    result: NotifyResult,
) -> None:
    from socialgov.notify.smtp import SmtpTransport

    settings = registry.settings.notify
    endpoint = settings.endpoint
    if endpoint is None or not settings.sender:
        raise UsageError(
            f"{plural(len(planned.digests), 'digest')} {'is' if len(planned.digests) == 1 else 'are'} due but [notify] has no "
            + ("smtp server" if endpoint is None else "from address"),
            hint='set [notify] from = "socialgov@…" and smtp = "host:587" in socialgov.toml, '
            "or look with --dry-run",
        )
    user = password = None
    if settings.smtp_user_env or settings.smtp_password_env:
        missing = [
            name
            for name in (settings.smtp_user_env, settings.smtp_password_env)
            if not name or not environ.get(name)
        ]
        if missing:
            raise UsageError(
                "the SMTP credentials are not in the environment: "
                + ", ".join(m or "(no variable named)" for m in missing),
                hint="set smtp_user_env and smtp_password_env, and export both variables",
            )
        if endpoint.security == "none":
            raise UsageError(
                f"refusing to send SMTP credentials without TLS to {endpoint}",
                hint="use host:587 (STARTTLS) or smtps://host (TLS)",
            )
        user, password = environ[settings.smtp_user_env], environ[settings.smtp_password_env]
    org = registry.settings.org_name
    with SmtpTransport(
        endpoint,
        user=user,
        password=password,
        timeout=settings.timeout_s,
        allow_private=settings.allow_private,
    ) as transport:
        for digest in planned.digests:
            rendered = render_digest(digest, registry, _first_sent(digest, record, today), today)
            outgoing = compose(
                rendered,
                sender_name=f"socialgov ({org})",
                sender=settings.sender,
                to=digest.recipient,
                cc=digest.cc,
            )
            error = None
            try:
                transport.send(outgoing.sender, outgoing.recipients, outgoing.data)
            except DeliveryFailed as exc:
                error = exc.reason
            result.deliveries.append(_email_delivery(digest, rendered.subject, error))
