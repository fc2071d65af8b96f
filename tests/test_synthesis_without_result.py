"""The synthesis result pages before any run has finished: each sends the analyst to the
synthesis page with a message, instead of failing on a result that is not there."""

from __future__ import annotations

import pytest

from tests.respond_support import SLUG, make_consultation

BASE = f"/admin/consultations/{SLUG}/synthesis"


@pytest.mark.parametrize(
    ("method", "page"),
    [
        ("GET", "/positions"),
        ("GET", "/duplicates"),
        ("GET", "/opinions"),
        ("GET", "/themes/1"),
        ("POST", "/themes/1/edits"),
    ],
)
def test_a_result_page_without_a_result_redirects_to_the_synthesis_page(
    app, analyst_client, method, page
):
    make_consultation()
    response = analyst_client.open(BASE + page, method=method, data={"kind": "rename"})
    assert response.status_code == 302
    assert response.headers["Location"] == BASE
    shown = analyst_client.get(BASE).get_data(as_text=True)
    assert "Det finnes ingen ferdig analyse ennå." in shown
