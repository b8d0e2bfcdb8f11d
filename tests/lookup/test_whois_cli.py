"""`socialgov whois` end to end: the installed entry point against loopback WHOIS and RDAP servers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Socialgov, commit_count, git
from tests.lookup.loopback import RdapServerThread, WhoisServerThread, corpus_text

RATE_LIMITED = b"Query rate limit exceeded. Please try again later.\n"


def make_registry(tmp_path: Path, lookup: str) -> tuple[Path, Socialgov]:
    root = tmp_path / "reg"
    assert (
        Socialgov(tmp_path)(
            "init", str(root), "--org", "Example Corp", "--email-domain", "example.com"
        ).code
        == 0
    )
    settings = root / "socialgov.toml"
    text = settings.read_text()
    settings.write_text(text[: text.index("[lookup]")] + lookup)
    git(root, "commit", "-qam", "lookup settings for the test servers")
    sg = Socialgov(root)
    assert sg("people", "add", "alice", "--name", "Alice", "--email", "alice@example.com").code == 0
    for name in ("good.example", "other.example", "limited.example"):
        assert sg("add", "domain", name, "--owner", "alice").code == 0
    return root, sg


def test_record_all_writes_observations_in_one_commit(
    tmp_path: Path, whois_server: Callable[..., WhoisServerThread]
) -> None:
    server = whois_server(
        {
            "good.example": corpus_text("weppos--whois.gandi.net--registered--gandi.net.txt"),
            "other.example": corpus_text("weppos--whois.pir.org_org--available--u34jedzcq.org.txt"),
            "limited.example": RATE_LIMITED,
        }
    )
    lookup = f'[lookup]\norder = ["whois"]\ntimeout_s = 2\nwhois_servers = {{ example = "{server.label}" }}\n'
    root, sg = make_registry(tmp_path, lookup)
    before = commit_count(root)
    result = sg("whois", "--all", "--record", "--format", "json")
    assert result.code == 3, result.stderr
    by_domain = {o["domain"]: o for o in json.loads(result.stdout)}
    assert by_domain["good.example"]["registered"] is True
    assert by_domain["good.example"]["registrar"]
    assert by_domain["other.example"]["registered"] is False
    assert by_domain["limited.example"]["registered"] is None
    assert "rate" in by_domain["limited.example"]["error"].lower()
    assert "lookup failed for limited.example" in result.stderr
    assert commit_count(root) == before + 1
    committed = git(root, "show", "--name-only", "--format=%s", "HEAD").split("\n")
    assert committed[0] == "whois --record: 2 observations, 1 lookup failed"
    assert sorted(f for f in committed[1:] if f) == [
        "observations/good.example.toml",
        "observations/other.example.toml",
    ]
    assert git(root, "status", "--porcelain") == ""
    queries = len(server.queries)
    again = sg("whois", "good.example", "other.example", "-f", "json")
    assert again.code == 0, again.stderr
    assert len(server.queries) == queries  # answered from the cache
    fresh = sg("whois", "good.example", "--no-cache", "-f", "json")
    assert fresh.code == 0 and len(server.queries) == queries + 1
    listed = json.loads(
        sg(
            "--today",
            "2026-11-23",
            "audit",
            "--rule",
            "observation-stale",
            "-f",
            "json",
            "--fail-on",
            "none",
        ).stdout
    )
    stale = {f["asset"] for f in listed["findings"]}
    assert "domain:limited.example" in stale and "domain:good.example" not in stale


def test_rdap_first_then_table(tmp_path: Path, rdap_server: RdapServerThread) -> None:
    rdap_server.serve_corpus("good.example", "whoisit--google.com--domain1.json")
    bootstrap = rdap_server.bootstrap_file(tmp_path, ["example"])
    lookup = f'[lookup]\norder = ["rdap"]\ntimeout_s = 2\nrdap_bootstrap = "{bootstrap}"\n'
    _, sg = make_registry(tmp_path, lookup)
    result = sg("whois", "good.example", "-f", "json")
    assert result.code == 0, result.stderr
    observation = json.loads(result.stdout)[0]
    assert observation["source"] == "rdap" and observation["registered"] is True
    assert observation["name_servers"] and all(
        ns == ns.lower() for ns in observation["name_servers"]
    )
    table = sg("whois", "good.example")
    assert "good.example" in table.stdout and "rdap" in table.stdout


def test_from_file_and_bad_input(tmp_path: Path) -> None:
    lookup = (
        '[lookup]\norder = ["whois"]\ntimeout_s = 1\nwhois_servers = { example = "127.0.0.1:9" }\n'
    )
    root, sg = make_registry(tmp_path, lookup)
    saved = tmp_path / "saved.txt"
    gandi = corpus_text("weppos--whois.gandi.net--registered--gandi.net.txt")
    saved.write_bytes(gandi.replace(b"Domain Name: gandi.net", b"Domain Name: good.example"))
    parsed = sg("whois", "good.example", "--from-file", str(saved), "-f", "json")
    assert parsed.code == 0, parsed.stderr
    assert json.loads(parsed.stdout)[0]["registered"] is True
    before = commit_count(root)
    recorded = sg("whois", "good.example", "--from-file", str(saved), "--record")
    assert recorded.code == 0 and commit_count(root) == before + 1
    assert (root / "observations/good.example.toml").is_file()
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\xff\xfe garbage \x00" * 50)
    bad = sg("whois", "good.example", "--from-file", str(garbage))
    assert bad.code == 2 and f"{garbage}:1" in bad.stderr and "Traceback" not in bad.stderr
    stranger = tmp_path / "stranger.txt"
    stranger.write_bytes(saved.read_bytes().replace(b"good.example", b"stranger.example"))
    outsider = sg("whois", "stranger.example", "--from-file", str(stranger), "--record")
    assert outsider.code == 2 and "not a domain of the registry" in outsider.stderr
    assert commit_count(root) == before + 1
    refused = sg("whois", "other.example", "-f", "json")
    assert refused.code == 3
    assert json.loads(refused.stdout)[0]["registered"] is None
    assert sg("whois", "not a domain").code == 2


def test_ctrl_c_during_lookups_exits_130_at_once(
    tmp_path: Path, whois_server: Callable[..., WhoisServerThread]
) -> None:
    import os
    import signal
    import subprocess
    import time

    from tests.conftest import entry_point
    from tests.lookup.loopback import SILENT

    server = whois_server(lambda query: SILENT)
    lookup = f'[lookup]\norder = ["whois"]\ntimeout_s = 30\nwhois_servers = {{ example = "{server.label}" }}\n'
    root, _ = make_registry(tmp_path, lookup)
    proc = subprocess.Popen(
        [entry_point(), "whois", "--all", "--no-cache"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while not server.queries and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.queries, "the lookup never reached the server"
    started = time.monotonic()
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert time.monotonic() - started < 5  # not held until the 30 s lookup timeout
    assert b"interrupted" in stderr and b"Traceback" not in stderr
