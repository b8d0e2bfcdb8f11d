"""Recorded lookalike observations: observations/lookalikes/<name>.toml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from socialgov.lookup.observation import Observation

FOLDER = "observations/lookalikes"


def relpath(name: str) -> str:
    return f"{FOLDER}/{name}.toml"


@dataclass(frozen=True)
class Recorded:
    observation: Observation
    original: str
    fuzzer: str
    file: str


def load_lookalikes(files: Any) -> Mapping[str, Recorded]:
    """Every recorded lookalike observation, by name (`files`: a registry Files)."""
    from socialgov.errors import InputError
    from socialgov.registry.load import observation_from_table, parse_toml_text

    out: dict[str, Recorded] = {}
    for rel in files.walk(FOLDER):
        if not rel.endswith(".toml") or rel.count("/") != 2:
            continue
        raw = files.read(rel)
        if raw is None:
            continue
        data, source = parse_toml_text(raw, rel)
        observation = observation_from_table(data, rel, source)
        original = data.get("original")
        if not isinstance(original, str):
            raise InputError('a lookalike observation needs original = "DOMAIN"', file=rel, line=1)
        out[observation.domain] = Recorded(observation, original, str(data.get("fuzzer", "")), rel)
    return out
