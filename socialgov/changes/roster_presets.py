"""The column names and value words of real HR and identity-provider exports (`people import --preset`).

One `Preset` per export layout, as data. A field's source is written as for `--map`
(`Work Email`, `First Name+Last Name`, `login:local`), and may list alternatives separated
by `|`: the first that has a value in a row is used, and alternatives whose column the file
lacks are ignored (so `objectId|id` reads either spelling of Entra's export).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from socialgov.model import PersonStatus

ACTIVE, DEPARTED, ON_LEAVE = PersonStatus.ACTIVE, PersonStatus.DEPARTED, PersonStatus.ON_LEAVE


@dataclass(frozen=True)
class Preset:
    name: str
    title: str  # what the export is, for help and docs
    columns: Mapping[str, str]  # roster field → column spec
    status_words: Mapping[str, PersonStatus] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()  # tried after ISO 8601
    empty_values: frozenset[str] = frozenset()  # cell texts that mean "no value"


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "entra",
            'Microsoft Entra ID "Download users" CSV',
            {
                "handle": "userPrincipalName:local",
                "name": "displayName|givenName+surname",
                "email": "mail|userPrincipalName",
                "status": "accountEnabled",
                "department": "department",
                "employee_id": "objectId|id",
            },
            # accountEnabled is written True/False: a disabled account is a leaver.
            {"true": ACTIVE, "false": DEPARTED},
        ),
        Preset(
            "okta",
            "Okta user report",
            {
                "handle": "Username:local",
                "name": "First name+Last name",
                "email": "Primary email|Username",
                "status": "Status",
                "department": "Department",
                "manager": "Manager",
                "employee_id": "User ID|Okta ID|id",
                "departed_on": "Deactivated date|Deactivated",
            },
        ),
        Preset(
            "bamboohr",
            "BambooHR employee report",
            {
                "handle": "Work Email:local",
                "name": "First Name+Last Name",
                "email": "Work Email",
                "status": "Status",
                "department": "Department",
                "manager": "Supervisor Email",
                "employee_id": "Employee #",
                "departed_on": "Termination Date",
            },
            date_formats=("%m/%d/%Y",),
            empty_values=frozenset({"0000-00-00", "00/00/0000"}),
        ),
        Preset(
            "workday",
            "Workday worker report",
            {
                "handle": "Email_Address:local",
                "name": "Legal_Name|Preferred_Name",
                "email": "Email_Address",
                "status": "Worker_Status",
                "department": "Supervisory_Organization|Department",
                "manager": "Manager_ID",
                "employee_id": "Employee_ID",
                "departed_on": "Termination_Date",
            },
            {"on leave": ON_LEAVE, "leave of absence": ON_LEAVE},
            date_formats=("%m/%d/%Y", "%d-%b-%Y"),
        ),
        Preset(
            "google",
            "Google Workspace user export",
            {
                "handle": "Email Address [Required]:local",
                "name": "First Name [Required]+Last Name [Required]",
                "email": "Email Address [Required]",
                "status": "Status [READ ONLY]",
                "department": "Department",
                "manager": "Manager Email",
                "employee_id": "Employee ID",
            },
            # Workspace admins suspend the accounts of leavers; Okta's SUSPENDED stays on_leave.
            {"suspended": DEPARTED},
        ),
    )
}
