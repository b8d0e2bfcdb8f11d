"""The error boundary: expected failures are one paragraph; a bug is a short message and a log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialgov.cli.app import run


def test_an_internal_error_prints_a_short_message_and_writes_the_trace(
    populated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socialgov.registry.query

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(socialgov.registry.query, "filter_assets", broken)
    code = run(["--registry", str(populated), "list"])
    err = capsys.readouterr().err
    assert code == 4
    assert err.startswith("socialgov: internal error: RuntimeError: simulated bug")
    assert "Traceback" not in err
    log = re.search(r"the full trace is in (\S+);", err)
    assert log, err
    trace = Path(log.group(1)).read_text()
    assert "Traceback" in trace and "simulated bug" in trace
    Path(log.group(1)).unlink()


def test_expected_errors_are_one_paragraph(
    populated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["--registry", str(populated), "show", "nothing.example"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("socialgov: error: no asset 'nothing.example' in the registry")
    assert len(err.strip().splitlines()) <= 2  # the message and its hint
