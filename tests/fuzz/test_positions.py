"""Load errors the fuzzer meets most, each at its file:line(:col): the line cap and errors
tomllib reports "at end of document"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.generator import BASE, make_template
from tests.fuzz.runner import cached_command, run

CASES = {
    "over-long line": (
        "people.toml",
        BASE["people.toml"] + 'notes = "' + "x" * 70_000 + '"\n',
        "people.toml:14: the line is longer",
    ),
    "unclosed table header at the end": (
        "waivers.toml",
        BASE["waivers.toml"] + "[[waiver",
        "waivers.toml:7:",
    ),
    "key without value at the end": (
        "assets/domains/example.com.toml",
        BASE["assets/domains/example.com.toml"] + "tags =",
        "assets/domains/example.com.toml:9:",
    ),
    "unclosed multi-line string": (
        "socialgov.toml",
        BASE["socialgov.toml"] + 'x = """\nnever closed\n',
        "socialgov.toml:",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_load_errors_name_their_line(tmp_path: Path, case: str) -> None:
    rel, text, where = CASES[case]
    root = make_template(tmp_path / "reg")
    (root / rel).write_text(text, encoding="utf-8")
    with cached_command():
        for args in (("audit",), ("check", "--base", "HEAD")):
            outcome = run(root, args)
            assert outcome.code == 2, (args, outcome.stderr)
            assert where in outcome.stderr, (args, outcome.stderr)
            assert outcome.problem() is None, outcome.stderr
