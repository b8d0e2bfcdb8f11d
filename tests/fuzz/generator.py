"""A small registry fuzzer: valid registry files mutated with TOML-shaped damage.

Deterministic per seed, so a failing case can be replayed: `generate(seed, folder, template)`.
Each case is a work tree of one git repository (`make_template`: the valid registry,
committed once) with one to three files damaged, so `check --base HEAD` compares
the damage with a good base; one case in eight also damages a file's kind (a folder, a FIFO,
a symlink out of the registry or to /dev/zero, a symlink loop, bytes that are not UTF-8, a
nesting or dotted-key bomb) instead of, or besides, its text.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
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
    "\ufeff", "\r\n", "\r", "\u2028", "\x85", "\ud800", '"\\ud800"', "\u202e", "\x7f",
    "x" * 70_000, '"' + "y" * 70_000 + '"', "\n::error file=a::forged\n",
    '"2026-02-30"', "2026-02-30", "1985-04-12T23:20:50.52+01:00", "[[people]]",
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


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Fuzz",
    "GIT_AUTHOR_EMAIL": "fuzz@example.com",
    "GIT_COMMITTER_NAME": "Fuzz",
    "GIT_COMMITTER_EMAIL": "fuzz@example.com",
    "GIT_AUTHOR_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def make_template(folder: Path) -> Path:
    """The valid registry in `folder`, committed once; every case is a copy of it."""
    for rel, text in BASE.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    env = {**os.environ, **GIT_ENV}
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-qm", "registry")):
        subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)
    return folder


def _bomb(rng: random.Random) -> str:
    depth = rng.choice((200, 1_100, 5_000))
    if rng.random() < 0.5:
        return "x = " + "[" * depth + "]" * depth + "\n"
    return "a" + ".a" * depth + " = 1\n"


def _break_kind(path: Path, root: Path, rng: random.Random) -> None:
    """Replace the file at `path` by something that is not a regular file inside the registry,
    or by content no TOML parser should be handed whole."""
    path.unlink(missing_ok=True)
    op = rng.randrange(8)
    if op == 0:
        path.mkdir()
    elif op == 1:
        os.mkfifo(path)
    elif op == 2:
        path.symlink_to(rng.choice(("/dev/zero", "/etc/hostname", "/dev/stdin", "/")))
    elif op == 3:
        path.symlink_to(path.name)  # a loop
    elif op == 4:
        path.symlink_to(os.path.relpath(root / "people.toml", path.parent))  # inside: allowed
    elif op == 5:
        path.write_bytes(b"\xff\xfe" + bytes(rng.randrange(256) for _ in range(40)))
    elif op == 6:
        path.write_text(_bomb(rng), encoding="utf-8")
    else:
        path.write_bytes(b"")


# Valid TOML values of every type and shape, for damage that still parses: it reaches the
# schema, the rules and the renderers rather than the parser.
GOOD_VALUES = [
    '""', '" "', '"\\u001b[2J\\u001b[31mred"', '"a\\n::error file=x::forged"', '"::warning::x"',
    '"\\u0000"', '"\\u202eevil"', '"\\r\\n"', '"\\u0085x"', '"\\t\\b\\f"', '"\u00e9\u4e2d\U0001f600"',
    '"' + "z" * 3_000 + '"', "'''" + "line\n" * 50 + "'''", '"javascript:alert(1)"',
    '"http://169.254.169.254/latest"', '"file:///etc/passwd"', '"https://x.com/%00"',
    '"-rf"', '"--upload-pack=evil"', '"HEAD~1"', '"^main"', '"alice@example.com"', '"@"',
    '"AKIAIOSFODNN7EXAMPLE"', '"ghp_' + "a1" * 18 + '"', "0", "-1", "9223372036854775807",
    "-9223372036854775808", "1.5", "inf", "-inf", "nan", "true", "false", "0001-01-01",
    "9999-12-31", "2026-11-01", "1979-05-27T07:32:00Z", "1979-05-27T07:32:00",
    "1979-05-27T00:32:00.999999-07:00", "07:32:00", "[]", "[[]]", '["alice", "alice"]',
    '["nobody"]', '[1, "a", 2026-01-01]', "{}", '{ a = { b = { c = 1 } } }',
    '[{ x = 1 }, { y = 2 }]', '["' + "alice" * 600 + '"]',
]  # fmt: skip
KEYS = [
    "owners", "criticality", "tags", "expires", "registrar", "auto_renew", "url", "mfa",
    "status", "email", "name", "departed_on", "members", "rule", "asset", "reason",
    "approved_by", "registered", "source", "fetched_at", "name_servers", "statuses",
    "registrant_org", "domain", "email_domains", "files", "extends", "timeout_s", "unknown",
    "kind", "notes", "id", "handle", "recovery_email", "2fa", "platform", "created",
]  # fmt: skip


def mutate_values(text: str, rng: random.Random) -> str:
    """Damage that keeps the file valid TOML: values of the wrong type or of a hostile
    content, keys added or removed."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        line, value = lines[i], rng.choice(GOOD_VALUES)
        op = rng.randrange(4)
        if op < 2 and " = " in line:
            lines[i] = line.split(" = ", 1)[0] + " = " + value
        elif op == 2 and " = " in line:
            del lines[i]
        else:
            key = rng.choice(KEYS)
            if not any(other.startswith(key + " = ") for other in lines):
                lines.insert(i + 1 if line.startswith("[") else i, f"{key} = {value}")
    return "\n".join(lines)


def damage(text: str, rng: random.Random) -> str:
    """Half the time damage that breaks the TOML, half the time damage that keeps it valid."""
    return mutate(text, rng) if rng.random() < 0.5 else mutate_values(text, rng)


ODD_NAMES = [
    "assets/domains/sub/example.org.toml", "assets/unknown/x.toml", "assets/domains/x.txt",
    "assets/domains/UPPER.Example.COM.toml", "assets/domains/exa mple.com.toml",
    "assets/domains/\u00e9xample.com.toml", "assets/domains/xn--e1afmkfd.toml",
    "assets/domains/x\x1b[31m.toml", "assets/domains/::error::x.toml",
    "assets/domains/a\nb.toml", "assets/domains/.toml", "assets/social/x.toml",
    "assets/social/x/y/z.toml", "observations/other.org.toml", "observations/../x.toml",
    "observations/example.com.toml.bak", "observations/sub/x.toml", "people.d/x.toml",
    "assets/domains/example.com.toml/inner.toml",
]  # fmt: skip


def _extra_file(root: Path, rng: random.Random) -> None:
    """A file where none is expected, or under a name nothing expects."""
    rel = rng.choice(ODD_NAMES)
    source = rng.choice(sorted(BASE))
    path = root / rel
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(mutate(BASE[source], rng).encode("utf-8", "surrogatepass"))
    except OSError:  # the name's folder is a file (or the reverse): damage enough
        pass


def generate(seed: int, folder: Path, template: Path | None = None) -> Path:
    """A registry in `folder` with one to three of its files damaged.

    With `template` (see make_template) the folder is a work tree of the template's
    repository: its `.git` is a file naming the template's git folder (as in a submodule), so a
    case costs seven small files, not a copy of a repository. Cases that share a template run
    one at a time; none of the five commands writes to the repository.
    """
    rng = random.Random(seed)
    damaged = set(rng.sample(sorted(BASE), rng.randint(1, 3)))
    folder.mkdir(parents=True)
    if template is not None:
        (folder / ".git").write_text(f"gitdir: {template / '.git'}\n", encoding="utf-8")
    for rel, text in BASE.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            (damage(text, rng) if rel in damaged else text).encode("utf-8", "surrogatepass")
        )
    if rng.random() < 0.1:
        _extra_file(folder, rng)
    chance = rng.random()
    if chance < 0.125:
        _break_kind(folder / rng.choice(sorted(BASE)), folder, rng)
    elif chance < 0.14:  # a whole asset folder that leaves the registry
        social = folder / "assets" / "social"
        shutil.rmtree(social)
        social.symlink_to(rng.choice(("/", "/proc/self", "/dev")))
    return folder


COMMANDS = [
    ("audit",),
    ("list", "--format", "json"),
    ("show", "domain:example.com"),
    ("people", "list"),
    ("check", "--base", "HEAD"),
]
POSITION = re.compile(r"[\w./-]+\.toml:\d+")
