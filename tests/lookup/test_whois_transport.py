"""The port-43 transport against real loopback servers, polite and hostile."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from socialgov.lookup.decode import LATIN1_NOTE
from socialgov.lookup.failures import QueryFailed
from socialgov.lookup.whois import (
    IanaDirectory,
    WhoisServer,
    find_referral,
    query_whois,
    whois_lookup,
    whois_server_for,
)
from tests.lookup.loopback import HUGE, RESET, SILENT, TRICKLE, WhoisServerThread, corpus_text

MakeWhois = Callable[..., WhoisServerThread]
GOOGLE_COM = "weppos--whois.verisign-grs.com_com--registered--google.com.txt"


def test_answer_comes_back_whole_with_lf_line_ends(whois_server: MakeWhois) -> None:
    server = whois_server({"google.com": corpus_text(GOOGLE_COM)})
    raw = query_whois("127.0.0.1", server.port, "google.com", timeout=2)
    assert b"\r\n" not in raw
    assert raw == corpus_text(GOOGLE_COM).replace(b"\r\n", b"\n")
    assert server.queries == ["google.com"]


def test_silent_server_times_out_within_the_deadline(whois_server: MakeWhois) -> None:
    server = whois_server(lambda q: SILENT)
    started = time.monotonic()
    with pytest.raises(QueryFailed, match=r"within 0\.3 s") as info:
        query_whois("127.0.0.1", server.port, "x.com", timeout=0.3)
    assert time.monotonic() - started < 1.0
    assert info.value.retryable


def test_trickling_server_cannot_extend_the_deadline(whois_server: MakeWhois) -> None:
    """The timeout bounds the whole answer, not each recv: a byte every 50 ms is no escape."""
    server = whois_server(lambda q: TRICKLE)
    started = time.monotonic()
    with pytest.raises(QueryFailed, match=r"within 0\.4 s"):
        query_whois("127.0.0.1", server.port, "x.com", timeout=0.4)
    assert time.monotonic() - started < 1.0


def test_reset_mid_answer_is_an_error_not_a_short_answer(whois_server: MakeWhois) -> None:
    server = whois_server(lambda q: RESET)
    with pytest.raises(QueryFailed, match="reset the connection"):
        query_whois("127.0.0.1", server.port, "example.com", timeout=2)


def test_answer_over_the_size_cap_is_an_error(whois_server: MakeWhois) -> None:
    server = whois_server(lambda q: HUGE)
    with pytest.raises(QueryFailed, match="exceeds 1000000 bytes"):
        query_whois("127.0.0.1", server.port, "big.com", timeout=5)


def test_refused_connection_is_an_error(closed_port: int) -> None:
    with pytest.raises(QueryFailed, match="refused the connection"):
        query_whois("127.0.0.1", closed_port, "x.com", timeout=1)


def test_latin1_answer_is_read_with_a_note(whois_server: MakeWhois) -> None:
    text = "Domain Name: societe.fr\nRegistrar: Soci\xe9t\xe9 G\xe9n\xe9rale\nCreation Date: 26.07.2000\n"
    server = whois_server({"societe.fr": text.encode("latin-1")})
    obs = whois_lookup("societe.fr", WhoisServer("127.0.0.1", server.port), timeout=2)
    assert obs.registered is True
    assert obs.registrar == "Société Générale"
    assert LATIN1_NOTE in obs.extra["notes"]


def test_referral_is_followed_once_and_fills_the_registrant(whois_server: MakeWhois) -> None:
    registrar = whois_server(
        {
            "example.com": b"Domain Name: EXAMPLE.COM\nRegistrar: Example Registrar, Inc.\n"
            b"Registrant Organization: Example Corp\nRegistrar WHOIS Server: 127.0.0.1:1\n"
        }
    )
    registry = whois_server(
        {
            "example.com": b"Domain Name: EXAMPLE.COM\n"
            + f"Registrar WHOIS Server: {registrar.label}\n".encode()
            + b"Registrar: Example Registrar, Inc.\nCreation Date: 1995-08-14T04:00:00Z\n"
            b"Name Server: A.IANA-SERVERS.NET\n"
        }
    )
    obs = whois_lookup("example.com", WhoisServer("127.0.0.1", registry.port), timeout=2)
    assert obs.registered is True
    assert obs.registrant_org == "Example Corp"
    assert obs.created is not None and obs.created.isoformat() == "1995-08-14"
    assert obs.extra["referral"] == registrar.label
    assert registry.queries == ["example.com"] and registrar.queries == ["example.com"]


def test_unreachable_referral_keeps_the_registry_answer(
    whois_server: MakeWhois, closed_port: int
) -> None:
    registry = whois_server(
        {
            "example.com": b"Domain Name: EXAMPLE.COM\n"
            + f"Registrar WHOIS Server: whois://127.0.0.1:{closed_port}\n".encode()
            + b"Registrar: Example Registrar, Inc.\nName Server: A.IANA-SERVERS.NET\n"
        }
    )
    obs = whois_lookup("example.com", WhoisServer("127.0.0.1", registry.port), timeout=1)
    assert obs.registered is True
    assert obs.registrar == "Example Registrar, Inc."
    assert "refused" in obs.extra["referral_error"]


def test_rate_limit_text_raises_a_retryable_failure(whois_server: MakeWhois) -> None:
    server = whois_server(lambda q: b"Query rate limit exceeded. Try again later.\n")
    with pytest.raises(QueryFailed, match="rate limit") as info:
        whois_lookup("x.com", WhoisServer("127.0.0.1", server.port), timeout=1)
    assert info.value.retryable


def test_iana_referral_is_asked_once_per_tld(whois_server: MakeWhois) -> None:
    iana = whois_server(
        lambda q: b"% IANA WHOIS server\n\nrefer:        whois.nic.example\n\ndomain: X\n"
    )
    directory = IanaDirectory(WhoisServer("127.0.0.1", iana.port))
    first = whois_server_for("a.zz", {}, directory, timeout=1)
    second = whois_server_for("b.zz", {}, directory, timeout=1)
    assert first == second == WhoisServer("whois.nic.example")
    assert iana.queries == ["zz"]


def test_server_choice_override_then_builtin() -> None:
    directory = IanaDirectory(WhoisServer("127.0.0.1", 9))  # never asked below
    overrides = {"co.uk": "127.0.0.1:4343", "com": "whois.example.net"}
    assert whois_server_for("a.co.uk", overrides, directory, timeout=1) == WhoisServer(
        "127.0.0.1", 4343
    )
    assert whois_server_for("a.com", overrides, directory, timeout=1).host == "whois.example.net"  # type: ignore[union-attr]
    assert whois_server_for("a.de", {}, directory, timeout=1) == WhoisServer("whois.denic.de")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("whois.example.net", WhoisServer("whois.example.net", 43)),
        ("127.0.0.1:4343", WhoisServer("127.0.0.1", 4343)),
        ("whois://rwhois.example.net:4321", WhoisServer("rwhois.example.net", 4321)),
        ("[::1]:4343", WhoisServer("::1", 4343)),
    ],
)
def test_server_specs(spec: str, expected: WhoisServer) -> None:
    assert WhoisServer.parse(spec) == expected


def test_referral_to_the_same_server_is_not_followed() -> None:
    current = WhoisServer("whois.verisign-grs.com")
    assert find_referral("Registrar WHOIS Server: whois.verisign-grs.com\n", current) is None
    assert find_referral("Registrar WHOIS Server: \n", current) is None
    assert find_referral("ReferralServer: whois://whois.x.net\n", current) == WhoisServer(
        "whois.x.net"
    )
