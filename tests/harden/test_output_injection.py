"""Registry values and server answers cannot put escape codes or workflow commands in output."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git
from tests.harden.conftest import run

EVIL = (
    "Evil\n::error file=x::forged\x1b]0;title\x07\x1b[31mred\r::add-mask::x"
    "\u202eevil\u2066x\u2028::y"  # a bidirectional override and isolate, a line separator
)


def _assert_clean(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\r" not in text
    assert not set(text) & {"\u202e", "\u2066", "\u2028"}, text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines()), text


def test_show_list_history_escape_registry_values(small: Path) -> None:
    path = small / "assets" / "domains" / "example.com.toml"
    path.write_text(path.read_text() + f"registrar = {json.dumps(EVIL)}\n")
    git(small, "commit", "-qam", "evil registrar")
    for args in (
        ("show", "domain:example.com"),
        ("list",),
        ("history", "domain:example.com"),
        ("audit",),
    ):
        result = run(small, *args)
        assert result.code in (0, 1), (args, result.stderr)
        _assert_clean(result.stdout)
        _assert_clean(result.stderr)


def test_an_error_message_cannot_start_a_workflow_command(small: Path) -> None:
    path = small / "assets" / "domains" / "example.com.toml"
    path.write_text(path.read_text() + '"x\\n::stop-commands::tok\\u001b[2J" = 1\n')
    result = run(small, "audit")
    assert result.code == 2
    _assert_clean(result.stderr)
    assert "assets/domains/example.com.toml:" in result.stderr


def test_json_output_escapes_what_a_terminal_would_act_on(small: Path) -> None:
    """`list --format json` keeps the value (it parses back the same) but shows bidirectional
    overrides, line separators and C1 controls as \\uXXXX escapes."""
    path = small / "assets" / "domains" / "example.com.toml"
    value = "Ex\u202eample\u2028::x\x9b2J"
    path.write_text(path.read_text() + f"registrar = {json.dumps(value)}\n")
    result = run(small, "list", "--format", "json")
    assert result.code == 0, result.stderr
    assert not set(result.stdout) & {"\u202e", "\u2028", "\x9b"}
    assert value in json.dumps(json.loads(result.stdout), ensure_ascii=False)
