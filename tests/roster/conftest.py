from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.offboard.helpers import ASSETS, make_registry
from tests.roster.servers import (
    SCHEMA_DIR,
    SLAPADD,
    SLAPD,
    ScimServer,
    Slapd,
    ldif,
    sample_people,
    scim_users,
)

# erin holds the credentials of the main site; she is the one leaving in the exports.
ROSTER_ASSETS = {
    **ASSETS,
    "assets/domains/shop.example.toml": """\
owners = ["carol"]
status = "active"
access = ["erin"]

[contacts]
admin_email = "erin@example.com"
""",
}


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    """The offboarding sample registry (alice, bob, carol, erin active; dave departed) plus
    an asset erin holds."""
    return make_registry(tmp_path / "reg", ROSTER_ASSETS)


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A throw-away CA (trustme) and a certificate for 127.0.0.1 it signed."""
    import trustme

    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    files = {"ca": folder / "ca.pem", "cert": folder / "cert.pem", "key": folder / "key.pem"}
    ca.cert_pem.write_to_path(str(files["ca"]))
    cert.cert_chain_pems[0].write_to_path(str(files["cert"]))
    cert.private_key_pem.write_to_path(str(files["key"]))
    return files


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory, tls_files: dict[str, Path]) -> Iterator[Slapd]:
    if SLAPD is None or SLAPADD is None or not SCHEMA_DIR.is_dir():
        pytest.skip("OpenLDAP's slapd is not installed (Debian: apt-get install slapd ldap-utils)")
    server = Slapd(
        tmp_path_factory.mktemp("slapd"),
        ldif(sample_people()),
        cert=tls_files["cert"],
        key=tls_files["key"],
        ca=tls_files["ca"],
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def scim() -> Iterator[ScimServer]:
    server = ScimServer(scim_users(sample_people(), date(2026, 11, 1)))
    yield server
    server.stop()
