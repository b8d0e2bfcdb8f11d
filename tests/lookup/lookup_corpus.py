"""Scoring the parser against the corpus's expected.json; shared by the tests and the benchmark."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from socialgov.lookup.observation import Observation
from socialgov.lookup.parse import parse_rdap, parse_whois

CORPUS = Path(__file__).resolve().parents[1] / "data" / "whois-corpus"
FIELDS = ("registered", "created", "expires", "registrar", "name_servers", "registrant_org")


def load_expected() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text("utf-8"))
    return entries


def observe(entry: dict[str, Any]) -> tuple[Observation, float]:
    """The parser's observation of one corpus file, and the seconds the parse took."""
    raw = (CORPUS / entry["file"]).read_bytes()
    started = time.perf_counter()
    if entry["protocol"] == "rdap":
        obs = parse_rdap(entry["domain"], raw)
    else:
        obs = parse_whois(entry["domain"], raw)
    return obs, time.perf_counter() - started


def matches(name: str, obs: Observation, entry: dict[str, Any]) -> bool:
    if name == "registered":
        return obs.registered is entry["registered"]
    if name in ("created", "expires"):
        got = getattr(obs, name)
        return (got.isoformat() if got else None) == entry[name]
    if name == "registrar":
        return obs.registrar in [entry["registrar"], *entry.get("registrar_alternatives", [])]
    if name == "name_servers":
        return list(obs.name_servers) == entry["name_servers"]
    if name == "registrant_org":
        if entry.get("registrant_org_is_placeholder"):
            return obs.registrant_org is None and obs.registrant_redacted
        return obs.registrant_org == entry["registrant_org"] and not obs.registrant_redacted
    raise ValueError(name)


@dataclass
class Score:
    checked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    parse_seconds: dict[str, float] = field(default_factory=dict)

    def ratio(self, name: str) -> float:
        return self.correct[name] / self.checked[name] if self.checked[name] else 1.0

    def table(self) -> str:
        lines = ["| field | correct | checked | score |", "| --- | ---: | ---: | ---: |"]
        for name in FIELDS:
            lines.append(
                f"| {name} | {self.correct[name]} | {self.checked[name]} "
                f"| {100 * self.ratio(name):.1f}% |"
            )
        return "\n".join(lines)


def score(entries: list[dict[str, Any]], protocol: str | None = None) -> Score:
    result = Score()
    for entry in entries:
        if protocol and entry["protocol"] != protocol:
            continue
        obs, seconds = observe(entry)
        result.parse_seconds[entry["file"]] = seconds
        for name in FIELDS:
            if name not in entry["checked_fields"]:
                continue
            result.checked[name] += 1
            if matches(name, obs, entry):
                result.correct[name] += 1
            else:
                got = getattr(obs, name)
                result.misses.append(f"{entry['file']}: {name} = {got!r}, expected {entry[name]!r}")
    return result
