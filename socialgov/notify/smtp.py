"""The SMTP adapter: one connection for the whole run, STARTTLS or implicit TLS, optional
authentication; every failure becomes a DeliveryFailed naming why."""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Sequence
from types import TracebackType

from socialgov.notify.addresses import connect
from socialgov.notify.settings import SmtpEndpoint


class DeliveryFailed(Exception):
    """One message could not be delivered; `reason` says why, for the failure list."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _SMTP(smtplib.SMTP):
    def __init__(self, host: str, port: int, *, timeout: float, allow_private: bool) -> None:
        self.allow_private = allow_private
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        # smtplib keeps the host name for STARTTLS's certificate check; the socket goes to an
        # address that was checked, not to whatever a second lookup returns.
        return connect(host, port, timeout, allow_private=self.allow_private)


class _SMTP_SSL(smtplib.SMTP_SSL):
    def __init__(
        self,
        host: str,
        port: int,
        *,
        timeout: float,
        allow_private: bool,
        context: ssl.SSLContext,
    ) -> None:
        self.allow_private = allow_private
        super().__init__(host, port, timeout=timeout, context=context)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        raw = connect(host, port, timeout, allow_private=self.allow_private)
        return self.context.wrap_socket(raw, server_hostname=host)


class SmtpTransport:
    """Send many messages over one SMTP connection, reconnecting once if the server drops it."""

    def __init__(
        self,
        endpoint: SmtpEndpoint,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        allow_private: bool = False,
    ) -> None:
        self.endpoint = endpoint
        self.user = user
        self.password = password
        self.timeout = timeout
        self.allow_private = allow_private
        self._client: smtplib.SMTP | None = None
        self._down: str | None = None  # the server could not be reached: fail the rest fast

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()

    def _connect(self) -> smtplib.SMTP:
        endpoint = self.endpoint
        context = ssl.create_default_context()
        client: smtplib.SMTP
        # Given the host, the constructor connects and keeps the name for TLS's certificate check.
        if endpoint.security == "tls":
            client = _SMTP_SSL(
                endpoint.host,
                endpoint.port,
                timeout=self.timeout,
                allow_private=self.allow_private,
                context=context,
            )
        else:
            client = _SMTP(
                endpoint.host, endpoint.port, timeout=self.timeout, allow_private=self.allow_private
            )
        try:
            client.ehlo()
            if endpoint.security == "starttls":
                if not client.has_extn("starttls"):
                    raise DeliveryFailed(
                        f"{endpoint} does not offer STARTTLS; refusing to send in the clear"
                        " (write smtp://host:port for a relay that has no TLS)"
                    )
                client.starttls(context=context)
                client.ehlo()
            if self.user is not None and self.password is not None:
                client.login(self.user, self.password)
        except BaseException:
            client.close()
            raise
        return client

    def send(self, sender: str, recipients: Sequence[str], data: bytes) -> None:
        """Deliver one message; the first recipient (To) must accept it, a refused Cc is
        reported by the server to the sender as usual."""
        if self._down is not None:
            raise DeliveryFailed(self._down)
        for attempt in (1, 2):
            try:
                if self._client is None:
                    try:
                        self._client = self._connect()
                    except smtplib.SMTPAuthenticationError as exc:
                        self._down = f"{self.endpoint} refused the login: {exc.smtp_code}"
                        raise DeliveryFailed(self._down) from None
                    except (OSError, smtplib.SMTPException) as exc:
                        self._down = f"cannot reach {self.endpoint}: {_describe(exc)}"
                        raise DeliveryFailed(self._down) from None
                refused = self._client.sendmail(sender, list(recipients), data)
            except smtplib.SMTPRecipientsRefused as exc:
                raise DeliveryFailed(
                    f"{self.endpoint} refused {_refused(exc.recipients)}"
                ) from None
            except smtplib.SMTPResponseException as exc:
                raise DeliveryFailed(
                    f"{self.endpoint} answered {exc.smtp_code}: {_text(exc.smtp_error)}"
                ) from None
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                self.close()
                if attempt == 2:
                    raise DeliveryFailed(f"{self.endpoint} dropped the connection: {exc}") from None
                continue
            if recipients[0].lower() in {r.lower() for r in refused}:
                raise DeliveryFailed(f"{self.endpoint} refused {_refused(refused)}")
            return


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _refused(recipients: dict[str, tuple[int, bytes]]) -> str:
    return ", ".join(f"{a} ({code} {_text(msg)})" for a, (code, msg) in recipients.items())
