"""A sector's name is listed once (`synthesis.snapshot.SECTOR_SUFFIX_NB`, English in
`exports.labels`): file readers, exports and web pages all take it from there."""

from __future__ import annotations

import pytest

from exports.labels import sector_label
from hearing.imports.long_validate import split_label
from synthesis.snapshot import SECTOR_SUFFIX_NB, Sector, sector_named
from tests.respond_support import SLUG, make_consultation


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("public", Sector.PUBLIC),
        ("Offentlig", Sector.PUBLIC),
        ("  PRIVAT ", Sector.PRIVATE),
        ("individual", Sector.INDIVIDUAL),
        ("enkeltperson", Sector.INDIVIDUAL),
        ("Kommune", None),
        ("", None),
    ],
)
def test_a_reader_knows_a_sector_by_its_value_or_its_norwegian_name(text, sector):
    assert sector_named(text) is sector


def test_the_exports_print_the_same_names():
    assert [sector_label(s, "nb") for s in Sector] == list(SECTOR_SUFFIX_NB.values())
    assert [sector_label(s, "en") for s in Sector] == ["Public", "Private", "Individual"]
    assert split_label("Annet (Privat)") == ("Annet", Sector.PRIVATE)


@pytest.mark.parametrize(("lang", "name"), [("nb", "Offentlig"), ("en", "Public")])
def test_the_web_pages_name_sectors_in_the_readers_language(app, client, admin_client, lang, name):
    consultation = make_consultation()
    category = next(c for c in consultation.categories if c.sector == "public")
    form = client.get(f"/h/{SLUG}/svar?lang={lang}").get_data(as_text=True)
    assert f"{category.name} ({name})" in form
    edit = admin_client.get(
        f"/admin/consultations/{SLUG}/categories/{category.id}/edit?lang={lang}"
    ).get_data(as_text=True)
    assert f'<option selected value="public">{name}</option>' in edit
    overview = admin_client.get(f"/admin/consultations/{SLUG}?lang={lang}").get_data(as_text=True)
    assert f"<td>{name}</td>" in overview
