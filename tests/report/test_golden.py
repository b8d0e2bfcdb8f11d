"""Every report format, byte for byte, for one small fixed registry.

The expected outputs live in `golden/`. After an intended change to a reporter, refresh
them with `SOCIALGOV_UPDATE_GOLDEN=1 pytest tests/report/test_golden.py` and review the diff;
without that variable a difference fails the test.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from socialgov import __version__
from socialgov.errors import InputError
from socialgov.policy.engine import audit
from socialgov.policy.inputs import working_tree_inputs
from socialgov.policy.result import AuditResult
from socialgov.report import REPORTERS, ReportContext
from socialgov.report.base import owners_by_asset

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("SOCIALGOV_UPDATE_GOLDEN") == "1"
TODAY = date(2026, 11, 15)
FILES = {
    "socialgov.toml": '[organization]\nname = "Example Corp"\nemail_domains = ["example.com"]\n',
    "people.toml": '[people.alice]\nname = "Alice"\nemail = "alice@example.com"\n\n'
    '[people.bob]\nname = "Bob"\nemail = "bob@example.com"\nstatus = "departed"\n',
    "assets/domains/example.com.toml": 'owners = ["alice", "bob"]\ncriticality = "high"\n\n'
    "[domain]\nexpires = 2026-11-20\n",
    "assets/blogs/eng.toml": 'owners = []\n\n[blog]\nurl = "https://blog.example.com/"\n',
    "assets/social/x/examplecorp.toml": 'owners = ["alice"]\n\n[social]\nmfa = false\n',
}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditResult, ReportContext]:
    root = tmp_path_factory.mktemp("golden")
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    inputs = working_tree_inputs(root)
    return audit(inputs, today=TODAY), ReportContext(
        owners=owners_by_asset(inputs.registry), prefix="governance"
    )


def _check(name: str, text: str) -> None:
    """Compare `text` with golden/`name` (the version shown as VERSION so a release changes nothing)."""
    text = text.replace(__version__, "VERSION")
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with SOCIALGOV_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is intended, refresh with "
        "SOCIALGOV_UPDATE_GOLDEN=1 and review the diff"
    )


def _suffix(fmt: str) -> str:
    return {"json": "json", "sarif": "sarif.json", "junit": "xml", "markdown": "md"}.get(
        fmt, f"{fmt}.txt"
    )


@pytest.mark.parametrize("fmt", list(REPORTERS))
def test_audit_output(fmt: str, result: tuple[AuditResult, ReportContext]) -> None:
    audited, context = result
    assert audited.findings, "the fixed registry must produce findings"
    _check(f"audit.{_suffix(fmt)}", REPORTERS[fmt]().render(audited, context))


@pytest.mark.parametrize("fmt", list(REPORTERS))
def test_check_output_with_new_fixed_and_preexisting(
    fmt: str, result: tuple[AuditResult, ReportContext]
) -> None:
    audited, context = result
    first, *rest = audited.findings
    assert rest, "the fixed registry must produce a new and a pre-existing finding"
    fixed = replace(first, rule="review-overdue", message="the fixed finding")
    compared = replace(
        context, baseline=frozenset({first.fingerprint}), fixed=(fixed,), base="HEAD"
    )
    _check(f"check.{_suffix(fmt)}", REPORTERS[fmt]().render(audited, compared))


@pytest.mark.parametrize("fmt", list(REPORTERS))
def test_invalid_file_output(fmt: str, result: tuple[AuditResult, ReportContext]) -> None:
    _, context = result
    error = InputError(
        "expected a list of owner ids, got a string",
        file="assets/domains/example.com.toml",
        line=1,
        column=10,
        hint='write owners = ["alice"]',
    )
    _check(f"invalid.{_suffix(fmt)}", REPORTERS[fmt]().render_errors([error], context))
