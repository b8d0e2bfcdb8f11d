from __future__ import annotations

from pathlib import Path

import pytest

from tests.offboard.helpers import ASSETS, make_registry

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
