"""`whois DOMAIN --from-file F --record` records only a response that is about DOMAIN."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialgov.lookup.parse import saved_answer_domain
from tests.conftest import commit_count, git
from tests.lookup.loopback import CORPUS, corpus_text
from tests.lookup.test_whois_cli import make_registry

LOOKUP = '[lookup]\norder = ["whois"]\ntimeout_s = 1\nwhois_servers = { example = "127.0.0.1:9" }\n'
GANDI = "weppos--whois.gandi.net--registered--gandi.net.txt"


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("whois", corpus_text(GANDI), "gandi.net"),
        ("whois upper case", b"Domain Name: GOOD.EXAMPLE\nRegistrar: R\n", "good.example"),
        ("rdap ldhName", json.dumps({"ldhName": "Other.Example."}).encode(), "other.example"),
        (
            "rdap unicodeName",
            json.dumps({"unicodeName": "bücher.example"}).encode(),
            "xn--bcher-kva.example",
        ),
        ("no domain named", b"Registrar: R\nCreation Date: 2001-01-01\n", None),
    ],
)
def test_the_domain_a_saved_answer_names(name: str, raw: bytes, expected: str | None) -> None:
    assert saved_answer_domain(raw) == expected, name


@pytest.mark.parametrize(
    ("file_name", "raw", "named", "line"),
    [
        ("gandi.txt", corpus_text(GANDI), "gandi.net", 1),
        (
            "google.json",
            (CORPUS / "rdap" / "whodap--google.com.json").read_bytes(),
            "google.com",
            None,
        ),
    ],
)
def test_record_refuses_a_response_for_another_domain(
    tmp_path: Path, file_name: str, raw: bytes, named: str, line: int | None
) -> None:
    root, sg = make_registry(tmp_path, LOOKUP)
    saved = tmp_path / file_name
    saved.write_bytes(raw)
    before = commit_count(root)
    result = sg("whois", "good.example", "--from-file", str(saved), "--record")
    assert result.code == 2, result.stderr
    assert f"the saved response is for {named}, not good.example" in result.stderr
    if line is not None:
        assert f"{saved}:{line}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "observations" / "good.example.toml").exists()
    assert commit_count(root) == before
    assert git(root, "status", "--porcelain") == ""


def test_record_accepts_the_same_domain_in_any_case_and_without_a_name(tmp_path: Path) -> None:
    root, sg = make_registry(tmp_path, LOOKUP)
    before = commit_count(root)
    same = tmp_path / "same.txt"
    same.write_bytes(
        b"Domain Name: GOOD.EXAMPLE.\nRegistrar: Example Registrar\n"
        b"Creation Date: 2001-02-03\nRegistry Expiry Date: 2031-02-03\n"
    )
    assert sg("whois", "good.example", "--from-file", str(same), "--record").code == 0
    unnamed = tmp_path / "unnamed.txt"
    unnamed.write_bytes(b"Registrar: Example Registrar\nCreation Date: 2001-02-03\n")
    assert sg("whois", "other.example", "--from-file", str(unnamed), "--record").code == 0
    assert commit_count(root) == before + 2
    assert (root / "observations" / "good.example.toml").is_file()


def test_without_record_a_saved_answer_of_another_domain_is_only_shown(tmp_path: Path) -> None:
    _, sg = make_registry(tmp_path, LOOKUP)
    saved = tmp_path / "gandi.txt"
    saved.write_bytes(corpus_text(GANDI))
    result = sg("whois", "good.example", "--from-file", str(saved), "-f", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)[0]["registered"] is True
