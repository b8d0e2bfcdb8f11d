"""Real loopback servers for the lookup tests and the benchmark: a port-43 WHOIS server and an
RDAP HTTP server, each with well-behaved and hostile answers, counting connections and concurrency."""

from __future__ import annotations

import json
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "data" / "whois-corpus"
LOOPBACK = "127.0.0.1"


# --------------------------------------------------------------------------- WHOIS server


@dataclass(frozen=True)
class Hostile:
    kind: str  # "silent" | "reset" | "huge"
    payload: bytes = b""


SILENT = Hostile("silent")
RESET = Hostile("reset", b"Domain Name: EXAMPLE.COM\nRegistrar: Half")
HUGE = Hostile("huge")
TRICKLE = Hostile("trickle")

Reply = bytes | Hostile


@dataclass
class Counter:
    lock: threading.Lock = field(default_factory=threading.Lock)
    total: int = 0
    now: int = 0
    peak: int = 0

    def enter(self) -> None:
        with self.lock:
            self.total += 1
            self.now += 1
            self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        with self.lock:
            self.now -= 1


class WhoisServerThread:
    """A threaded port-43 server on 127.0.0.1; `answer(query)` decides each reply."""

    def __init__(self, answer: Callable[[str], Reply], *, delay: float = 0.0) -> None:
        self.answer = answer
        self.delay = delay
        self.queries: list[str] = []
        self.counter = Counter()
        self.stop = threading.Event()
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                owner.counter.enter()
                try:
                    owner._serve(self.request)
                except OSError:
                    pass  # the client hung up first (size cap, timeout): expected here
                finally:
                    owner.counter.leave()

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True
            block_on_close = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server((LOOPBACK, 0), Handler)
        self.port = self.server.server_address[1]
        self.label = f"{LOOPBACK}:{self.port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(5)
        data = b""
        while b"\n" not in data and len(data) < 4096:
            chunk = sock.recv(1024)
            if not chunk:
                break
            data += chunk
        query = data.decode("utf-8", "replace").strip()
        self.queries.append(query)
        reply = self.answer(query)
        if self.delay:
            time.sleep(self.delay)
        if isinstance(reply, bytes):
            sock.sendall(reply)
        elif reply.kind == "silent":
            self.stop.wait(10)
        elif reply.kind == "reset":
            sock.sendall(reply.payload)
            time.sleep(0.05)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # with a zero linger: RST, not FIN
        elif reply.kind == "trickle":
            for _ in range(100):
                if self.stop.wait(0.05):
                    break
                sock.sendall(b"%")
        elif reply.kind == "huge":
            block = b"x" * 65536
            for _ in range(160):  # 10 MB
                sock.sendall(block)

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def corpus_text(name: str) -> bytes:
    return (CORPUS / "responses" / name).read_bytes()


# ---------------------------------------------------------------------------- RDAP server


@dataclass
class HttpReply:
    status: int = 200
    body: bytes | dict[str, Any] = b""
    headers: dict[str, str] = field(default_factory=dict)
    silent: bool = False


class RdapServerThread:
    """An HTTP server on 127.0.0.1: `routes[path]` is a reply or a list of replies in turn."""

    def __init__(self) -> None:
        self.routes: dict[str, HttpReply | list[HttpReply]] = {}
        self.requests: list[str] = []
        self.request_times: list[float] = []
        self.counter = Counter()
        self.stop = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.counter.enter()
                try:
                    owner._serve(self)
                finally:
                    owner.counter.leave()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self.server = Server((LOOPBACK, 0), Handler)
        self.port = self.server.server_address[1]
        self.base = f"http://{LOOPBACK}:{self.port}/rdap/"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://{LOOPBACK}:{self.port}{path}"

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        self.requests.append(path)
        self.request_times.append(time.monotonic())
        route = self.routes.get(path.lower())
        if isinstance(route, list):
            reply = route.pop(0) if len(route) > 1 else route[0]
        else:
            reply = route or HttpReply(404, {"errorCode": 404, "title": "Not Found"})
        if reply.silent:
            self.stop.wait(10)
            return
        body = reply.body
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        handler.send_response(reply.status)
        content_type = "application/rdap+json" if isinstance(body, dict) else "text/html"
        handler.send_header("Content-Type", reply.headers.get("Content-Type", content_type))
        for key, value in reply.headers.items():
            if key != "Content-Type":
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(raw)))
        handler.end_headers()
        handler.wfile.write(raw)

    def serve_corpus(self, domain: str, file: str, *, related: str | None = None) -> dict[str, Any]:
        """Serve a corpus RDAP file for `domain`, its related links pointed at `related`."""
        data: dict[str, Any] = json.loads((CORPUS / "rdap" / file).read_text("utf-8"))
        for link in data.get("links", []):
            if link.get("rel") == "related":
                link["href"] = related or self.url(f"/related/domain/{domain}")
                link["value"] = link["href"]
        self.routes[f"/rdap/domain/{domain}"] = HttpReply(200, data)
        return data

    def bootstrap_file(self, folder: Path, tlds: list[str]) -> Path:
        path = folder / "dns.json"
        path.write_text(
            json.dumps(
                {
                    "version": "1.0",
                    "publication": "2024-01-01T00:00:00Z",
                    "services": [[tlds, [self.base]]],
                }
            ),
            "utf-8",
        )
        return path

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
