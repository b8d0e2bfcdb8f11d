"""Never truncate an id, a handle, a path or an e-mail: narrow terminals and pipes."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Cli

TODAY = ("--today", "2026-11-23")
# A pipe gets plain lines whatever COLUMNS says, so one width is enough there.
MODES = [
    pytest.param(columns, terminal, id=f"{columns}-{'tty' if terminal else 'pipe'}")
    for columns, terminal in (("80", True), ("60", True), ("60", False))
]


def _env(columns: str, terminal: bool) -> dict[str, str]:
    return {"COLUMNS": columns, "TTY_COMPATIBLE": "1" if terminal else "0", "NO_COLOR": "1"}


def _whole(output: str, words: set[str]) -> None:
    missing = sorted(w for w in words if w not in output)
    assert not missing, missing


@pytest.mark.parametrize(("columns", "terminal"), MODES)
def test_list_prints_every_id_and_file_whole(sample: Cli, columns: str, terminal: bool) -> None:
    assets = json.loads(sample("list", "-f", "json").stdout)
    result = sample(*TODAY, "list", env=_env(columns, terminal))
    assert result.code == 0, result.stderr
    _whole(result.stdout, {a["id"] for a in assets} | {a["file"] for a in assets})
    assert "…" not in result.stdout
    if terminal:
        assert "┃" not in result.stdout  # stacked, not a squeezed table
        assert "\n  owners: " in result.stdout and "\n  file: assets/" in result.stdout
    else:
        assert "\t" in result.stdout and "  " not in result.stdout.split("\n", 1)[1]


@pytest.mark.parametrize(("columns", "terminal"), MODES)
def test_audit_prints_every_finding_asset_and_file_whole(
    sample: Cli, columns: str, terminal: bool
) -> None:
    findings = json.loads(sample(*TODAY, "audit", "--fail-on", "none", "-f", "json").stdout)
    result = sample(*TODAY, "audit", "--fail-on", "none", env=_env(columns, terminal))
    assert result.code == 0, result.stderr
    words = {f["asset"] for f in findings["findings"]}
    words |= {f"{f['file']}:{f['line']}" for f in findings["findings"]}
    _whole(result.stdout, words)


@pytest.mark.parametrize(("columns", "terminal"), MODES)
def test_people_show_prints_every_asset_whole(sample: Cli, columns: str, terminal: bool) -> None:
    details = json.loads(sample(*TODAY, "people", "show", "marcus", "-f", "json").stdout)
    result = sample(*TODAY, "people", "show", "marcus", env=_env(columns, terminal))
    assert result.code == 0, result.stderr
    _whole(result.stdout, set(details["assets"]) | {details["person"]["email"]})


@pytest.mark.parametrize(("columns", "terminal"), MODES)
def test_show_prints_the_id_and_file_whole(sample: Cli, columns: str, terminal: bool) -> None:
    assets = json.loads(sample("list", "-f", "json").stdout)
    longest = {
        kind: max((a for a in assets if a["kind"] == kind), key=lambda a: len(a["file"]))
        for kind in ("domain", "blog", "social")
    }
    for asset in longest.values():
        result = sample(*TODAY, "show", asset["id"], env=_env(columns, terminal))
        assert result.code == 0, result.stderr
        _whole(result.stdout, {asset["id"], asset["file"]})


def test_a_wide_terminal_gets_a_table_with_whole_words(sample: Cli) -> None:
    result = sample(*TODAY, "list", env=_env("200", True))
    assert "┃" in result.stdout or "│" in result.stdout
    assert "assets/domains/northwind-events.example.toml" in result.stdout
