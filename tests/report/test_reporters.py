"""Every reporter: wired to the CLI, and each format checked by what reads it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from socialgov.cli.audit import AuditFormat
from socialgov.model import AssetId, Severity
from socialgov.policy.engine import audit
from socialgov.policy.inputs import working_tree_inputs
from socialgov.policy.result import AuditResult, Finding
from socialgov.report import REPORTERS, ReportContext
from socialgov.report.base import owners_by_asset
from socialgov.report.github import annotation, escape_data, escape_property
from socialgov.report.paths import repo_prefix

TODAY = date(2026, 11, 15)
SCHEMA = Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json"
SETTINGS = '[organization]\nname = "Example Corp"\nemail_domains = ["example.com"]\n'
PEOPLE = (
    '[people.alice]\nname = "Alice"\nemail = "alice@example.com"\n\n'
    '[people.bob]\nname = "Bob"\nemail = "bob@example.com"\nstatus = "departed"\n'
)
FILES = {
    "socialgov.toml": SETTINGS,
    "people.toml": PEOPLE,
    "assets/domains/example.com.toml": 'owners = ["alice", "bob"]\ncriticality = "high"\n\n[domain]\nexpires = 2026-11-20\n',
    "assets/social/x/examplecorp.toml": 'owners = ["alice"]\n\n[social]\nmfa = false\n',
    "waivers.toml": '[[waiver]]\nrule = "mfa-missing"\nasset = "social:x/examplecorp"\n'
    'reason = "no MFA: the platform, 100%"\napproved_by = "alice"\nexpires = 2027-01-01\n',
}


def _git(cwd: Path, *args: str) -> None:
    import subprocess

    env = {
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_AUTHOR_DATE": "2026-11-01T12:00:00+00:00", "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00",
        "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(cwd),
    }  # fmt: skip
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditResult, ReportContext]:
    """A registry in the sub-folder `governance/` of a git repository, audited."""
    top = tmp_path_factory.mktemp("repo")
    _git(top, "init", "-q")
    root = top / "governance"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    _git(top, "add", "-A")
    _git(top, "commit", "-q", "-m", "registry")
    inputs = working_tree_inputs(root)
    registry = inputs.registry
    result = audit(inputs, today=TODAY)
    return result, ReportContext(owners=owners_by_asset(registry), prefix=repo_prefix(root))


def test_every_format_is_wired() -> None:
    assert [f.value for f in AuditFormat] == list(REPORTERS)
    for name, cls in REPORTERS.items():
        assert cls.name == name and cls.description


@pytest.mark.parametrize("name", list(REPORTERS))
def test_every_reporter_renders(name: str, setup: tuple[AuditResult, ReportContext]) -> None:
    result, context = setup
    text = REPORTERS[name]().render(result, context)
    assert "mfa-missing" in text and "departed-owner" in text


def test_prefix_is_the_registry_folder(setup: tuple[AuditResult, ReportContext]) -> None:
    assert setup[1].prefix == "governance"


def test_json_shape_and_baseline(setup: tuple[AuditResult, ReportContext]) -> None:
    result, context = setup
    plain = json.loads(REPORTERS["json"]().render(result, context))
    assert set(plain) == {"findings", "summary"}
    assert "new" not in plain["findings"][0]
    assert plain["findings"][0]["file"].startswith("assets/")  # registry-relative, SPEC §3
    old = frozenset({result.findings[0].fingerprint})
    marked = json.loads(REPORTERS["json"]().render(result, ReportContext(baseline=old)))
    assert [f["new"] for f in marked["findings"]] == [False] + [True] * (len(result.findings) - 1)


def test_sarif_is_valid_and_complete(setup: tuple[AuditResult, ReportContext]) -> None:
    result, context = setup
    document = json.loads(REPORTERS["sarif"]().render(result, context))
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and all(r["help"]["text"] for r in rules)
    for sarif_result, finding in zip(run["results"], result.findings, strict=True):
        assert ids[sarif_result["ruleIndex"]] == sarif_result["ruleId"] == finding.rule
        location = sarif_result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {
            "uri": f"governance/{finding.file}",
            "uriBaseId": "%SRCROOT%",
        }
        assert location["region"]["startLine"] == finding.line
        assert sarif_result["partialFingerprints"]["socialgov/v1"] == finding.fingerprint
        assert ("suppressions" in sarif_result) == finding.waived


def test_sarif_schema_rejects_broken_documents() -> None:
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_junit_one_case_per_rule_and_asset(
    setup: tuple[AuditResult, ReportContext], tmp_path: Path
) -> None:
    result, context = setup
    path = tmp_path / "junit.xml"
    path.write_text(REPORTERS["junit"]().render(result, context), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    cases = {(case.classname, case.name): case for suite in xml for case in suite}
    expected = {(rule, str(a)) for rule, assets in result.checked.items() for a in assets}
    assert set(cases) == expected
    departed = cases[("departed-owner", "domain:example.com")]
    assert any(isinstance(r, Failure) for r in departed.result)
    waived = cases[("mfa-missing", "social:x/examplecorp")]
    assert any(isinstance(r, Skipped) for r in waived.result)
    clean = cases[("unknown-owner", "domain:example.com")]
    assert clean.is_passed
    failures = sum(1 for c in cases.values() if any(isinstance(r, Failure) for r in c.result))
    assert failures == len({(f.rule, f.asset) for f in result.findings if not f.waived})


def test_github_annotations_point_at_the_line(setup: tuple[AuditResult, ReportContext]) -> None:
    result, context = setup
    lines = REPORTERS["github"]().render(result, context).splitlines()
    assert len(lines) == len(result.findings)
    departed = next(line for line in lines if "departed-owner" in line)
    assert departed.startswith(
        "::error file=governance/assets/domains/example.com.toml,line=1,title=departed-owner (high)::"
    )
    waived = next(line for line in lines if "mfa-missing" in line)
    assert waived.startswith("::notice ") and "100%25" in waived and "%0Ahint: " in waived


def test_github_escaping() -> None:
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("x:y,z%") == "x%3Ay%2Cz%25"
    finding = Finding(
        rule="orphaned",
        severity=Severity.MEDIUM,
        asset=AssetId.parse("blog:eng"),
        file="assets/blogs/a,b:c.toml",
        line=3,
        message="two\nlines",
        hint="",
        fingerprint="f",
    )
    assert annotation(finding, ReportContext()) == (
        "::warning file=assets/blogs/a%2Cb%3Ac.toml,line=3,title=orphaned (medium)::blog:eng: two%0Alines"
    )


def test_markdown_summary(setup: tuple[AuditResult, ReportContext]) -> None:
    result, context = setup
    text = REPORTERS["markdown"]().render(result, context)
    assert text.startswith("## socialgov audit")
    assert "| severity | rule | asset |" in text and "<details>" in text
    assert "`governance/assets/domains/example.com.toml:1`" in text


def test_table_groups_by_severity_with_owners(setup: tuple[AuditResult, ReportContext]) -> None:
    result, context = setup
    text = REPORTERS["table"]().render(result, context)
    assert text.index("high: 2") < text.index("medium: 3") < text.index("low: 3")
    assert "alice, bob" in text and "waived" in text


def test_every_command_with_a_report_format_offers_every_reporter() -> None:
    """A reporter added to REPORTERS is offered by audit and check, or this fails."""
    import re

    from typer.testing import CliRunner

    from socialgov.cli.app import build_app

    app = build_app()
    for name in ("audit", "check"):
        result = CliRunner().invoke(app, [name, "--format", "no-such-format"])
        assert result.exit_code == 2
        offered = re.findall(r"'([a-z]+)'", result.output.split("is not one of", 1)[1])
        assert offered == list(REPORTERS), (name, result.output)


@pytest.mark.parametrize("name", list(REPORTERS))
def test_every_reporter_renders_comparisons_and_invalid_files(
    name: str, setup: tuple[AuditResult, ReportContext]
) -> None:
    """Each format renders new/fixed/pre-existing and invalid files (no NotImplementedError)."""
    from dataclasses import replace

    from socialgov.errors import InputError

    result, context = setup
    first, *rest = result.findings
    comparing = replace(
        context,
        baseline=frozenset(f.fingerprint for f in rest),
        fixed=(replace(first, fingerprint="gone", message="fixed one"),),
        title="socialgov check",
    )
    reporter = REPORTERS[name]()
    text = reporter.render(result, comparing)
    assert text and first.rule in text
    errors = [
        InputError("bad value", file="people.toml", line=3, column=7),
        InputError("unknown key", file="assets/blogs/x.toml", line=2),
    ]
    rendered = reporter.render_errors(errors, context)
    assert "people.toml" in rendered and "assets/blogs/x.toml" in rendered
