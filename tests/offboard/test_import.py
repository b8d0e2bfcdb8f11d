"""`socialgov people import` end to end: default columns, HR and identity-provider exports, bad rows."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.offboard.helpers import clean, git, head, sg

TODAY = ("--today", "2026-11-01")


def people(root: Path) -> dict:  # type: ignore[type-arg]
    return tomllib.loads((root / "people.toml").read_text())["people"]


def write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


DEFAULT_CSV = """\
handle,name,email,status,department,manager,departed_on
alice,Alice Example,alice@example.com,Active,Marketing,carol,
bob,Bob Leaver,bob@example.com,Terminated,,carol,2026-10-15
carol,Carol Boss,carol@example.com,active,Executive,,
frank,Frank New,frank@example.com,Active,Sales,alice@example.com,
erin,Erin Web,erin@example.com,On Leave,,,
"""


def test_default_columns_one_commit_then_a_second_run_changes_nothing(
    reg: Path, tmp_path: Path
) -> None:
    csv_file = write(tmp_path / "hr.csv", DEFAULT_CSV)
    before = head(reg)
    result = sg(reg, *TODAY, "people", "import", str(csv_file), "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [c["handle"] for c in report["added"]] == ["frank"]
    assert sorted(c["handle"] for c in report["updated"]) == ["alice", "carol", "erin"]
    assert [c["handle"] for c in report["departed"]] == ["bob"]
    assert report["still_holding"] == {"bob": 4}
    assert git(reg, "log", "-1", "--format=%s").strip() == (
        "people import hr.csv: 1 added, 3 updated, 1 departed"
    )
    assert git(reg, "rev-parse", "HEAD~1").strip() == before
    assert git(reg, "diff", "--name-only", "HEAD~1", "HEAD").split() == ["people.toml"]
    roster = people(reg)
    assert roster["frank"] == {
        "name": "Frank New",
        "email": "frank@example.com",
        "status": "active",
        "department": "Sales",
        "manager": "alice",  # given as an e-mail, stored as a handle
    }
    assert roster["bob"]["status"] == "departed"
    assert str(roster["bob"]["departed_on"]) == "2026-10-15"
    assert roster["erin"]["status"] == "on_leave"
    assert roster["dave"]["status"] == "departed"  # not in the file: left alone
    text = (reg / "people.toml").read_text()
    assert text.startswith("# The roster.\n") and "# Teams below.\n[teams.web]" in text
    assert 'email = "bob@example.com"  # work address' in text
    after = head(reg)
    again = sg(reg, *TODAY, "people", "import", str(csv_file))
    assert again.code == 0, again.stderr
    assert head(reg) == after and clean(reg)
    assert "nothing changed" in again.stderr


def test_bad_rows_exit_2_with_line_numbers_and_nothing_written(reg: Path, tmp_path: Path) -> None:
    csv_file = write(
        tmp_path / "hr.csv",
        "handle,name,email,status,manager,departed_on\n"
        "alice,Alice,alice@example.com,Active,,\n"  # 2: fine
        ",No Handle,nohandle@example.com,Active,,\n"  # 3
        "gina,Gina,not-an-email,Active,,\n"  # 4
        "hank,Hank,hank@example.com,Retired-ish,,\n"  # 5
        "ivan,Ivan,ivan@example.com,Terminated,,31/12/2026\n"  # 6
        "alice,Alice Again,alice2@example.com,Active,,\n"  # 7
        "jane,Jane,jane@example.com,Active,nobody@example.com,\n"  # 8
        '"kim","Kim\nTwo Lines",,Active,,\n',  # 9-10: a quoted field over two lines
    )
    before = (reg / "people.toml").read_bytes()
    result = sg(reg, *TODAY, "people", "import", str(csv_file))
    assert result.code == 2
    err = result.stderr
    for line, words in (
        (3, "missing handle"),
        (4, "'not-an-email' is not an e-mail address"),
        (5, "unknown status 'Retired-ish'"),
        (6, "departed_on '31/12/2026' is not a date"),
        (7, "duplicate handle 'alice' (first on line 2)"),
        (8, "unknown manager 'nobody@example.com'"),
        (9, "missing e-mail"),
    ):
        assert f"hr.csv:{line}: {words}" in err, err
    assert "hr.csv:2:" not in err
    assert "Traceback" not in err
    assert (reg / "people.toml").read_bytes() == before and clean(reg)


BAMBOO = """\
Employee #;First Name;Last Name;Work Email;Status;Department;Supervisor Email;Termination Date
1;Alice;Example;alice@example.com;Active;Marketing;carol@example.com;
2;Bob;Leaver;bob@example.com;Inactive;IT;carol@example.com;2026-10-20
3;Carol;Boss;carol@example.com;Active;Executive;;
4;Grace;Hopper;grace.hopper@example.com;Active;Engineering;carol@example.com;
"""
BAMBOO_MAP = [
    "--map", "handle=Work Email:local",
    "--map", "name=First Name+Last Name",
    "--map", "email=Work Email",
    "--map", "manager=Supervisor Email",
    "--map", "departed_on=Termination Date",
]  # fmt: skip


def test_bamboohr_style_export_with_bom_and_semicolons(reg: Path, tmp_path: Path) -> None:
    csv_file = write(tmp_path / "bamboo.csv", BAMBOO, bom=True)
    result = sg(reg, *TODAY, "people", "import", str(csv_file), *BAMBOO_MAP)
    assert result.code == 0, result.stderr
    roster = people(reg)
    assert roster["grace.hopper"]["name"] == "Grace Hopper"
    assert roster["grace.hopper"]["manager"] == "carol"
    assert roster["bob"]["status"] == "departed"
    assert str(roster["bob"]["departed_on"]) == "2026-10-20"
    assert roster["alice"]["department"] == "Marketing"
    again = sg(reg, *TODAY, "people", "import", str(csv_file), *BAMBOO_MAP)
    assert again.code == 0 and "nothing changed" in again.stderr


OKTA = """\
id,status,created,activated,statusChanged,lastLogin,login,firstName,lastName,email
00u1,ACTIVE,2020-01-01T10:00:00.000Z,,,,alice@example.com,Alice,Example,alice@example.com
00u2,DEPROVISIONED,2020-01-01T10:00:00.000Z,,2026-10-31T17:05:00.000Z,,bob@example.com,Bob,Leaver,bob@example.com
00u3,SUSPENDED,2020-01-01T10:00:00.000Z,,,,erin@example.com,Erin,Web,erin@example.com
00u4,STAGED,2026-10-01T10:00:00.000Z,,,,henry@example.com,Henry,Starter,henry@example.com
00u5,ACTIVE,2020-01-01T10:00:00.000Z,,,,carol@example.com,Carol,Boss,carol@example.com
"""
OKTA_MAP = [
    "--map", "handle=login:local",
    "--map", "name=firstName+lastName",
    "--map", "departed_on=statusChanged",
]  # fmt: skip


def test_okta_style_export_and_missing_are_departed(reg: Path, tmp_path: Path) -> None:
    csv_file = write(tmp_path / "okta.csv", OKTA)
    dry = sg(reg, *TODAY, "people", "import", str(csv_file), *OKTA_MAP, "--dry-run")
    assert dry.code == 0 and clean(reg) and "henry" in dry.stdout
    result = sg(
        reg,
        *TODAY,
        "people", "import", str(csv_file), *OKTA_MAP, "--missing-are-departed",
        "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(c["handle"] for c in report["departed"]) == ["bob"]
    roster = people(reg)
    assert str(roster["bob"]["departed_on"]) == "2026-10-31"  # date part of the timestamp
    assert roster["erin"]["status"] == "on_leave"
    assert roster["henry"]["status"] == "active"
    assert roster["dave"]["status"] == "departed"
    # alice, carol and erin are in the file; nobody else of the roster is active
    assert git(reg, "log", "-1", "--format=%s").startswith("people import okta.csv: 1 added")
    # a later export without erin: --missing-are-departed departs her, dated --today
    shorter = write(
        tmp_path / "okta2.csv", "\n".join(OKTA.splitlines()[:3] + OKTA.splitlines()[4:])
    )
    again = sg(reg, *TODAY, "people", "import", str(shorter), *OKTA_MAP, "--missing-are-departed")
    assert again.code == 0, again.stderr
    assert people(reg)["erin"]["status"] == "departed"
    assert str(people(reg)["erin"]["departed_on"]) == "2026-11-01"
    assert "1 departed" in git(reg, "log", "-1", "--format=%s")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "colour=Red"], "expected FIELD=COLUMN"),
        (["--map", "email=Nope"], "no column 'Nope'"),
        (["--map", "handle=-"], "no handle column"),
    ],
)
def test_bad_maps_are_refused(reg: Path, tmp_path: Path, args: list[str], message: str) -> None:
    csv_file = write(tmp_path / "hr.csv", DEFAULT_CSV)
    result = sg(reg, *TODAY, "people", "import", str(csv_file), *args)
    assert result.code == 2 and message in result.stderr, result.stderr
    assert clean(reg)


def test_a_non_utf8_file_is_refused(reg: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "latin1.csv"
    csv_file.write_bytes("handle,name,email\nzoe,Zoë,zoe@example.com\n".encode("latin-1"))
    result = sg(reg, *TODAY, "people", "import", str(csv_file))
    assert result.code == 2 and "latin1.csv:2" in result.stderr and "UTF-8" in result.stderr
