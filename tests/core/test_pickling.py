"""socialgov.pickling: the dataclasses that travel between processes come back equal."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from socialgov.lookup.observation import Observation
from socialgov.model import AssetId, Kind, Severity
from socialgov.pickling import by_constructor
from socialgov.policy.result import Finding


def test_findings_asset_ids_and_observations_come_back_equal() -> None:
    asset = AssetId(Kind.DOMAIN, "example.com")
    finding = Finding("review-overdue", Severity.LOW, asset, "a.toml", 3, "m", "h", "f" * 32)
    observation = Observation(
        "example.com",
        True,
        registrar="Gandi SAS",
        expires=date(2027, 1, 31),
        name_servers=("a.ns.example", "b.ns.example"),
        fetched_at=datetime(2026, 11, 30, 22, tzinfo=UTC),
        extra={"vendor": ["x"]},
    )
    for value in (asset, finding, observation):
        back = pickle.loads(pickle.dumps(value))
        assert back == value and type(back) is type(value)
    assert pickle.loads(pickle.dumps(observation)).extra == {"vendor": ["x"]}
    findings = pickle.loads(pickle.dumps([finding, finding]))
    assert findings[0] is findings[1]  # one object stays one object


@by_constructor
@dataclass(frozen=True, slots=True)
class One:
    name: str


def test_a_dataclass_with_one_field_or_a_field_not_in_the_constructor() -> None:
    assert pickle.loads(pickle.dumps(One("a"))) == One("a")
    with pytest.raises(AssertionError, match="every field"):

        @by_constructor
        @dataclass(frozen=True)
        class Derived:
            name: str
            size: int = field(init=False, default=0)
