"""One piece of work done in a forked child while the parent goes on with the rest.

The child sees the parent's memory as it was at the fork (nothing is sent to it) and sends
back only its pickled result. Where there is no fork or a single core, or the child fails
in any way, the parent does the work itself when it asks for the result, so the outcome
(a value or the error) is always the one the serial program would give.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform == "linux" and (os.cpu_count() or 1) > 1


class Forked(Generic[T]):
    """`work()` started in a child; `result()` is its value."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.pid: int | None = None
        self.reader: int | None = None
        if can_fork():
            self._start()

    def _start(self) -> None:
        reader, writer = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            return
        if pid == 0:  # the child: never returns into the caller's code
            code = 1
            try:
                os.close(reader)
                data = pickle.dumps(self.work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writer, "wb") as pipe:
                    pipe.write(data)
                code = 0
            except BaseException:
                pass  # the parent does the work again, and reports what fails
            finally:
                os._exit(code)  # no exit handlers, no flushing of the parent's buffers
        os.close(writer)
        self.pid, self.reader = pid, reader

    def result(self) -> T:
        if self.pid is not None and self.reader is not None:
            with os.fdopen(self.reader, "rb") as pipe:
                self.reader = None
                data = pipe.read()
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            if os.waitstatus_to_exitcode(status) == 0:
                with contextlib.suppress(Exception):
                    value: T = pickle.loads(data)  # our own child's bytes, from a pipe
                    return value
        return self.work()

    def close(self) -> None:
        """Stop a child whose result nobody will ask for."""
        if self.reader is not None:
            os.close(self.reader)
            self.reader = None
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = None


@contextlib.contextmanager
def forked(work: Callable[[], T]) -> Iterator[Forked[T]]:
    """`work` under way in a child for the body of the `with`; a child left running when the
    body ends (its result never asked for, or an error) is stopped."""
    job = Forked(work)
    try:
        yield job
    finally:
        job.close()
