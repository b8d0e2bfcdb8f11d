"""Registry values and server answers cannot put escape codes or workflow commands in output."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git
from tests.harden.conftest import run

EVIL = "Evil\n::error file=x::forged\x1b]0;title\x07\x1b[31mred\r::add-mask::x"


def _assert_clean(text: str) -> None:
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\r" not in text
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
