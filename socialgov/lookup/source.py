"""Observation sources behind one interface, and the scheduler that runs any of them.

A source (DNS, web) turns a target into an observation and names the server each target
hits; the scheduler keeps `concurrency` targets in flight, at most `per_server` on one
server, and returns the observations in the order asked. Neither the scheduler nor the CLI
branches on which source it runs. A source records lookup failures in the observation
(NXDOMAIN, a timeout, a refused connection); it raises only for bad settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
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

    def server_for(self, target: T_contra) -> str:
        """The server (resolver, web host) that `target` makes the source contact."""
        ...

    def observe(self, target: T_contra) -> R_co:
        """The observation of one target; failures of the lookup are recorded in it."""
        ...

    def session(self) -> AbstractContextManager[object]:
        """Shared resources (connection pools) held while a batch runs."""
        ...


def gather(
    source: Source[T, R], targets: Sequence[T], *, progress: Progress | None = None
) -> list[R]:
    """Observe every target through `source`, in parallel within its limits, in order."""
    if not targets:
        return []
    slots = ServerSlots(source.per_server)
    servers = [source.server_for(t) for t in targets]
    done = 0

    def one(index: int) -> R:
        with slots.slot(servers[index]):
            return source.observe(targets[index])

    results: dict[int, R] = {}
    with source.session(), ThreadPoolExecutor(max_workers=source.concurrency) as pool:
        futures = {pool.submit(one, i): i for i in _interleaved(servers)}
        for future, index in futures.items():
            results[index] = future.result()
            done += 1
            if progress is not None:
                progress(done, len(targets))
    return [results[i] for i in range(len(targets))]


def _interleaved(servers: Sequence[str]) -> Iterator[int]:
    """Indexes round-robin over servers, so one busy server does not hold every worker."""
    queues: dict[str, list[int]] = {}
    for index, server in enumerate(servers):
        queues.setdefault(server, []).append(index)
    lanes = list(queues.values())
    for depth in range(max(len(lane) for lane in lanes)):
        for lane in lanes:
            if depth < len(lane):
                yield lane[depth]
