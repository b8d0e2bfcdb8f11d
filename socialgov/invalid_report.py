"""An invalid registry file, reported in a CI format so the pull request shows it at its line."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from socialgov import __version__
from socialgov.errors import InputError


def render_invalid(format: str, error: InputError, prefix: str) -> str | None:
    """The error in `format`, or None for formats meant for people (stderr says it already)."""
    path = f"{prefix}/{error.file}" if prefix else error.file
    line = error.line or 1
    message = error.detail + (f" ({error.hint})" if error.hint else "")
    if format == "github":
        col = f",col={error.column}" if error.column else ""
        return f"::error file={_prop(path)},line={line}{col},title=socialgov: invalid file::{_data(message)}\n"
    if format == "json":
        entry = {"file": error.file, "line": line, "column": error.column, "message": message}
        return (
            json.dumps(
                {"findings": [], "errors": [entry], "summary": {"findings": 0, "errors": 1}},
                indent=2,
            )
            + "\n"
        )
    if format == "sarif":
        region: dict[str, int] = {"startLine": line}
        if error.column:
            region["startColumn"] = error.column
        run = {
            "tool": {
                "driver": {
                    "name": "socialgov",
                    "version": __version__,
                    "informationUri": "https://github.com/socialgov/socialgov",
                    "rules": [
                        {
                            "id": "invalid-file",
                            "name": "InvalidFile",
                            "shortDescription": {"text": "A registry file does not load"},
                            "defaultConfiguration": {"level": "error"},
                        }
                    ],
                }
            },
            "invocations": [{"executionSuccessful": False}],
            "results": [
                {
                    "ruleId": "invalid-file",
                    "ruleIndex": 0,
                    "level": "error",
                    "message": {"text": message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                                "region": region,
                            }
                        }
                    ],
                }
            ],
        }
        sarif = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [run],
        }
        return json.dumps(sarif, indent=2) + "\n"
    if format == "junit":
        suites = ElementTree.Element(
            "testsuites", name="socialgov", tests="1", failures="0", errors="1"
        )
        suite = ElementTree.SubElement(
            suites, "testsuite", name="validate", tests="1", failures="0", errors="1"
        )
        case = ElementTree.SubElement(suite, "testcase", classname="validate", name=path)
        ElementTree.SubElement(
            case, "error", message=message, type="invalid-file"
        ).text = f"{path}:{line}: {message}"
        return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
    if format == "markdown":
        return f"### socialgov check\n\n**Invalid file** `{path}:{line}`: {message}\n"
    return None


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
