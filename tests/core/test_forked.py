"""socialgov.forked: work done in a child gives what the parent would have computed, and a
child that fails or is not waited for changes nothing."""

from __future__ import annotations

import os
import time

import pytest

from socialgov import forked as forked_module
from socialgov.errors import UsageError
from socialgov.forked import Forked, forked

needs_fork = pytest.mark.skipif(
    not forked_module.can_fork(), reason="the work runs in-process without fork and two cores"
)


@needs_fork
def test_the_work_runs_in_a_child_that_sees_the_parents_memory() -> None:
    shared = {"registry": list(range(1000))}
    with forked(lambda: (os.getpid(), sum(shared["registry"]))) as job:
        shared["registry"] = []  # the child has its own copy from the moment of the fork
        pid, total = job.result()
    assert pid != os.getpid()
    assert total == sum(range(1000))


@needs_fork
def test_a_child_that_fails_leaves_the_work_to_the_parent() -> None:
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            os._exit(3)  # killed, crashed: no result comes back
        return "computed by the parent"

    with forked(work) as job:
        assert job.result() == "computed by the parent"


def test_an_error_of_the_work_is_the_one_the_serial_run_raises() -> None:
    def work() -> None:
        raise UsageError("--months 0: expected 1 to 120")

    with forked(work) as job, pytest.raises(UsageError, match="--months 0"):
        job.result()


def test_without_fork_the_work_runs_in_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked_module, "can_fork", lambda: False)
    job = Forked(os.getpid)
    assert job.pid is None
    assert job.result() == os.getpid()


@needs_fork
def test_a_child_whose_result_is_never_asked_for_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(KeyError), forked(lambda: time.sleep(60)) as job:
        pid = job.pid
        raise KeyError("the body failed")
    assert time.monotonic() - started < 10
    assert pid is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped already
