"""`people import --preset`: each real export layout imports as it comes; the row options."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from tests.offboard.helpers import clean, git, head, sg

EXPORTS = Path(__file__).resolve().parent.parent / "data" / "exports"
TODAY = ("--today", "2026-11-01")


def people(root: Path) -> dict:  # type: ignore[type-arg]
    return tomllib.loads((root / "people.toml").read_text())["people"]


def run_import(root: Path, file: Path | str, *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = sg(root, *TODAY, "people", "import", str(file), "--format", "json", *args)
    report = json.loads(result.stdout) if result.code == 0 else {}
    return result.code, report, result.stderr


@pytest.mark.parametrize(
    ("preset", "args", "erin", "employee_id"),
    [
        ("okta", (), "on_leave", "00u2b3c4d5E6f7G8h9i0"),
        ("bamboohr", (), "active", "1002"),
        ("workday", (), "on_leave", "21002"),
        ("google", (), "active", "E-1002"),
        ("entra", ("--where", "userType=Member"), "active", "8c4d2e1f-0a9b-4c3d-8e7f-6a5b4c3d2e12"),
    ],
)
def test_each_preset_imports_its_sample_unchanged(
    reg: Path, preset: str, args: tuple[str, ...], erin: str, employee_id: str
) -> None:
    code, report, stderr = run_import(reg, EXPORTS / f"{preset}.csv", "--preset", preset, *args)
    assert code == 0, stderr
    assert [c["handle"] for c in report["departed"]] == ["bob"]
    assert "frank" in [c["handle"] for c in report["added"]]
    roster = people(reg)
    assert roster["bob"]["status"] == "departed"
    assert roster["bob"]["employee_id"] == employee_id
    assert roster["bob"]["source"] == preset
    assert roster["frank"]["status"] == "active"
    assert roster["erin"]["status"] == erin
    assert git(reg, "log", "-1", "--format=%s").startswith(f"people import {preset}.csv:")
    assert clean(reg)


def test_entra_guest_row_refuses_the_file_without_where(reg: Path) -> None:
    before = head(reg)
    code, _, stderr = run_import(reg, EXPORTS / "entra.csv", "--preset", "entra")
    assert code == 2
    assert "entra.csv:7: handle 'pat_fabrikam.com#ext#' is not valid" in stderr
    assert head(reg) == before and clean(reg)


def test_entra_where_members_true_false_service_account(reg: Path) -> None:
    code, report, stderr = run_import(
        reg, EXPORTS / "entra.csv", "--preset", "entra", "--where", "userType=Member"
    )
    assert code == 0, stderr
    roster = people(reg)
    assert roster["bob"]["departed_on"].isoformat() == "2026-11-01"  # accountEnabled False
    # the service account has no mail: its userPrincipalName is its address
    assert roster["svc-backup"]["email"] == "svc-backup@example.com"
    assert "pat_fabrikam.com#ext#" not in roster
    assert report["still_holding"]["bob"] == 4


def test_bamboohr_empty_dates_us_dates_future_termination_and_second_run(reg: Path) -> None:
    file = EXPORTS / "bamboohr.csv"
    code, report, stderr = run_import(reg, file, "--preset", "bamboohr")
    assert code == 0, stderr
    roster = people(reg)
    assert roster["bob"]["departed_on"].isoformat() == "2026-10-20"  # 10/20/2026
    assert roster["erin"]["status"] == "active"
    assert roster["erin"]["leaving_on"].isoformat() == "2026-11-13"  # future: leaving, not gone
    assert "leaving_on" not in roster["alice"]  # 0000-00-00 is empty
    assert report["leaving"] == [{"handle": "erin", "leaving_on": "2026-11-13"}]
    commit = head(reg)
    code, report, stderr = run_import(reg, file, "--preset", "bamboohr")
    assert code == 0, stderr
    assert head(reg) == commit and not report["updated"] and not report["departed"]
    # departure-pending fires 14 days ahead and not 15
    show = sg(
        reg, "--today", "2026-10-30", "audit", "--rule", "departure-pending", "--format", "json"
    )
    findings = json.loads(show.stdout)["findings"]
    assert [f["asset"] for f in findings] == ["domain:shop.example"]
    assert "access, admin_email erin@example.com" in findings[0]["message"]
    assert findings[0]["hint"] == "socialgov offboard erin --on 2026-11-13 --branch offboard/erin"
    assert show.code == 1
    quiet = sg(
        reg, "--today", "2026-10-29", "audit", "--rule", "departure-pending", "--format", "json"
    )
    assert json.loads(quiet.stdout)["findings"] == [] and quiet.code == 0
    # people show: the leaving date and who would receive what erin holds
    shown = sg(reg, "--today", "2026-11-01", "people", "show", "erin", "--format", "json")
    details = json.loads(shown.stdout)
    assert details["leaving"] == {"on": "2026-11-13", "days": 12}
    assert details["access"][0]["asset"] == "domain:shop.example"
    shown = sg(reg, "--today", "2026-11-01", "people", "show", "bob", "--format", "json")
    successors = {r["asset"]: r["successor"] for r in json.loads(shown.stdout)["owned"]}
    assert successors["blog:eng-blog"] == "carol" and successors["domain:example.com"] == "alice"


def test_workday_manager_by_employee_id(reg: Path) -> None:
    code, _, stderr = run_import(reg, EXPORTS / "workday.csv", "--preset", "workday")
    assert code == 0, stderr
    roster = people(reg)
    assert roster["frank"]["manager"] == "alice"  # Manager_ID 21001
    assert roster["erin"]["manager"] == "bob"


def test_status_map_date_format_and_skip_invalid(reg: Path, tmp_path: Path) -> None:
    file = tmp_path / "hr.csv"
    file.write_text(
        "handle,name,email,status,departed_on\n"
        "alice,Alice Example,alice@example.com,Garden Leave,\n"
        "bob,Bob Leaver,bob@example.com,Gone,31.10.2026\n"
        "zed,Zed Bad,not-an-address,Active,\n"
        "carol,Carol Boss,carol@example.com,Active,\n"
        "erin,Erin Web,erin@example.com,Active,\n"
    )
    before = head(reg)
    code, _, stderr = run_import(reg, file, "--status-map", "Gone=departed")
    assert code == 2 and "hr.csv:2: unknown status 'Garden Leave'" in stderr
    assert "hr.csv:3: departed_on '31.10.2026' is not a date" in stderr
    assert head(reg) == before
    code, report, stderr = run_import(
        reg,
        file,
        "--status-map",
        "Gone=departed",
        "--status-map",
        "garden leave=on_leave",
        "--date-format",
        "%d.%m.%Y",
        "--skip-invalid",
        "--missing-are-departed",
    )
    assert code == 0, stderr
    assert report["invalid"] == [
        {"line": 4, "problem": "'not-an-address' is not an e-mail address"}
    ]
    roster = people(reg)
    assert roster["alice"]["status"] == "on_leave"
    assert roster["bob"]["departed_on"].isoformat() == "2026-10-31"
    assert "zed" not in roster
    for bad in (("--status-map", "Gone=away"), ("--date-format", "dd.mm.yyyy"), ("--where", "x")):
        result = sg(reg, *TODAY, "people", "import", str(file), *bad)
        assert result.code == 2 and bad[0] in result.stderr and "Traceback" not in result.stderr
    result = sg(reg, *TODAY, "people", "import", str(file), "--preset", "sap")
    assert result.code == 2 and "entra, okta, bamboohr, workday, google" in result.stderr


def test_changed_human_refused_unless_accept_renames(reg: Path, tmp_path: Path) -> None:
    file = tmp_path / "hr.csv"
    file.write_text(
        "handle,name,email\n"
        "alice,Adam Smith,adam.smith@example.com\n"
        "carol,Carol Boss-Jones,carol@example.com\n"  # a name change only: applied
    )
    before = head(reg)
    code, _, stderr = run_import(reg, file)
    assert code == 2
    assert "hr.csv:2: handle 'alice' is Alice Example <alice@example.com> in the roster" in stderr
    assert "--accept-renames" in stderr
    assert head(reg) == before and clean(reg)
    code, _, stderr = run_import(reg, file, "--accept-renames")
    assert code == 0, stderr
    assert people(reg)["alice"]["email"] == "adam.smith@example.com"


def test_employee_id_matches_first(reg: Path, tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("Employee #,handle,name,email\n1001,alice,Alice Example,alice@example.com\n")
    assert run_import(reg, first, "--map", "employee_id=Employee #")[0] == 0
    assert people(reg)["alice"]["employee_id"] == "1001"
    # same employee, new handle and address after a name change: still alice
    renamed = tmp_path / "b.csv"
    renamed.write_text(
        "Employee #,handle,name,email\n1001,alice.jones,Alice Jones,alice.jones@example.com\n"
    )
    code, report, stderr = run_import(reg, renamed, "--map", "employee_id=Employee #")
    assert code == 0, stderr
    assert [c["handle"] for c in report["updated"]] == ["alice"] and not report["added"]
    assert people(reg)["alice"]["email"] == "alice.jones@example.com"
    # another employee under alice's handle: refused, whatever the name says
    other = tmp_path / "c.csv"
    other.write_text(
        "Employee #,handle,name,email\n2002,alice,Alice Jones,alice.jones@example.com\n"
    )
    code, _, stderr = run_import(reg, other, "--map", "employee_id=Employee #")
    assert code == 2 and "employee_id '1001' in the roster, the file '2002'" in stderr


def test_header_only_file_refused_by_the_departure_guard(reg: Path, tmp_path: Path) -> None:
    file = tmp_path / "empty.csv"
    file.write_text("handle,name,email,status\n")
    before = head(reg)
    result = sg(reg, *TODAY, "people", "import", str(file), "--missing-are-departed")
    assert result.code == 2
    assert "it would depart 4 of 4 active people, more than the limit of 3" in result.stderr
    assert "alice (Alice Example), bob (Bob Leaver), carol (Carol Boss), erin (Erin Web)" in (
        result.stderr
    )
    assert head(reg) == before and clean(reg)
    result = sg(
        reg,
        *TODAY,
        "people",
        "import",
        str(file),
        "--missing-are-departed",
        "--max-departures",
        "4",
    )
    assert result.code == 0, result.stderr
    assert all(p["status"] == "departed" for p in people(reg).values())


def test_export_missing_half_the_people_is_refused(tmp_path: Path) -> None:
    from tests.offboard.helpers import make_registry

    roster = "".join(
        f'[people.p{n:02}]\nname = "Person {n}"\nemail = "p{n:02}@example.com"\n\n'
        for n in range(40)
    )
    reg = make_registry(tmp_path / "big", {}, people=roster)
    file = tmp_path / "half.csv"
    file.write_text(
        "handle,name,email\n"
        + "".join(f"p{n:02},Person {n},p{n:02}@example.com\n" for n in range(20))
    )
    before = head(reg)
    result = sg(reg, *TODAY, "people", "import", str(file), "--missing-are-departed")
    assert result.code == 2
    assert "depart 20 of 40 active people, more than the limit of 4" in result.stderr
    assert "p20 (Person 20)" in result.stderr and "and 10 more" in result.stderr
    assert head(reg) == before and clean(reg)
