"""Bad input of any kind is a problem+json 400 that lists every error at once."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def params(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail", "instance", "code", "invalidParams"} <= body.keys()
    return {p["name"]: p["code"] for p in body["invalidParams"]}


def test_every_bad_parameter_is_named_at_once(client: FlaskClient) -> None:
    response = client.get("/api/v1/municipalities?page=0&pageSize=500&sizeClass=huge&sort=colour&colour=red")
    names = params(response)
    assert {"page", "pageSize", "sizeClass.0", "sort.0", "colour"} <= names.keys()
    assert names["colour"] == "unknown-parameter"


def test_page_past_the_end_is_400(client: FlaskClient) -> None:
    assert params(client.get("/api/v1/safety-regions?page=3&pageSize=20")) == {"page": "out-of-range"}


def test_repeated_single_value_parameter_is_400(client: FlaskClient) -> None:
    assert params(client.get("/api/v1/municipalities?page=1&page=2")) == {"page": "repeated"}


@pytest.mark.parametrize(
    "query",
    ["pageSize=abc", "page=-1", "updatedSince=yesterday", "serves=Amsterdam", "safetyRegion=", "q=" + "x" * 501,
     "sort=", "demo=maybe", "language=dutch"],
)
def test_malformed_values_are_400_not_500(client: FlaskClient, query: str) -> None:
    url = "/api/v1/experts?" + query if query.split("=")[0] in {"serves", "language", "demo", "updatedSince"} \
        else "/api/v1/municipalities?" + query
    response = client.get(url)
    assert response.status_code == 400, response.get_data(as_text=True)
