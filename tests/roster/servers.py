"""Real directory servers on 127.0.0.1 for the `people sync` tests and benchmark: OpenLDAP's
slapd with a throw-away configuration and AD-like attributes, and a small SCIM 2.0 server
(werkzeug) that pages, filters and checks its bearer token."""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

SLAPD = shutil.which("slapd") or ("/usr/sbin/slapd" if Path("/usr/sbin/slapd").exists() else None)
SLAPADD = shutil.which("slapadd") or (
    "/usr/sbin/slapadd" if Path("/usr/sbin/slapadd").exists() else None
)
SCHEMA_DIR = Path("/etc/ldap/schema")
SUFFIX = "dc=example,dc=com"
STAFF = f"ou=Staff,{SUFFIX}"
BIND_DN = f"cn=socialgov,ou=Service,{SUFFIX}"
BIND_PASSWORD = "sync-secret-4711"
SCIM_TOKEN = "scim-token-0815"

# Active Directory's attributes, as a small schema of their own (OIDs under an example arc).
AD_SCHEMA = """\
attributetype ( 1.3.6.1.4.1.55555.1.1 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.2 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.3 NAME 'accountExpires'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.4 NAME 'objectGUID'
  EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.5 NAME 'department'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.6 NAME 'userPrincipalName'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.55555.2.1 NAME 'adUser' SUP top AUXILIARY
  MAY ( sAMAccountName $ userAccountControl $ accountExpires $ objectGUID $ department $
        userPrincipalName ) )
"""


def filetime(day: date) -> int:
    """A date as AD's large-integer time: 100 ns intervals since 1601-01-01."""
    return (
        int((datetime(day.year, day.month, day.day) - datetime(1601, 1, 1)).total_seconds()) * 10**7
    )


@dataclass(frozen=True)
class DirectoryPerson:
    handle: str
    name: str
    department: str
    manager: str | None = None
    disabled: bool = False
    expires: date | None = None

    @property
    def guid(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_DNS, f"{self.handle}.example.com")

    @property
    def email(self) -> str:
        return f"{self.handle}@example.com"

    @property
    def dn(self) -> str:
        return f"cn={self.name},{STAFF}"


def sample_people(extra: int = 30) -> list[DirectoryPerson]:
    """The offboarding sample's people (bob disabled, dave expired, erin leaving on
    2026-11-10) and `extra` more reporting to carol (two of them gone)."""
    people = [
        DirectoryPerson("alice", "Alice Example", "Marketing", "carol"),
        DirectoryPerson("bob", "Bob Leaver", "IT", "carol", disabled=True),
        DirectoryPerson("carol", "Carol Boss", "Executive"),
        DirectoryPerson("dave", "Dave Gone", "IT", expires=date(2025, 1, 1)),
        DirectoryPerson("erin", "Erin Web", "Marketing", "bob", expires=date(2026, 11, 10)),
    ]
    for n in range(1, extra + 1):
        people.append(
            DirectoryPerson(
                f"user{n:02}",
                f"User {n:02} Staff",
                "Sales" if n % 2 else "Support",
                "carol",
                disabled=n == extra - 1,
                expires=date(2026, 10, 1) if n == extra else None,
            )
        )
    return people


def ldif(people: Sequence[DirectoryPerson]) -> str:
    by_handle = {p.handle: p for p in people}
    blocks = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example Corp\ndc: example\n",
        f"dn: {STAFF}\nobjectClass: organizationalUnit\nou: Staff\n",
        f"dn: ou=Service,{SUFFIX}\nobjectClass: organizationalUnit\nou: Service\n",
        f"dn: {BIND_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: socialgov\nuserPassword: {BIND_PASSWORD}\n",
    ]
    for p in people:
        first, _, last = p.name.partition(" ")
        lines = [
            f"dn: {p.dn}",
            "objectClass: inetOrgPerson",
            "objectClass: adUser",
            f"cn: {p.name}",
            f"sn: {last or first}",
            f"givenName: {first}",
            f"displayName: {p.name}",
            f"mail: {p.email}",
            f"sAMAccountName: {p.handle}",
            f"userPrincipalName: {p.email}",
            f"department: {p.department}",
            f"objectGUID:: {base64.b64encode(p.guid.bytes_le).decode()}",
            f"userAccountControl: {514 if p.disabled else 512}",
            f"accountExpires: {filetime(p.expires) if p.expires else 9223372036854775807}",
        ]
        if p.manager:
            lines.append(f"manager: {by_handle[p.manager].dn}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Slapd:
    """slapd on 127.0.0.1 (ldap:// with StartTLS, and ldaps://) over an mdb database loaded
    with slapadd; searches are capped at 20 entries unless paged, as real directories cap them."""

    def __init__(self, workdir: Path, data: str, *, cert: Path, key: Path, ca: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.tls_port = free_port()
        db = workdir / "db"
        db.mkdir(parents=True)
        (workdir / "ad.schema").write_text(AD_SCHEMA)
        conf = workdir / "slapd.conf"
        conf.write_text(
            f"""\
include {SCHEMA_DIR}/core.schema
include {SCHEMA_DIR}/cosine.schema
include {SCHEMA_DIR}/inetorgperson.schema
include {workdir}/ad.schema
pidfile {workdir}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile {ca}
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
sizelimit size.soft=20 size.hard=20 size.pr=unlimited size.prtotal=unlimited
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
database mdb
maxsize 1073741824
suffix "{SUFFIX}"
rootdn "cn=admin,{SUFFIX}"
directory {db}
index objectClass eq
"""
        )
        (workdir / "data.ldif").write_text(data)
        subprocess.run(
            [str(SLAPADD), "-q", "-f", str(conf), "-l", str(workdir / "data.ldif")],
            check=True,
            capture_output=True,
        )
        self.log = (workdir / "slapd.log").open("wb")
        self.process = subprocess.Popen(
            [
                str(SLAPD),
                "-d",
                "0",
                "-f",
                str(conf),
                "-h",
                f"ldap://127.0.0.1:{self.port}/ ldaps://127.0.0.1:{self.tls_port}/",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process)
        wait_for_port(self.tls_port, self.process)

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.tls_port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


# --------------------------------------------------------------------------- SCIM 2.0

LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
_FILTER = re.compile(r'^\s*([\w.:]+)\s+(eq|ne|sw|co)\s+("(?:[^"\\]|\\.)*"|true|false)\s*$', re.I)


def scim_users(people: Sequence[DirectoryPerson], today: date) -> list[dict[str, Any]]:
    by_handle = {p.handle: p for p in people}
    users = []
    for p in people:
        first, _, last = p.name.partition(" ")
        gone = p.disabled or (p.expires is not None and p.expires <= today)
        user: dict[str, Any] = {
            "schemas": [USER, ENTERPRISE],
            "id": str(p.guid),
            "userName": p.email,
            "name": {"givenName": first, "familyName": last, "formatted": p.name},
            "displayName": p.name,
            "active": not gone,
            "userType": "Employee",
            "emails": [
                {"value": f"{p.handle}.private@gmail.com", "type": "home"},
                {"value": p.email, "type": "work", "primary": True},
            ],
            ENTERPRISE: {"employeeNumber": str(1000 + len(users)), "department": p.department},
            "meta": {"resourceType": "User"},
        }
        if p.manager:
            manager = by_handle[p.manager]
            user[ENTERPRISE]["manager"] = {
                "value": str(manager.guid),
                "$ref": f"../Users/{manager.guid}",
                "displayName": manager.name,
            }
        users.append(user)
    users.append(  # a contractor the filter userType eq "Employee" leaves out
        {
            "schemas": [USER],
            "id": "c0ffee00-0000-4000-8000-000000000001",
            "userName": "temp.worker@agency.example",
            "displayName": "Temp Worker",
            "active": True,
            "userType": "Contractor",
            "emails": [{"value": "temp.worker@agency.example", "primary": True}],
        }
    )
    return users


def _attribute(user: dict[str, Any], path: str) -> Any:
    node: Any = user
    if path.startswith(ENTERPRISE + ":"):
        node, path = user.get(ENTERPRISE, {}), path[len(ENTERPRISE) + 1 :]
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = {k.lower(): v for k, v in node.items()}.get(part.lower())
    return node


def _matches(user: dict[str, Any], text: str) -> bool:
    """RFC 7644 filters: comparisons joined with `and` (enough for a directory sync)."""
    for clause in re.split(r"\s+and\s+", text, flags=re.I):
        m = _FILTER.match(clause)
        if m is None:
            raise ValueError(clause)
        path, op, raw = m.group(1), m.group(2).lower(), m.group(3)
        want: Any = json.loads(raw.lower()) if raw.lower() in ("true", "false") else json.loads(raw)
        have = _attribute(user, path)
        if isinstance(want, str) and isinstance(have, str):
            have, want = have.lower(), want.lower()
        ok = {
            "eq": have == want,
            "ne": have != want,
            "sw": isinstance(have, str) and have.startswith(want),
            "co": isinstance(have, str) and want in have,
        }[op]
        if not ok:
            return False
    return True


class ScimServer:
    """GET /scim/v2/Users with startIndex, count (at most `max_page` per page) and filter;
    401 without the right bearer token."""

    def __init__(self, users: list[dict[str, Any]], *, token: str = SCIM_TOKEN, max_page: int = 7):
        from werkzeug.serving import make_server

        self.users = users
        self.token = token
        self.max_page = max_page
        self.requests: list[str] = []
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/scim/v2/"

    def app(self, environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        self.requests.append(request.full_path)

        def reply(status: int, body: dict[str, Any]) -> Iterator[bytes]:
            response = Response(json.dumps(body), status, content_type="application/scim+json")
            return response(environ, start_response)  # type: ignore[no-any-return]

        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return reply(401, {"schemas": [ERROR], "status": "401", "detail": "unauthorized"})
        if request.path.rstrip("/") != "/scim/v2/Users":
            return reply(404, {"schemas": [ERROR], "status": "404", "detail": "not found"})
        users = self.users
        if text := request.args.get("filter"):
            try:
                users = [u for u in users if _matches(u, text)]
            except ValueError:
                return reply(
                    400, {"schemas": [ERROR], "status": "400", "scimType": "invalidFilter"}
                )
        start = max(1, int(request.args.get("startIndex", 1)))
        count = min(self.max_page, max(0, int(request.args.get("count", self.max_page))))
        page = users[start - 1 : start - 1 + count]
        return reply(
            200,
            {
                "schemas": [LIST],
                "totalResults": len(users),
                "startIndex": start,
                "itemsPerPage": len(page),
                "Resources": page,
            },
        )

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
