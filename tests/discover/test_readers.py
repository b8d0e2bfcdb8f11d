"""The readers, in process: each registrar export, zone files and both CT formats, and bad input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from socialgov.discover.ct import read_ct
from socialgov.discover.registrar import read_export
from socialgov.discover.zone import read_zone
from socialgov.errors import InputError

from .conftest import DATA

TODAY = date(2026, 11, 15)


@pytest.mark.parametrize(
    ("file", "reader", "expected"),
    [
        (
            "markmonitor-portfolio.csv",
            "markmonitor",
            {
                "example.com": "2027-08-13",
                "example-campaign.com": "2026-03-02",
                "example.net": "2027-01-20",
            },
        ),
        (
            "csc-portfolio.csv",
            "csc",
            {"example.co.uk": "2027-03-15", "example-events.de": "2026-06-01"},
        ),
        (
            "godaddy-domains.csv",
            "godaddy",
            {"examplestore.shop": "2026-11-30", "example-sale.com": "2027-02-14"},
        ),
        (
            "namecheap-domains.csv",
            "namecheap",
            {"example-blog.net": "2026-05-04", "xn--bcher-example-wob.com": "2026-09-01"},
        ),
        (
            "cloudflare-registrar.csv",
            "cloudflare",
            {"example.dev": "2027-02-01", "example-cdn.net": "2026-07-19"},
        ),
        ("gandi-domains.csv", "gandi", {"example.fr": "2027-04-02", "example.eu": "2026-10-10"}),
    ],
)
def test_each_registrar_export_is_recognised_by_its_header(
    file: str, reader: str, expected: dict[str, str]
) -> None:
    sightings = read_export(DATA / file)
    assert {s.name: s.expires.isoformat() for s in sightings if s.expires} == expected
    assert {s.reader for s in sightings} == {reader}
    assert all(s.registered and s.registrar for s in sightings)
    assert sightings[0].source == f"{DATA / file}:2"


def test_any_csv_with_a_mapping() -> None:
    sightings = read_export(
        DATA / "porkbun-export.csv", {"domain": "DOMAIN", "expires": "EXPIRE DATE"}
    )
    assert [(s.name, s.expires) for s in sightings] == [("example-labs.io", date(2027, 6, 30))]
    with pytest.raises(InputError) as unknown:
        read_export(DATA / "porkbun-export.csv")
    assert unknown.value.line == 1 and "--map" in str(unknown.value)
    with pytest.raises(InputError) as missing:
        read_export(DATA / "porkbun-export.csv", {"domain": "Domain Name"})
    assert "'Domain Name'" in str(missing.value)


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (
            "Domain Name,TLD,Status,Expiration Date,Auto-renew,Privacy,Locked\na.com,com,Active,2027-01-01,On,On\n",
            2,
            "fields",
        ),
        (
            "Domain Name,TLD,Status,Expiration Date,Auto-renew,Privacy,Locked\nok.com,com,A,2027-01-01,On,On,On\nnot a domain,com,A,2027-01-01,On,On,On\n",
            3,
            "not a domain",
        ),
        (
            'Domain Name,TLD,Status,Expiration Date,Auto-renew,Privacy,Locked\n"a.com,com,A,2027-01-01,On,On,On\n',
            2,
            "CSV",
        ),
        ("", 1, "empty"),
        ("Domain Name,Expiration Date,Auto-renew,Privacy,Locked\n\xff\n", 2, "UTF-8"),
    ],
)
def test_a_malformed_row_names_its_line(
    tmp_path: Path, content: str, line: int, words: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content.encode("latin-1"))
    with pytest.raises(InputError) as error:
        read_export(path)
    assert error.value.line == line, str(error.value)
    assert str(error.value).startswith(f"{path}:{line}") and words in str(error.value)


def test_bad_expiry_date_in_a_real_export() -> None:
    with pytest.raises(InputError) as error:
        read_export(DATA / "godaddy-malformed.csv")
    assert error.value.line == 3 and "'next spring' is not a date" in str(error.value)


def test_zone_with_origin_changes_and_relative_names() -> None:
    sightings = {s.name: s for s in read_zone(DATA / "example.com.zone")}
    assert {
        "example.com",
        "www.example.com",
        "blog.example.com",
        "promo.spring.example.com",
    } <= set(sightings)
    assert "_dmarc.example.com" not in sightings  # a service label is no host
    blog = sightings["blog.example.com"]
    assert (blog.rtype, blog.target) == ("CNAME", "example.wordpress.com")
    assert blog.source == f"{DATA / 'example.com.zone'}:11"
    assert sightings["docs.example.com"].rtype == "A"
    assert sightings["promo.spring.example.com"].target == "example-spring.netlify.app"


def test_zone_origin_from_the_file_name() -> None:
    sightings = {s.name: s for s in read_zone(DATA / "db.example.org")}
    assert sightings["stories.example.org"].target == "example.medium.com"


@pytest.mark.parametrize(
    ("file", "line", "words"),
    [("include.zone", 4, "$INCLUDE is not allowed"), ("broken.zone", 5, "not a valid zone file")],
)
def test_zone_errors_name_the_line(file: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as error:
        read_zone(DATA / file)
    assert error.value.line == line and words in str(error.value)


def test_zone_without_origin(tmp_path: Path) -> None:
    path = tmp_path / "zonefile"
    path.write_text("www IN A 192.0.2.1\n")
    with pytest.raises(InputError) as error:
        read_zone(path)
    assert "origin" in str(error.value) and error.value.line == 1


def test_crtsh_folds_wildcards_merges_precertificates_marks_expired() -> None:
    sightings = {s.name: s for s in read_ct(DATA / "crtsh-example.com.json", TODAY)}
    assert "*.example.com" not in sightings
    assert "example.com" in sightings and "hostmaster@example.com" not in sightings
    # the precertificate (id 15528451201) and the certificate share issuer and serial: one
    assert sightings["example.com"].evidence.startswith("in 1 certificate (crt.sh)")
    old = sightings["old-microsite.net"]
    assert old.expired and "expired 2025-02-08" in old.evidence
    assert not sightings["spring-campaign-example.com"].expired
    assert sightings["shop.example.com"].reader == "crt.sh"


def test_certspotter_merges_by_tbs_hash_and_marks_expired() -> None:
    sightings = {s.name: s for s in read_ct(DATA / "certspotter-example.com.json", TODAY)}
    assert set(sightings) == {"example-partners.com", "intranet-example.org", "status.example.com"}
    assert sightings["example-partners.com"].evidence == (
        "in 1 certificate (Cert Spotter), valid until 2027-01-03"
    )
    assert sightings["intranet-example.org"].expired


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[{", "not valid JSON"),
        ('{"a": 1}', "JSON array"),
        ('[{"serial": 1}]', "not a certificate list"),
        ('[{"name_value": "a.com", "not_after": "soon"}]', "not a date"),
        ('[{"dns_names": "a.com"}]', "not a Cert Spotter issuance"),
    ],
)
def test_ct_bad_input(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "ct.json"
    path.write_text(content)
    with pytest.raises(InputError) as error:
        read_ct(path, TODAY)
    assert words in str(error.value) and str(error.value).startswith(str(path))
