"""Real servers on 127.0.0.1 for the notify tests: an aiosmtpd SMTP server that keeps what it
receives, and an HTTP webhook receiver that records the bodies posted to it."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    envelope_to: list[str]
    message: EmailMessage

    def header(self, name: str) -> str:
        # An unfolded header keeps the space of its fold; mail clients trim it.
        return str(self.message.get(name, "")).strip()

    @property
    def to(self) -> str:
        return self.header("To")

    @property
    def cc(self) -> str:
        return self.header("Cc")

    @property
    def subject(self) -> str:
        return self.header("Subject")

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content())


@dataclass
class Inbox:
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    parse: bool = True  # False: keep an empty message (benchmarks count, tests read)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = (
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            if self.parse
            else EmailMessage()
        )
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(Received(list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def take(self) -> list[Received]:
        with self.lock:
            taken, self.messages = self.messages, []
        return taken


class SmtpServer:
    """aiosmtpd's Controller on a loopback port; `smtp` is the value for socialgov.toml."""

    def __init__(self, port: int | None = None, *, parse: bool = True, **kwargs: Any) -> None:
        from aiosmtpd.controller import Controller

        self.inbox = Inbox(parse=parse)
        self.port = port or free_port()
        self.controller = Controller(self.inbox, hostname=LOOPBACK, port=self.port, **kwargs)
        self.controller.start()

    @property
    def smtp(self) -> str:
        return f"smtp://{LOOPBACK}:{self.port}"

    def stop(self) -> None:
        self.controller.stop()


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        server = self.server
        assert isinstance(server, WebhookServer)
        with server.lock:
            server.posts.append((self.path, json.loads(body)))
        status = 500 if self.path.startswith("/fail") else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:
        pass


class WebhookServer(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__((LOOPBACK, 0), _Hook)
        self.posts: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{LOOPBACK}:{self.server_address[1]}{path}"

    def take(self) -> list[tuple[str, Any]]:
        with self.lock:
            taken, self.posts = self.posts, []
        return taken

    def close(self) -> None:
        self.shutdown()
        self.server_close()
