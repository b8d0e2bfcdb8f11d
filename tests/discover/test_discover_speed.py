"""Discovery at scale stays exact: sightings in the certificates' own order (not a hash
order that changes from run to run), and a candidate seen thousands of times keeps each
source once, in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from socialgov.discover.candidates import find_candidates
from socialgov.discover.sighting import Sighting
from socialgov.model import Kind, Registry, Roster, Settings

SCRIPT = """
import json, sys
from datetime import date
from pathlib import Path
from socialgov.discover.ct import read_ct
print(json.dumps([s.name for s in read_ct(Path(sys.argv[1]), date(2026, 11, 15))]))
"""


def test_ct_sightings_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    names = [f"h{n}.brand{n % 7}-example.com" for n in range(40)]
    rows = [
        {"issuer_ca_id": 1, "id": n, "serial_number": f"{n:x}", "not_after": "2027-01-01",
         "name_value": "\n".join(names[n : n + 5]), "common_name": names[n]}
        for n in range(0, 40, 5)
    ]  # fmt: skip
    path = tmp_path / "crtsh.json"
    path.write_text(json.dumps(rows))
    outputs = {
        subprocess.run(
            [sys.executable, "-c", SCRIPT, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(1, 5)
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == names  # the order of the file


def test_a_candidate_seen_many_times_lists_each_source_once() -> None:
    registry = Registry(
        root=Path("."), settings=Settings(org_name="Example"), roster=Roster(), assets={}
    )
    sightings = [
        Sighting(name=f"h{n}.example.com", source=f"zone:{n % 3000}", reader="zone",
                 evidence="in the zone example.com")
        for n in range(6000)
    ]  # fmt: skip
    (candidate,) = find_candidates(registry, sightings)
    assert candidate.id.kind is Kind.DOMAIN and candidate.id.name == "example.com"
    assert candidate.sources == [f"zone:{n}" for n in range(3000)]
