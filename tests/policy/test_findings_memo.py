"""The findings memo never changes what `audit` says: it is served only while the asset,
its observation and the audit's context (roster, waivers, policy, date, settings) are what
they were when it was written."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Socialgov

from .conftest import change_context, record_observation

MEMO = Path(".socialgov/cache/findings.json")
TODAY = ("--today", "2026-11-20")


def audit(sg: Socialgov, *extra: str, options: tuple[str, ...] = ()) -> str:
    result = sg(*TODAY, *extra, "audit", "--format", "json", "--fail-on", "none", *options)
    assert result.code == 0, result.stderr
    return result.stdout


def same_as_uncached(sg: Socialgov, *extra: str) -> str:
    warm = audit(sg, *extra)
    assert warm == audit(sg, "--no-cache", *extra)
    return warm


def tamper(root: Path) -> None:
    """Rewrite every memoized message, so a run that serves the memo shows it."""
    path = root / MEMO
    document = json.loads(path.read_text())
    for rows, _ in document["entries"].values():
        for row in rows:
            row[4] = "MEMOIZED " + row[4]
    path.write_text(json.dumps(document))


def test_a_warm_audit_is_served_from_the_memo(populated: Path) -> None:
    sg = Socialgov(populated)
    cold = same_as_uncached(sg)
    assert len(json.loads((populated / MEMO).read_text())["entries"]) == 3
    tamper(populated)
    warm = audit(sg)
    assert "MEMOIZED" in warm and warm.replace("MEMOIZED ", "") == cold
    assert "MEMOIZED" not in audit(sg, "--no-cache")


@pytest.mark.parametrize(
    "change",
    ["roster", "today", "waiver", "policy", "observation", "asset"],
)
def test_a_change_of_context_or_asset_is_never_served_the_old_findings(
    populated: Path, change: str
) -> None:
    sg = Socialgov(populated)
    record_observation(populated)
    before = same_as_uncached(sg)
    tamper(populated)
    extra = change_context(sg, populated, change)
    after = audit(sg, *extra)
    memoized_assets = {
        f["asset"] for f in json.loads(after)["findings"] if f["message"].startswith("MEMOIZED")
    }
    if change == "observation" or change == "asset":
        changed = "domain:example.com" if change == "observation" else "social:x/examplecorp"
        assert changed not in memoized_assets  # the others' findings may be served
    else:
        assert not memoized_assets
    assert after.replace("MEMOIZED ", "") == audit(sg, "--no-cache", *extra)
    assert after != before or change == "observation"


def test_a_broken_memo_is_ignored_and_rebuilt(populated: Path) -> None:
    sg = Socialgov(populated)
    cold = same_as_uncached(sg)
    path = populated / MEMO
    whole = path.read_bytes()
    document = json.loads(whole)
    wrong_rows = {key: [[["x"]], ["auto-renew-off"]] for key in document["entries"]}
    row = ["auto-renew-off", "high", "assets/x.toml", 1, "message", "hint", "f"]
    wrong_fields = [
        [*row[:1], "severe", *row[2:]],
        [*row[:3], "1", *row[4:]],
        [*row[:6], 7],
        [None, *row[1:]],
    ]
    for fields in wrong_fields:
        entries = {key: [[fields], ["auto-renew-off"]] for key in document["entries"]}
        path.write_text(json.dumps({"format": document["format"], "entries": entries}))
        assert audit(sg) == cold, fields
    for content in (
        whole[: len(whole) // 2],
        b"[]",
        json.dumps({"format": document["format"], "entries": wrong_rows}).encode(),
        json.dumps({"format": document["format"], "entries": {k: 7 for k in wrong_rows}}).encode(),
    ):
        path.write_bytes(content)
        assert audit(sg) == cold
        assert json.loads(path.read_bytes())["format"] == document["format"]


def test_a_filtered_audit_reads_the_memo_but_keeps_the_whole_one(populated: Path) -> None:
    sg = Socialgov(populated)
    same_as_uncached(sg)
    whole = (populated / MEMO).read_bytes()
    audit(sg, options=("--kind", "domain"))
    audit(sg, options=("--rule", "auto-renew-off"))
    assert (populated / MEMO).read_bytes() == whole


def test_a_cold_audit_across_processes_memoizes_under_the_keys_a_warm_one_looks_up(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold audit makes the assets' memo keys in the forked workers, with their runs; a
    warm audit, which makes them in its own process, must find every one."""
    from socialgov.policy import engine

    record_observation(populated, "Some Registrar")
    sg = Socialgov(populated)
    monkeypatch.setattr(engine, "PARALLEL_MIN", 1)
    monkeypatch.setattr(engine, "_CHUNK", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    made_in = populated.parent / "pids"
    real_key = engine.FindingsMemo.key

    def key(memo: Any, asset: Any) -> str | None:
        with made_in.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return real_key(memo, asset)

    monkeypatch.setattr(engine.FindingsMemo, "key", key)
    cold = audit(sg)
    assert str(os.getpid()) not in set(made_in.read_text().split())  # made by the workers
    assert len(json.loads((populated / MEMO).read_text())["entries"]) == 3
    tamper(populated)
    monkeypatch.setattr(engine, "PARALLEL_MIN", 10**9)
    warm = audit(sg)
    assert warm.count("MEMOIZED") == len(json.loads(cold)["findings"]) >= 1


def test_rules_evaluated_across_processes_give_the_serial_result(
    populated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from socialgov.policy import engine
    from socialgov.policy.inputs import working_tree_inputs

    record_observation(populated, "Some Registrar")
    today = date(2026, 11, 20)
    serial = engine.audit(working_tree_inputs(populated), today=today)
    monkeypatch.setattr(engine, "PARALLEL_MIN", 1)
    monkeypatch.setattr(engine, "_CHUNK", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    real_run = engine._run_rules
    pids = populated.parent / "pids"

    def run(asset: Any, scopes: engine.Scopes) -> engine.AssetRun:
        with pids.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return real_run(asset, scopes)

    monkeypatch.setattr(engine, "_run_rules", run)  # forked workers inherit the patch
    parallel = engine.audit(working_tree_inputs(populated), today=today)
    assert parallel == serial and len(serial.findings) >= 1
    assert parallel.checked == serial.checked
    workers = set(pids.read_text().split())
    assert workers and str(os.getpid()) not in workers  # the rules ran in forked workers
