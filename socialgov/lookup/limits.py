"""Per-server limits on queries in flight: a slot per query, at most `per_server` per host."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

# slot(server) → a context manager held while one query to `server` is in flight.
Slot = Callable[[str], AbstractContextManager[object]]


def no_slot(server: str) -> AbstractContextManager[object]:
    return nullcontext()


class ServerSlots:
    """Counts queries in flight per server; `slot(server)` blocks while the server is full.

    A scheduler that takes a slot for a target's server when it hands the target to a
    thread holds it as that thread's `reservation`: the thread's first query to that
    server uses it, and it is given back when the target is done if no query did."""

    def __init__(self, per_server: int) -> None:
        self.per_server = max(1, per_server)
        self.changed = threading.Condition()
        self._in_flight: dict[str, int] = {}
        self._local = threading.local()

    def has_room(self, server: str) -> bool:
        """Call with `changed` held."""
        return self._in_flight.get(server, 0) < self.per_server

    def take(self, server: str) -> None:
        """Call with `changed` held and room for `server`."""
        self._in_flight[server] = self._in_flight.get(server, 0) + 1

    def release(self, server: str) -> None:
        with self.changed:
            self._in_flight[server] -= 1
            self.changed.notify_all()

    @contextmanager
    def slot(self, server: str) -> Iterator[None]:
        if getattr(self._local, "reserved", None) == server:
            self._local.reserved = None  # this query uses the thread's reservation
        else:
            with self.changed:
                while not self.has_room(server):
                    self.changed.wait()
                self.take(server)
        try:
            yield
        finally:
            self.release(server)

    @contextmanager
    def reservation(self, server: str | None) -> Iterator[None]:
        """Hold the slot the scheduler took for `server` while this thread works on a target."""
        self._local.reserved = server
        try:
            yield
        finally:
            left, self._local.reserved = self._local.reserved, None
            if left is not None:
                self.release(left)
