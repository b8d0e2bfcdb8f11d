"""The secret scanner on a table of secret families and benign look-alikes, and its speed."""

from __future__ import annotations

import random
import time

import pytest

from socialgov.policy.secret_scan import classify, secret_kind

# Shaped like the real thing; none of them is a live credential.
SECRETS = {
    "rsa private key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...",
    "openssh private key": "-----BEGIN OPENSSH PRIVATE KEY-----",
    "ec private key": "-----BEGIN EC PRIVATE KEY-----",
    "pgp private key": "-----BEGIN PGP PRIVATE KEY BLOCK-----",
    "github classic": "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "github fine-grained": "github_pat_11ABCDEFG0abcdefghijkl_" + "x" * 30,
    "github oauth": "gho_" + "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2",
    "slack bot": "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "slack webhook": "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "discord webhook": "https://discord.com/api/webhooks/123456789012345678/abcDEF",
    "aws access key": "AKIAIOSFODNN7EXAMPLE",
    "aws secret key alone": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "stripe": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "gitlab": "glpat-" + "xxxxXXXX1234yyyyZZZZ",
    "google api key": "AIza" + "SyA1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q",
    "google oauth secret": "GOCSPX-" + "AbCdEfGhIjKlMnOpQrStUvWxYz12",
    "npm": "npm_" + "a" * 18 + "B" * 18,
    "pypi": "pypi-AgEIcHlwaS5vcmc" + "A1b2C3d4E5f6G7h8I9j0" * 3,
    "openai": "sk-proj-" + "Ab12Cd34Ef56Gh78Ij90Kl12",
    "anthropic": "sk-ant-" + "api03-Ab12Cd34Ef56Gh78Ij90",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "url credentials": "https://admin:S3cr3tPass@cms.example.com/login",
    "password": "password: hunter2hunter",
    "pw": "pw: Summer2024!",
    "passwort": "Passwort: Geheim!2024",
    "mot de passe": "mot de passe: Soleil#2024",
    "pin": "PIN: 4821",
    "totp otpauth": "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    "totp seed": "TOTP seed: JBSWY3DPEHPK3PXP",
    "recovery codes": "recovery codes: 8f3k2-9d7s1 4j6h2-1k9d8 7g5f3-2h8j4",
    "recovery codes bare": "a1b2-c3d4 e5f6-g7h8 i9j0-k1l2 m3n4-o5p6",
    "authorization basic": "Authorization: Basic dXNlcjpwYXNzd29yZA==",
    "authorization bearer": "Authorization: Bearer abcdef0123456789",
    "epp auth code": "EPP code: X7#kP2!qL9",
    "auth code": "auth code = Tr4nsf3r!Cod3",
    "facebook page token": "EAAB" + "wzLixnjYBAO0ZC8ZBZAZCqZBzXZA1Ab2Cd3Ef4Gh5",
    "twilio": "SK" + "0123456789abcdef0123456789abcdef",
    "sendgrid": "SG."
    + "abcdefghijklmnopqrstuv"
    + "."
    + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg",
    "mailgun": "key-" + "0123456789abcdef0123456789abcdef",
    "telegram": "123456789:AA" + "Hd1fGh2jKl3mNo4pQr5sTu6vWx7yZ8aBcD",
    "shopify": "shpat_" + "0123456789abcdef0123456789abcdef",
    "digitalocean": "dop_v1_" + "0123456789abcdef" * 4,
    "vault": "hvs." + "CAESIAbCdEfGhIjKlMnOpQrStUvWx",
    "databricks": "dapi" + "0123456789abcdef0123456789abcdef",
    "atlassian": "ATATT3xFfGF0" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123",
    "azure storage": "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=" + "Ab1+" * 20,
    "client secret": "client_secret=Zq8xY7wV6uT5sR4q",
    "api key": "api key: 9f8e7d6c5b4a3f2e",
    "high entropy token": "Zx9Qm2Lk8Jh7Gf6Ds5Ap4Oi3Uy2Tr1Ew0",
}

BENIGN = {
    "commit sha": "6b50354e9c077e7ea7884b41270a1b2c3d4e5f60",
    "sha-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "docker digest": "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "md5": "d41d8cd98f00b204e9800998ecf8427e",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "ssh ed25519": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop",
    "ssh rsa": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA7x9Yk2Lp3Qw8Zr5Tn1Hs6Xc4Vb0Mm2Nn alice@example",
    "pgp public key": "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBGRkZ2IBEADcX1Zq9Yk8Lp3Qw8Zr5Tn1Hs6Xc4Vb0Mm2",
    "certificate": "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa",
    "dkim": "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq",
    "google site verification": "google-site-verification=rXOxyZounnZasA8Z7oaD3c14JdjS9aKSWvsR1EbUSIQ",
    "facebook domain verification": "facebook-domain-verification=z7x8c9v0b1n2m3a4s5d6f7g8h9j0k1",
    "ms verification": "MS=ms12345678",
    "spf": "v=spf1 include:_spf.google.com ~all",
    "dmarc": "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
    "twitter id": "1234567890123456789",
    "youtube channel id": "UCuAXFkgsw1L7xaCfnd5JJOw",
    "youtube video id": "dQw4w9WgXcQ",
    "linkedin urn": "urn:li:organization:1234567",
    "google analytics": "G-ABCDEF1234",
    "ua id": "UA-12345678-1",
    "gtm": "GTM-ABC123",
    "url": "https://www.example.com/spring-sale?utm_source=newsletter&utm_campaign=2026",
    "email": "alice.example@example.com",
    "password reference": "password: stored in 1Password",
    "vault reference": "op://Marketing/x-account/password",
    "slug": "spring-sale-2011-landing-page",
    "punycode domain": "xn--nordwind-kche-5ob.example",
    "name server": "ns1.example-dns.com",
    "date-time": "2026-11-01T12:00:00Z",
    "phone": "+44 20 7946 0958",
    "mastodon": "@alice@mastodon.social",
    "ipv6": "2001:db8:85a3::8a2e:370:7334",
    "sentence": "Renewal handled by finance; contact bob before May",
    "aws arn": "arn:aws:s3:::example-bucket",
    "aws account": "123456789012",
    "ticket": "JIRA-1234",
}


def test_the_table_is_big_enough() -> None:
    assert len(SECRETS) >= 45
    assert len(BENIGN) >= 33


def test_secret_families_are_caught() -> None:
    missed = [name for name, value in SECRETS.items() if classify(value) is None]
    assert len(SECRETS) - len(missed) >= 44, missed


def test_password_manager_references_are_accepted_as_credential_refs() -> None:
    for ref in ("1password://HR/LinkedIn careers showcase", "op://Marketing/X account/password"):
        assert secret_kind("social.credential_ref", ref) is None, ref
    assert secret_kind("social.credential_ref", "pass: hunter2-Secret99") is not None


def test_benign_values_are_accepted() -> None:
    refused = {name: classify(value) for name, value in BENIGN.items() if classify(value)}
    assert len(refused) <= 1, refused


@pytest.mark.parametrize(
    "value",
    [
        "a" * 5_000_000,
        "A1" * 2_500_000,
        "x://" + "a" * 5_000_000,
        "password" * 600_000,
        "-----BEGIN " + "A " * 2_000_000,
        "aB3/" * 1_250_000,
        ("a1b2-" * 1_000_000),
    ],
    ids=["letters", "alnum", "url", "words", "pem", "base64", "dashes"],
)
def test_scanning_is_fast(value: str) -> None:
    started = time.perf_counter()
    assert classify(value) is not None  # over MAX_SCANNED: refused unread
    for size in (1000, 16_000, 64_000):
        classify(value[:size])
    assert time.perf_counter() - started < 2.0


def _first_match_unfiltered(value: str) -> str | None:
    """What classify would say scanning every pattern, without the marks that skip most."""
    from socialgov.policy.secret_scan import _KNOWN, _MAYBE, _PUBLIC, MAX_SCANNED, _high_entropy

    assert len(value) <= MAX_SCANNED
    if not _MAYBE.search(value):
        return None
    for kind, pattern in _KNOWN:
        if pattern.search(value):
            return kind
    if _high_entropy(value) and not _PUBLIC.search(value):
        return "a high-entropy string (a token or key?)"
    return None


def _variants(value: str, rng: random.Random) -> list[str]:
    """`value` with a few characters changed: case swapped, characters that Unicode folds
    to ASCII letters (Kelvin sign, long s), separators inserted or removed."""
    out = [value, value.lower(), value.upper(), value.swapcase()]
    for _ in range(40):
        chars = list(value)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(chars) + 1)
            op = rng.random()
            if op < 0.4:
                chars.insert(at, rng.choice("aAkKsS:=@/+_-. \n\u212a\u017f"))
            elif chars and op < 0.7:
                chars[min(at, len(chars) - 1)] = chars[min(at, len(chars) - 1)].swapcase()
            elif chars:
                del chars[min(at, len(chars) - 1)]
        out.append("".join(chars))
    return out


def test_the_marks_that_skip_patterns_never_hide_a_match() -> None:
    rng = random.Random(19)
    values = [*SECRETS.values(), *BENIGN.values()]
    checked = found = 0
    for value in values:
        for variant in _variants(value, rng):
            expected = _first_match_unfiltered(variant)
            assert classify.__wrapped__(variant) == expected, variant  # type: ignore[attr-defined]
            checked += 1
            found += expected is not None
    assert checked > 3000 and found > 1000  # both kinds of value were exercised
