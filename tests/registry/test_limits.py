"""Shape limits: nesting is refused one bracket past MAX_DEPTH, and only real brackets count."""

from __future__ import annotations

import pytest

from socialgov.errors import InputError
from socialgov.registry.limits import MAX_DEPTH, check_shape


def nested(depth: int) -> str:
    return "x = " + "[" * depth + "]" * depth + "\n"


def test_nesting_at_the_limit_passes_and_one_deeper_is_refused() -> None:
    check_shape(nested(MAX_DEPTH), "a.toml")
    with pytest.raises(InputError) as caught:
        check_shape(nested(MAX_DEPTH + 1), "a.toml")
    assert caught.value.line == 1 and caught.value.column == 5 + MAX_DEPTH


def test_brackets_in_strings_and_comments_do_not_count() -> None:
    text = 'x = "' + "[" * 200 + '"\n# ' + "{" * 200 + "\ny = [[1], [2]]\n"
    check_shape(text, "a.toml")
    with pytest.raises(InputError):
        check_shape(text + nested(MAX_DEPTH + 1), "a.toml")


def test_dotted_keys_at_the_limit_pass_and_one_part_more_is_refused() -> None:
    from socialgov.registry.limits import MAX_KEY_PARTS

    def dotted(parts: int, dot: str = ".") -> str:
        return 'notes = "a.b"\n' + dot.join(f"k{i}" for i in range(parts)) + " = 1\n"

    check_shape(dotted(MAX_KEY_PARTS), "a.toml")
    for dot in (".", " . "):
        with pytest.raises(InputError) as caught:
            check_shape(dotted(MAX_KEY_PARTS + 1, dot), "a.toml")
        assert caught.value.line == 2 and caught.value.column == 1
