"""A person's email and phone reach authenticated callers only, on every endpoint, and can be erased for good."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.database import Database
from api.models import Revision
from tests.conftest import make_app
from tests.keys import Keys
from tests.writes import Api

PERSON = "demo-anna-voorbeeld"  # a fictional person of the demo set, serving safety region VR05
EMAIL = "anna-voorbeeld@example.org"
PHONE = "+31 6 0000 0102"
PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
QUERIES = {  # extra query strings that make a route return the person, when the route exists
    "/api/v1/experts": ["?pageSize=100", "?serves={municipality}&pageSize=100"],
    "/api/v1/changes": ["?pageSize=500"],
    "/api/v1/search": ["?q=Anna Voorbeeld", "?q=anna&type=expert"],
    "/api/v1/municipalities/<string:municipality_id>/support": ["", "?limit=20"],
}


def urls(app: Flask, client: FlaskClient) -> list[tuple[str, str, dict[str, str] | None]]:
    """(method, url, json body) of every API read, with ids that lead to the person wherever possible."""
    municipality = client.get("/api/v1/municipalities?safetyRegion=VR05&pageSize=1").get_json()["items"][0]["id"]
    values = {"expert_id": PERSON, "record_id": PERSON, "municipality_id": municipality, "region_id": "VR05",
              "unit_id": "RE04", "house_id": "vh-ijsselland", "organisation_id": "ess", "approach_id":
              "ror-trainingen-en-masterclasses", "topic_id": "right-wing-extremism", "key_id": "key-none"}
    found: list[tuple[str, str, dict[str, str] | None]] = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule.endswith(("/openapi.json", "/docs")):
            continue
        path = PARAM.sub(lambda m: values[m[1]], rule.rule)
        if "GET" in rule.methods:
            found += [("GET", path + query.format(municipality=municipality))
                      for query in QUERIES.get(rule.rule, [""])]
        if rule.rule == "/api/v1/search" and "POST" in rule.methods:
            found.append(("POST", path))
    return [(method, url, {"q": "Anna Voorbeeld"} if method == "POST" else None) for method, url in found]


def texts(client: FlaskClient, targets: list[tuple[str, str, dict[str, str] | None]],
          headers: dict[str, str]) -> dict[str, str]:
    bodies = {}
    for method, url, body in targets:
        response = client.open(url, method=method, json=body, headers=headers)
        bodies[f"{method} {url}"] = response.get_data(as_text=True)
        response.close()
    return bodies


def test_no_endpoint_shows_a_persons_email_or_phone_to_anonymous_callers(app: Flask, client: FlaskClient,
                                                                        api_keys: Keys) -> None:
    targets = urls(app, client)
    anonymous = texts(client, targets, {})
    leaks = [url for url, text in anonymous.items() if EMAIL in text or PHONE in text]
    assert leaks == []
    reader = texts(client, targets, api_keys.headers("reader"))
    shown = {url for url, text in reader.items() if EMAIL in text}
    must_show = {f"GET /api/v1/experts/{PERSON}", "GET /api/v1/experts?pageSize=100", "GET /api/v1/export",
                 "GET /api/v1/changes?pageSize=500"}
    assert must_show <= shown  # so the anonymous check above is not vacuous
    assert any("/support" in url for url in shown) == any("/support" in url for url in reader)  # once it exists
    assert PHONE in reader[f"GET /api/v1/experts/{PERSON}"]
    team = client.get("/api/v1/experts/demo-team-noord").get_json()
    assert team["contact"]["email"] == "team-noord@example.org"  # a team's contact data is not personal


@pytest.fixture
def api(fresh_url: str, fresh_keys: Keys) -> Api:
    return Api(make_app(fresh_url).test_client(), fresh_keys, fresh_url)


def test_admins_erase_a_persons_email_and_phone_everywhere(api: Api) -> None:
    path = f"/api/v1/experts/{PERSON}"
    assert api.patch(path, {"contact": {"email": "anna.nieuw@example.org"}}, api.etag(path)).status_code == 200
    erase = f"{path}/personal-data"
    assert api.delete(erase, who="curator").status_code == 403
    assert api.delete("/api/v1/experts/nope/personal-data", who="admin").status_code == 404
    assert api.delete(erase, who="admin").status_code == 204
    contact = api.get(path, "reader").get_json()["contact"]
    assert contact["email"] is None and contact["phone"] is None and contact["url"]

    history = api.get(f"{path}/history?pageSize=100").get_json()["items"]
    assert history[0]["action"] == "erased"
    assert sorted(c["field"] for c in history[0]["changes"]) == ["contact.email", "contact.phone"]
    text = str(history)
    assert EMAIL not in text and "anna.nieuw@example.org" not in text and PHONE not in text
    personal = [c for revision in history for c in revision["changes"] if c["field"].startswith("contact.e")]
    assert personal and all(c.get("erased") and c["old"] is None and c["new"] is None for c in personal)

    database = Database(api.url)
    with database.session() as session:
        stored = str([r.changes for r in session.scalars(select(Revision).where(Revision.record_id == PERSON))])
    database.dispose()
    assert EMAIL not in stored and "anna.nieuw@example.org" not in stored and PHONE not in stored
    for url in ("/api/v1/export", "/api/v1/changes?pageSize=500", "/api/v1/experts?pageSize=100"):
        body = api.get(url, "admin").get_data(as_text=True)
        assert EMAIL not in body and "anna.nieuw@example.org" not in body, url
    revisions = api.revisions("experts", PERSON)
    assert api.delete(erase, who="admin").status_code == 204  # nothing left to erase: no new revision
    assert api.revisions("experts", PERSON) == revisions
