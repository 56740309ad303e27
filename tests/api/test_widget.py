"""GET /widget over HTTP: one self-contained Dutch page whose CSP only runs its own inline code."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from api.widget import frame_ancestors
from tests.conftest import make_app


def csp_of(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.partition(" ")[2] for part in (p.strip() for p in policy.split(";")) if part}


def test_widget_is_one_self_contained_dutch_page(client: FlaskClient) -> None:
    response = client.get("/widget")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert 'role="combobox"' in html and 'role="listbox"' in html and '<label id="kb-label" for="kb-gemeente">' in html
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(?!data:)", html), "no external assets"
    assert "http://" not in html and "https://" not in html, "no absolute URLs: everything is on this origin"


def test_csp_allows_only_the_pages_own_inline_code_by_nonce(client: FlaskClient) -> None:
    first, second = client.get("/widget"), client.get("/widget")
    csp = csp_of(first)
    nonce = re.fullmatch(r"'nonce-([A-Za-z0-9_-]{20,})'", csp["script-src"]).group(1)  # type: ignore[union-attr]
    assert csp["style-src"] == f"'nonce-{nonce}'"
    assert csp["default-src"] == "'none'" and csp["connect-src"] == "'self'"
    assert "unsafe-inline" not in first.headers["Content-Security-Policy"]
    html = first.get_data(as_text=True)
    assert html.count(f'nonce="{nonce}"') == 2, "the one <style> and the one <script> carry the nonce"
    assert len(re.findall(r"<(script|style)\b", html)) == 2
    assert " style=" not in html, "no inline style attributes (the CSP would block them)"
    assert csp_of(second)["script-src"] != csp["script-src"], "a fresh nonce per response"
    assert first.headers["Cache-Control"] == "no-store"


def test_frame_ancestors_default_none(client: FlaskClient) -> None:
    response = client.get("/widget")
    assert csp_of(response)["frame-ancestors"] == "'none'"
    assert response.headers.get("X-Frame-Options") != "DENY"


def test_frame_ancestors_from_setting(seeded_url: str) -> None:
    app = make_app(seeded_url, FRAME_ANCESTORS="https://intranet.gemeente.example, https://*.regio.example:8443/")
    try:
        response = app.test_client().get("/widget")
        assert csp_of(response)["frame-ancestors"] == "https://intranet.gemeente.example https://*.regio.example:8443"
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
        # The API itself still refuses to be framed.
        api = app.test_client().get("/api/v1")
        assert "frame-ancestors 'none'" in api.headers["Content-Security-Policy"]
        assert api.headers["X-Frame-Options"] == "DENY"
    finally:
        app.extensions["kennisbank_db"].dispose()


@pytest.mark.parametrize("setting", ["intranet.example", "https://a.example; script-src *", "javascript:alert(1)",
                                     "'unsafe-inline'", "*"])
def test_a_setting_that_is_not_an_origin_fails_at_start(setting: str) -> None:
    with pytest.raises(ValueError, match="FRAME_ANCESTORS"):
        frame_ancestors(setting)


def test_frame_ancestors_values() -> None:
    assert frame_ancestors("") == "'none'"
    assert frame_ancestors(" , ") == "'none'"
    assert frame_ancestors("'self'") == "'self'"
    assert frame_ancestors("https://a.example,https://a.example") == "https://a.example"
