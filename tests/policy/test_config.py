"""Policies: shipped sets, extends, scoping, and strict validation with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialgov.errors import InputError
from socialgov.model import Severity
from socialgov.policy.config import default_policy, load_policy_paths
from socialgov.policy.rules import RULES


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Rules the default policy lists but leaves off, each enabled by `strict`.
OFF_BY_DEFAULT = {
    "defensive-registration-gap",
    "dnssec-missing",
}  # SPEC §8, §9: strict turns them on


def test_default_policy_enables_every_rule_at_its_default_severity() -> None:
    policy = default_policy()
    assert set(policy.rules) == set(RULES)
    for rule_id, rule in RULES.items():
        assert policy.rules[rule_id].enabled is (rule_id not in OFF_BY_DEFAULT)
        assert policy.rules[rule_id].severity is rule.info.severity
    strict = load_policy_paths([Path("strict")])
    assert all(strict.rules[rule_id].enabled for rule_id in OFF_BY_DEFAULT)


def test_strict_extends_default_and_overrides() -> None:
    strict = load_policy_paths([Path("strict")])
    assert set(strict.rules) == set(RULES)
    assert strict.rules["mfa-missing"].severity is Severity.HIGH
    assert strict.rules["review-overdue"].options["max_age_days"] == 90
    assert strict.rules["min-owners"].options["min"] == 2  # inherited


def test_relative_extends_and_scoping(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", '[rules.orphaned]\nseverity = "critical"\n')
    child = write(
        tmp_path / "sub" / "team.toml",
        'extends = "../base.toml"\n[rules.min-owners]\nmin = 3\nkinds = ["domain"]\ntags = ["brand"]\n'
        "[rules.mfa-missing]\nenabled = false\n",
    )
    policy = load_policy_paths([child])
    assert policy.rules["orphaned"].severity is Severity.CRITICAL
    assert policy.rules["min-owners"].options == {"min": 3}
    assert policy.rules["min-owners"].tags == frozenset({"brand"})
    assert not policy.rules["mfa-missing"].enabled
    assert "review-overdue" not in policy.rules  # a policy without extends runs only what it names


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[rules.orphaned]\n\n[rules.orphand]\n", 3, "unknown rule 'orphand'"),
        ("[rules.min-owners]\nmin = 2\nmax = 4\n", 3, "no option 'max'"),
        ('[rules.min-owners]\nmin = "two"\n', 2, "expected a whole number"),
        ('[rules.orphaned]\nseverity = "urgent"\n', 2, "expected one of"),
        ('[rules.orphaned]\nkinds = ["domains"]\n', 2, "expected a list of"),
        ("[rules.orphaned]\nenabled = 1\n", 2, "true or false"),
        ("descriptoin = 'x'\n", 1, "unknown key"),
        ('extends = "nonexistent"\n', 1, "no shipped policy"),
        ('extends = "./missing.toml"\n', 1, "no such policy file"),
        ("[rules.orphaned\n", 1, "invalid TOML"),
    ],
)
def test_invalid_policy_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    path = write(tmp_path / "p.toml", text)
    with pytest.raises(InputError) as caught:
        load_policy_paths([path])
    assert caught.value.line == line
    assert caught.value.file.endswith("p.toml")
    assert words in str(caught.value)


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    write(tmp_path / "b.toml", 'extends = "./a.toml"\n')
    with pytest.raises(InputError, match="cycle"):
        load_policy_paths([tmp_path / "a.toml"])


def test_error_in_extended_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path / "base.toml", "[rules.orphaned]\n\n\nbogus = 1\n")
    child = write(tmp_path / "child.toml", 'extends = "base.toml"\n')
    with pytest.raises(InputError) as caught:
        load_policy_paths([child])
    assert caught.value.file.endswith("base.toml") and caught.value.line == 4
