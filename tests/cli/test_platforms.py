"""Social accounts as they really are: fediverse and Bluesky handles, per-platform rules, URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialgov.model.platforms import PLATFORMS, check_handle, profile_url
from tests.cli.conftest import Cli, Refused


@pytest.mark.parametrize("platform", PLATFORMS, ids=lambda p: p.name)
def test_every_platform_accepts_its_own_example(platform: object) -> None:
    assert platform.matches(platform.example)  # type: ignore[attr-defined]
    assert profile_url(platform.name, platform.example)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("platform", "handle", "url"),
    [
        ("x", "examplecorp", "https://x.com/examplecorp"),
        ("twitter", "examplecorp", "https://x.com/examplecorp"),
        ("instagram", "example.corp", "https://www.instagram.com/example.corp/"),
        ("linkedin", "example-corp", "https://www.linkedin.com/company/example-corp/"),
        ("youtube", "@examplecorp", "https://www.youtube.com/@examplecorp"),
        (
            "youtube",
            "UCabcdefghijklmnopqrstuv",
            "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
        ),
        ("tiktok", "example.corp", "https://www.tiktok.com/@example.corp"),
        ("threads", "examplecorp", "https://www.threads.net/@examplecorp"),
        ("github", "example-corp", "https://github.com/example-corp"),
        ("bsky", "brand.example", "https://bsky.app/profile/brand.example"),
        ("mastodon", "brand@mastodon.social", "https://mastodon.social/@brand"),
    ],
)
def test_profile_urls(platform: str, handle: str, url: str) -> None:
    assert profile_url(platform, handle) == url


@pytest.mark.parametrize(
    ("platform", "handle", "expect"),
    [
        ("x", "a_handle_longer_than_15", "1 to 15"),
        ("instagram", "a..b", "no '..'"),
        ("github", "bad--name", "single '-'"),
        ("bsky", "brand", "a domain name"),
        ("mastodon", "brand", "user@instance"),
        ("facebook", "abc", "at least 5"),
        ("tiktok", "brand.", "not ending with '.'"),
    ],
)
def test_handle_rules(platform: str, handle: str, expect: str) -> None:
    with pytest.raises(ValueError, match=expect):
        check_handle(platform, handle)


def test_a_fediverse_account_keeps_its_instance(reg: Path, cli: Cli) -> None:
    result = cli("add", "social", "mastodon/@Brand@Mastodon.Social", "--owner", "alice")
    assert result.code == 0, result.stderr
    assert (reg / "assets/social/mastodon/brand@mastodon.social.toml").is_file()
    shown = json.loads(cli("show", "social:mastodon/brand@mastodon.social", "-f", "json").stdout)
    assert shown["asset"]["social"]["handle"] == "brand@mastodon.social"
    assert shown["profile_url"] == "https://mastodon.social/@brand"
    listed = [a["id"] for a in json.loads(cli("list", "-f", "json").stdout)]
    assert "social:mastodon/brand@mastodon.social" in listed


def test_bluesky_domain_handles(reg: Path, cli: Cli) -> None:
    assert cli("add", "social", "bsky/brand.example", "--owner", "alice").code == 0
    assert (reg / "assets/social/bsky/brand.example.toml").is_file()
    shown = cli("show", "bsky/brand.example")
    assert "https://bsky.app/profile/brand.example (derived from the handle)" in shown.stdout


def test_a_handle_against_the_platform_rules_is_refused(refused: Refused) -> None:
    refused("add", "social", "mastodon/brand", "--owner", "alice", expect="user@instance")
    refused("add", "social", "x/a_handle_longer_than_15", "--owner", "alice", expect="x handle")


def test_an_unknown_platform_is_accepted_with_a_warning(reg: Path, cli: Cli) -> None:
    result = cli("add", "social", "friendface/brand", "--owner", "alice")
    assert result.code == 0, result.stderr
    assert "warning: 'friendface' is not a platform socialgov knows" in result.stderr
    typo = cli("add", "social", "instagramm/brand", "--owner", "alice")
    assert "did you mean 'instagram'?" in typo.stderr
