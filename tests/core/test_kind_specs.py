"""Asset kinds are data: model, schema and paths read one table, KIND_SPECS."""

from __future__ import annotations

import pytest

from socialgov.errors import UsageError
from socialgov.model import KIND_SPECS, AssetId, Kind, normalise_name
from socialgov.registry.paths import asset_path_hint, asset_path_kind
from socialgov.registry.schema import ASSET_SECTIONS


def test_every_kind_has_one_spec_that_the_schema_and_paths_read() -> None:
    assert set(KIND_SPECS) == set(Kind)
    for kind, spec in KIND_SPECS.items():
        assert kind.folder == spec.folder
        assert {k: t.name for k, t in ASSET_SECTIONS[kind.value].items()} == dict(spec.section)
        assert spec.path_hint in asset_path_hint()
    assert ASSET_SECTIONS["social"]["recovery_phone_holder"].name == "string"
    assert KIND_SPECS[Kind.SOCIAL].holder_keys == {"recovery_phone_holder": "recovery phone"}


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("assets/domains/example.com.toml", Kind.DOMAIN),
        ("assets/blogs/eng.toml", Kind.BLOG),
        ("assets/social/x/examplecorp.toml", Kind.SOCIAL),
        ("assets/social/examplecorp.toml", None),
        ("assets/domains/a/b.toml", None),
        ("assets/photos/a.toml", None),
        ("assets/domains", None),
    ],
)
def test_path_layout_comes_from_the_spec(rel: str, kind: Kind | None) -> None:
    assert asset_path_kind(rel.split("/")) == kind


def test_ids_normalise_through_the_spec() -> None:
    assert AssetId.parse("social:X/@ExampleCorp") == AssetId(Kind.SOCIAL, "x/examplecorp")
    assert normalise_name(Kind.BLOG, " Eng-Blog ") == "eng-blog"
    assert normalise_name(Kind.DOMAIN, "BÜCHER.example") == "xn--bcher-kva.example"
    with pytest.raises(UsageError, match="blog name"):
        normalise_name(Kind.BLOG, "a/b")
    with pytest.raises(UsageError, match="social account name"):
        normalise_name(Kind.SOCIAL, "examplecorp")
    with pytest.raises(UsageError, match="control or invisible"):
        normalise_name(Kind.SOCIAL, "x/a\u200b")


def test_section_holders_name_the_key_the_person_and_what_they_hold() -> None:
    from socialgov.model import Asset, AssetId, SourceText

    social = Asset(
        id=AssetId(Kind.SOCIAL, "x/brand"),
        file="assets/social/x/brand.toml",
        data={"owners": ["a"], "social": {"recovery_phone_holder": "bob", "mfa": True}},
        source=SourceText(""),
    )
    assert list(social.section_holders()) == [
        ("social.recovery_phone_holder", "bob", "recovery phone")
    ]
    nobody = Asset(
        id=AssetId(Kind.SOCIAL, "x/other"),
        file="assets/social/x/other.toml",
        data={"owners": ["a"], "social": {"recovery_phone_holder": ""}},
        source=SourceText(""),
    )
    assert list(nobody.section_holders()) == []
