"""Observation sources behind one interface, and the scheduler that runs any of them.

A source (DNS, web) turns a target into an observation and names the server each target
hits; the scheduler keeps `concurrency` targets in flight, at most `per_server` on one
server, and returns the observations in the order asked. Neither the scheduler nor the CLI
branches on which source it runs. A source records lookup failures in the observation
(NXDOMAIN, a timeout, a refused connection); it raises only for bad settings.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

from socialgov.lookup.limits import ServerSlots

T_contra = TypeVar("T_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)
T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int, int], None]  # (done, total)


class Source(Protocol[T_contra, R_co]):
    """One kind of observation: `name` is its folder under observations/ and its command."""

    name: str
    concurrency: int  # targets in flight at once
    per_server: int  # targets in flight at once on one server

    def server_for(self, target: T_contra) -> str | None:
        """The server (resolver, web host, registry) that `target` makes the source contact
        first; None when it is not known before asking."""
        ...

    def observe(self, target: T_contra) -> R_co:
        """The observation of one target; failures of the lookup are recorded in it."""
        ...

    def session(self) -> AbstractContextManager[object]:
        """Shared resources (connection pools) held while a batch runs."""
        ...


def gather(
    source: Source[T, R],
    targets: Sequence[T],
    *,
    progress: Progress | None = None,
    slots: ServerSlots | None = None,
) -> list[R]:
    """Observe every target through `source`, in parallel within its limits, in order.

    A free thread takes the next target whose server has room (servers in turn, so one
    busy server holds no thread while another's targets wait) and holds that server's
    slot while it observes the target; a source whose observation queries more servers
    passes `slots` and takes theirs with `slots.slot` (the first query to the target's
    own server uses the slot already held). Interrupted, no new target is started."""
    if not targets:
        return []
    slots = slots or ServerSlots(source.per_server)
    lanes: dict[str | None, deque[int]] = {}
    for index, target in enumerate(targets):
        lanes.setdefault(source.server_for(target), deque()).append(index)
    results: dict[int, R] = {}
    done = [0]

    def next_target() -> tuple[int, str | None] | None:
        with slots.changed:
            while lanes:
                for server, lane in lanes.items():
                    if server is None or slots.has_room(server):
                        index = lane.popleft()
                        if not lane:
                            del lanes[server]
                        if server is not None:
                            slots.take(server)
                        return index, server
                slots.changed.wait()
            return None

    def work() -> None:
        while (picked := next_target()) is not None:
            index, server = picked
            with slots.reservation(server):
                results[index] = source.observe(targets[index])
            if progress is not None:
                with slots.changed:
                    done[0] += 1
                    progress(done[0], len(targets))

    workers = max(1, min(source.concurrency, len(targets)))
    with source.session():
        pool = ThreadPoolExecutor(workers, thread_name_prefix=f"observe-{source.name}")
        try:
            for future in [pool.submit(work) for _ in range(workers)]:
                future.result()
        except BaseException:
            with slots.changed:  # interrupted: no thread starts another target
                lanes.clear()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    return [results[i] for i in range(len(targets))]
