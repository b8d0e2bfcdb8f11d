from __future__ import annotations

from pathlib import Path

import pytest

from tests.offboard.helpers import make_registry


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    """The sample registry: bob leaves; alice, carol, erin stay; dave left long ago."""
    return make_registry(tmp_path / "reg")
