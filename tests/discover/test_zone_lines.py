"""The fast zone-line reader gives exactly the records dnspython's zone reader gives.

Each case is read twice: by `zone_lines.read_records` (plain lines itself, the rest through
dnspython in chunks) and by dnspython alone over the whole file; owners, types, targets and
the zone's name must be equal, and a file dnspython refuses must make the fast reader give
up (so that the caller reports dnspython's error)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from socialgov.discover import zone_lines
from socialgov.discover.zone import _parse, read_zone
from socialgov.discover.zone_lines import NotPlain, name_key, owner_key, rdata_target

DATA = Path(__file__).parents[1] / "data" / "discover"


def by_dnspython(text: str, origin: str | None) -> tuple[str, list[Any]] | str:
    try:
        parsed = _parse(text, origin, "test.zone")
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    zone = name_key(parsed.origin.to_text()) if parsed.origin is not None else ""
    return zone, [(owner_key(o), *rdata_target(r)) for o, r in parsed.records]


def by_lines(text: str, origin: str | None) -> tuple[str, list[Any]] | str:
    try:
        zone, records = zone_lines.read_records(text, origin, "test.zone")
    except NotPlain:
        return "gave up"
    return (name_key(zone) if zone else ""), records


def assert_same(text: str, origin: str | None = None) -> tuple[str, list[Any]] | str:
    expected = by_dnspython(text, origin)
    got = by_lines(text, origin)
    if isinstance(expected, str):
        assert got == "gave up", f"dnspython refused ({expected}) but the fast reader read {got}"
    else:
        assert got in (expected, "gave up")
    return got


PLAIN = """\
$ORIGIN Example.COM.
$TTL 3600
@ IN SOA ns1.example.net. hostmaster 1 7200 3600 1209600 3600
www IN CNAME @
WWW2 300 IN A 192.0.2.1
api IN 300 CNAME api.eu
\tIN AAAA 2001:DB8:0:0::1
host 60 A 198.51.100.7 ; trailing comment
; a comment line

  ; an indented comment
* IN A 192.0.2.9
_dmarc IN CNAME dmarc.example.net.
other.example.net. IN A 192.0.2.3
$ORIGIN sub
x CNAME y
$ORIGIN example.org.
y IN A 192.0.2.4
"""

MIXED = """\
; synthetic zone with every construct a BIND file has
$ORIGIN example.com.
$TTL 1h
@   IN  SOA ns1.example.net. hostmaster.example.com. (
            2026110101 ; serial
            7200       ; refresh
            3600 1209600 3600 )
@   IN  NS  ns1.example.net.
@   IN  MX  10 mail
@   IN  TXT "v=spf1 -all ; not a comment (nor a parenthesis"
    IN  TXT ( "split over"
              "two lines" )
txt IN  TXT "quoted \\" quote"
blog IN CNAME example.wordpress.com.
\\@odd IN A 192.0.2.8
esc\\.aped IN CNAME target
next IN A 192.0.2.5
    IN AAAA ::ffff:192.0.2.5
$GENERATE 1-3 gen$ A 192.0.2.$
after CNAME gen1
srv._tcp IN SRV 0 5 443 host
"""


@pytest.mark.parametrize(
    "file", ["example.com.zone", "db.example.org", "broken.zone", "include.zone"]
)
def test_the_test_zones(file: str) -> None:
    text = (DATA / file).read_text()
    origin = "example.org." if file == "db.example.org" else None
    assert_same(text, origin)


def test_plain_lines_are_read_without_dnspython(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("a plain line was handed to dnspython")

    monkeypatch.setattr(zone_lines, "_delegate", refuse)
    text = PLAIN.replace("@ IN SOA ns1.example.net. hostmaster 1 7200 3600 1209600 3600\n", "")
    got = assert_same(text)
    assert got != "gave up"
    zone, records = got
    assert zone == "example.com"
    assert ("www.example.com", "CNAME", "example.com") in records
    assert ("www2.example.com", "A", "192.0.2.1") in records
    assert ("api.example.com", "AAAA", "2001:db8::1") in records  # the indented line's owner
    assert ("x.sub.example.com", "CNAME", "y.sub.example.com") in records
    assert not any(owner.endswith("example.net") for owner, *_ in records)  # outside the zone


def test_the_other_lines_go_through_dnspython() -> None:
    got = assert_same(MIXED)
    assert got != "gave up"
    _zone, records = got
    owners = [owner for owner, *_ in records]
    assert {"gen1.example.com", "gen3.example.com", "srv._tcp.example.com"} <= set(owners)
    assert ("\\@odd.example.com", "A", "192.0.2.8") in records
    assert ("esc\\.aped.example.com", "CNAME", "target.example.com") in records
    assert ("example.com", "AAAA", "::ffff:192.0.2.5") not in records  # the owner is `next`
    assert ("next.example.com", "AAAA", "::ffff:192.0.2.5") in records


@pytest.mark.parametrize(
    "text",
    [
        "$ORIGIN example.com.\nwww A 192.0.2.1\n",  # no TTL anywhere
        "$ORIGIN example.com.\n$TTL 60\nwww A 192.0.2.01\n",  # leading zero
        "$ORIGIN example.com.\n$TTL 60\nwww A 192.0.2.1 extra\n",
        "$ORIGIN example.com.\n$TTL 60\nwww CNAME a..b\n",
        "$ORIGIN example.com.\n$TTL 60\nwww CNAME\n",
        "$ORIGIN example.com.\n$TTL 60\nwww CH A 192.0.2.1\n",
        "$ORIGIN example.com.\n$TTL 60\nwww 4294967296 A 192.0.2.1\n",
        "$ORIGIN example.com.\n$TTL 60\n" + "a" * 64 + " A 192.0.2.1\n",
        "$ORIGIN example.com.\n$TTL 60\nwww AAAA 2001:db8::g\n",
        "$ORIGIN example.com.\n$TTL 60\nwww IN SOA a b ( 1 2 3 4 5\nnext A 192.0.2.1\n",
        '$ORIGIN example.com.\n$TTL 60\nwww TXT "open\n',
        "$ORIGIN example.com.\n$FOO bar\n",
        "$TTL 60\nwww A 192.0.2.1\n",  # no origin
        "$ORIGIN relative\n",
        "  A 192.0.2.1\n$ORIGIN example.com.\n",
    ],
)
def test_files_dnspython_refuses_make_it_give_up(text: str) -> None:
    assert isinstance(by_dnspython(text, None), str)
    assert by_lines(text, None) == "gave up"


def test_windows_line_ends_and_tabs() -> None:
    text = PLAIN.replace("\n", "\r\n").replace(" IN ", "\tIN\t")
    assert assert_same(text) != "gave up"


def test_read_zone_gives_what_it_gave_before(tmp_path: Path) -> None:
    """The sightings of the mixed zone through the fast reader equal those of dnspython."""
    path = tmp_path / "example.com.zone"
    path.write_text(MIXED)
    fast = read_zone(path)

    def whole(text: str, origin: str | None, shown: str) -> Any:
        raise NotPlain

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("socialgov.discover.zone.read_records", whole)
        slow = read_zone(path)
    assert fast == slow and len(fast) >= 8


# Generated zones: lines drawn from pieces that are valid, odd or wrong, in any order.
NAMES = [
    "@",
    "www",
    "WWW",
    "a.b",
    "x.example.com.",
    "other.net.",
    "*",
    "_s",
    "a" * 63,
    "é",
    "a\\.b",
]
VALUES = {
    "A": ["192.0.2.1", "192.0.2.01", "256.1.1.1", "1.2.3"],
    "AAAA": ["2001:db8::1", "2001:DB8:0::1", "::ffff:1.2.3.4", "zz::1"],
    "CNAME": ["target", "Target.Example.NET.", "@", ".", "a..b", '"q"'],
    "MX": ["10 mail", "x mail"],
    "TXT": ['"v=spf1 -all"', '( "a" "b" )', "plain", '"semi;colon"'],
}
OWNERS = [*NAMES, " ", "\t"]
TTLS = ["", " 300", " 1h", " 99999999999"]
CLASSES = ["", " IN", " in", " CH"]
OTHER_LINES = [
    "$ORIGIN example.com.",
    "$ORIGIN sub",
    "$ORIGIN other.org.",
    "$TTL 300",
    "$TTL 1d",
    "; comment",
    "",
    "   ",
    "@ SOA ns h ( 1 2",
    " 3 4 5 )",
    "$GENERATE 1-2 g$ A 192.0.2.$",
]


def generated_line(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(OTHER_LINES)
    rtype = rng.choice(sorted(VALUES))
    # mostly a value of the type, sometimes one of another type
    values = VALUES[rtype] if rng.random() < 0.8 else rng.choice(list(VALUES.values()))
    return (
        f"{rng.choice(OWNERS)}{rng.choice(TTLS)}{rng.choice(CLASSES)} {rtype} {rng.choice(values)}"
    )


@pytest.mark.parametrize("seed", range(20))
def test_generated_zones(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        lines = [generated_line(rng) for _ in range(rng.randint(1, 12))]
        origin = rng.choice([None, "example.com."])
        assert_same("\n".join(lines) + "\n", origin)
