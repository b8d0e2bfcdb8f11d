"""Bad input to `dns`, `web` and the [dns]/[web] settings: one paragraph, the right exit code,
nothing written; and the address guard and observation files on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialgov.lookup.addresses import refusal
from socialgov.lookup.dns_observation import DnsObservation
from socialgov.lookup.web_observation import WebObservation
from tests.conftest import commit_count
from tests.posture.conftest import blog_file, domain_file, make_registry
from tests.posture.servers import DnsServers

NO_SERVER = DnsServers(port=9, processes=[])  # for registries whose commands never ask DNS


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("::1", "::1 is a loopback address"),
        ("10.0.0.1", "10.0.0.1 is a private address"),
        ("192.168.1.20", "192.168.1.20 is a private address"),
        ("169.254.169.254", "169.254.169.254 is a cloud metadata address"),
        ("169.254.10.1", "169.254.10.1 is a link-local address"),
        ("fe80::1", "fe80::1 is a link-local address"),
        ("::ffff:127.0.0.1", "127.0.0.1 is a loopback address"),
        ("100.64.0.1", "100.64.0.1 is not a public address"),
        ("0.0.0.0", "0.0.0.0 is a private address"),
        ("93.184.215.14", None),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", None),
    ],
)
def test_address_guard(address: str, reason: str | None) -> None:
    assert refusal(address) == reason


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ('[dns]\nnameservers = ["127.0.0.1:99999"]\n', 'expected "host" or "host:port"'),
        ("[dns]\nconcurrency = 0\n", "dns.concurrency = 0: expected a whole number of at least 1"),
        ("[dns]\ntimeout_s = 0\n", "dns.timeout_s = 0: expected a number of seconds above 0"),
        ('[dns]\nnameservers = "127.0.0.1"\n', "expected"),
        ("[web]\nmax_bytes = 0\n", "web.max_bytes = 0: expected a whole number of at least 1"),
        ('[web]\nallow_private = "yes"\n', "true or false"),
        ("[web]\nproxy = 1\n", "proxy"),
    ],
)
def test_bad_settings_name_the_line(tmp_path: Path, settings: str, message: str) -> None:
    root = tmp_path / "reg"
    root.mkdir()
    (root / "socialgov.toml").write_text(
        '[organization]\nname = "Example Corp"\n\n' + settings, encoding="utf-8"
    )
    (root / "people.toml").write_text("")
    from tests.conftest import Socialgov, git

    git(root, "init", "-q")
    result = Socialgov(root)("dns", "--all")
    assert result.code == 2, result.stderr
    assert "socialgov.toml:5" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_usage_changes_nothing(tmp_path: Path) -> None:
    assets = {
        "domains/example.com.toml": domain_file(),
        "social/x/examplecorp.toml": 'owners = ["alice"]\n\n[social]\nmfa = true\n',
        "blogs/eng.toml": blog_file("https://blog.example.com/"),
    }
    root, sg = make_registry(tmp_path, NO_SERVER, None, assets)
    before = commit_count(root)
    for args, code, words in (
        (("dns",), 2, "name at least one domain, or pass --all"),
        (("web",), 2, "name at least one asset, or pass --all"),
        (("web", "social:x/examplecorp"), 2, "social:x/examplecorp has no url to fetch"),
        (("web", "blog:nope"), 2, "nope"),
        (("dns", "-bad-.example", "--record"), 2, ""),
    ):
        result = sg(*args)
        assert result.code == code, (args, result.stderr)
        assert words in result.stderr
        assert "Traceback" not in result.stderr
    (root / "socialgov.toml").write_text(
        (root / "socialgov.toml").read_text() + 'ca_file = "missing.pem"\n'
    )
    result = sg("web", "--all")
    assert result.code == 2 and "web.ca_file" in result.stderr
    assert commit_count(root) == before


def test_a_broken_observation_file_is_reported_at_its_path(tmp_path: Path) -> None:
    root, sg = make_registry(tmp_path, NO_SERVER, None, {"domains/example.com.toml": domain_file()})
    broken = root / "observations/dns/example.com.toml"
    broken.parent.mkdir(parents=True)
    broken.write_text('name = "example.com"\nns = "not a list"\n')
    result = sg("audit", "--rule", "dmarc-missing")
    assert result.code == 2
    assert "observations/dns/example.com.toml:1" in result.stderr
    assert "not a valid observation" in result.stderr


def test_observations_round_trip_through_toml() -> None:
    import tomllib

    import tomli_w

    dns = DnsObservation.from_toml(
        {
            "name": "example.com",
            "ns": ["ns1.example.net"],
            "mx": ["0 ."],
            "dnssec": {"ds": True, "dnskey": True, "validates": False, "detail": "x"},
            "name_servers": [{"host": "ns1.example.net", "answer": "refused"}],
            "failed": {"caa": "timeout"},
        }
    )
    again = DnsObservation.from_toml(tomllib.loads(tomli_w.dumps(dns.to_toml())))
    assert again == dns and again.null_mx and again.name_servers[0].lame
    web = WebObservation.from_toml(
        {"asset": "blog:eng", "url": "https://blog.example.com/", "refused": "no"}
    )
    assert WebObservation.from_toml(tomllib.loads(tomli_w.dumps(web.to_toml()))) == web
