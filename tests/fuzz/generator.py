"""A small registry fuzzer: valid registry files mutated with TOML-shaped damage.

Deterministic per seed, so a failing case can be replayed: `generate(seed, folder)`.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

BASE = {
    "socialgov.toml": (
        '[organization]\nname = "Example Corp"\nemail_domains = ["example.com"]\n\n'
        "[policy]\nfiles = []\n\n[lookup]\ntimeout_s = 1\n"
    ),
    "people.toml": (
        '[people.alice]\nname = "Alice"\nemail = "alice@example.com"\nstatus = "active"\n\n'
        '[people.bob]\nname = "Bob"\nemail = "bob@example.com"\nstatus = "departed"\n'
        "departed_on = 2026-01-15\n\n"
        '[teams.web]\nmembers = ["alice"]\n'
    ),
    "assets/domains/example.com.toml": (
        'owners = ["alice", "bob"]\ncriticality = "high"\ntags = ["web"]\n\n'
        '[domain]\nregistrar = "Example Registrar"\nexpires = 2027-05-05\nauto_renew = true\n'
    ),
    "assets/social/x/examplecorp.toml": (
        'owners = ["alice"]\n\n[social]\nurl = "https://x.com/examplecorp"\nmfa = true\n'
    ),
    "waivers.toml": (
        '[[waiver]]\nrule = "min-owners"\nasset = "social:x/examplecorp"\nreason = "small"\n'
        'approved_by = "alice"\nexpires = 2027-01-01\n'
    ),
    "observations/example.com.toml": (
        'domain = "example.com"\nregistered = true\nsource = "rdap"\nregistrar = "Example Registrar"\n'
        "expires = 2027-05-05\nfetched_at = 2026-11-01T12:00:00Z\n"
        'name_servers = ["ns1.example.com"]\nstatuses = ["client transfer prohibited"]\n'
    ),
}

TOKENS = [
    "[", "]", "{", "}", "=", '"', "'", "\n", ",", ".", "#", "[[waiver]]", "[domain]",
    "1979-05-27T07:32:00Z", "2026-13-45", "07:32:00", "true", "-inf", "nan", "0x1F",
    "99999999999999999999", "{ a = 1 }", '"\\u001b[31m"', '"::error::x"', "\x00", "\x1b",
    "[" * 30, "a.b.c.d", '"x\\ny"', "owners", "[people.x]", "status", '"departed"',
    "criticality", "expires", "registered", "= 42", '= { x = 1 }', '= ["a", 1]',
]  # fmt: skip
VALUES = [
    "42",
    "true",
    '"text"',
    "2026-01-01",
    "2026-01-01T00:00:00Z",
    "[1, 2]",
    "{ a = 1 }",
    "[]",
    "-1",
    "1e400",
]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        lines = text.split("\n")
        if op == 0 and text:
            i = rng.randrange(len(text))
            text = text[:i] + text[i + 1 :]
        elif op == 1:
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif op == 2 and lines:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif op == 3 and len(lines) > 1:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == 4:
            text = re.sub(r"= [^\n]+", lambda m: "= " + rng.choice(VALUES), text, count=1)
        else:
            text = text.replace("= ", "= " + rng.choice(VALUES) + " #", 1)
    return text


def generate(seed: int, folder: Path) -> Path:
    """A registry in `folder` with one to three of its files damaged."""
    rng = random.Random(seed)
    damaged = set(rng.sample(sorted(BASE), rng.randint(1, 3)))
    for rel, text in BASE.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            (mutate(text, rng) if rel in damaged else text).encode("utf-8", "surrogatepass")
        )
    return folder


COMMANDS = [
    ("audit",),
    ("list", "--format", "json"),
    ("show", "domain:example.com"),
    ("people", "list"),
    ("check",),
]
POSITION = re.compile(r"[\w./-]+\.toml:\d+")
