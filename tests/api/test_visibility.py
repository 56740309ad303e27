"""One visibility rule (F1 of the 2026-12 security review): a draft linked to a published record stays invisible
to anonymous callers and readers everywhere: item and list bodies, search matches, snippets, facets, synonyms
and filters. Curators still see and filter by it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import make_app
from tests.keys import Keys
from tests.writes import Api

EXPERT = "/api/v1/experts/demo-anna-voorbeeld"


@pytest.fixture
def leaky(fresh_url: str, fresh_keys: Keys) -> Iterator[Api]:
    """A published expert linked to a draft topic (with a synonym) and a draft organisation."""
    app = make_app(fresh_url)
    api = Api(app.test_client(), fresh_keys, fresh_url)
    assert api.post("/api/v1/topics", {"id": "geheim-zwaardvis", "label": "Geheimonderwerp Zwaardvis",
                                       "synonyms": ["zwaardvisgeheim"]}).status_code == 201
    assert api.post("/api/v1/organisations", {"id": "geheime-walrus", "name": "Geheime Organisatie Walrus",
                                              "kind": "network", "scope": "national"}).status_code == 201
    patched = api.patch(EXPERT, {"topics": ["radicalisation", "geheim-zwaardvis"], "organisation": "geheime-walrus"},
                        api.etag(EXPERT))
    assert patched.status_code == 200, patched.get_json()
    assert api.get(EXPERT, "anonymous").get_json()["status"] == "published"
    yield api
    app.extensions["kennisbank_db"].dispose()


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_f1_draft_topic_and_organisation_do_not_leak_through_search(leaky: Api, who: str) -> None:
    for q in ("zwaardvis", "zwaardvisgeheim", "walrus", "Geheime Organisatie Walrus"):
        body = leaky.get(f"/api/v1/search?q={q}&pageSize=50", who).get_json()
        assert "demo-anna-voorbeeld" not in [hit["id"] for hit in body["items"]], (q, body["items"])
        assert "geheim-zwaardvis" not in body["facets"]["topic"], q
        shown = str([body["items"], body["facets"], body.get("didYouMean")]).lower()
        assert "zwaardvis" not in shown and "walrus" not in shown, (q, shown)
    expert_hits = leaky.get("/api/v1/search?q=anna voorbeeld&pageSize=50", who).get_json()
    assert "geheim-zwaardvis" not in expert_hits["facets"]["topic"]
    assert "zwaardvis" not in str([expert_hits["items"], expert_hits["facets"]]).lower()


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_f1_filters_on_drafts_answer_like_unknown_ids(leaky: Api, who: str) -> None:
    for path, param, draft in (("experts", "topic", "geheim-zwaardvis"),
                               ("experts", "organisation", "geheime-walrus"),
                               ("approaches", "provider", "geheime-walrus"),
                               ("search", "topic", "geheim-zwaardvis")):
        drafted = leaky.get(f"/api/v1/{path}?{param}={draft}", who)
        unknown = leaky.get(f"/api/v1/{path}?{param}=bestaat-niet", who)
        assert drafted.status_code == unknown.status_code == 400, (path, param)
        assert drafted.get_json()["invalidParams"][0]["name"] == param
        assert drafted.get_json()["invalidParams"][0]["reason"].replace(draft, "X") == \
            unknown.get_json()["invalidParams"][0]["reason"].replace("bestaat-niet", "X")


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_f1_item_and_list_bodies_hide_the_drafts(leaky: Api, who: str) -> None:
    expert = leaky.get(EXPERT, who).get_json()
    assert expert["organisation"] is None
    assert [t["id"] for t in expert["topics"]] == ["radicalisation"]
    listed = leaky.get("/api/v1/experts?pageSize=100", who).get_json()["items"]
    anna = next(item for item in listed if item["id"] == "demo-anna-voorbeeld")
    assert anna["organisation"] is None and "geheim-zwaardvis" not in [t["id"] for t in anna["topics"]]


def test_curators_see_and_filter_by_drafts(leaky: Api) -> None:
    expert = leaky.get(EXPERT, "curator").get_json()
    assert expert["organisation"]["id"] == "geheime-walrus"
    assert "geheim-zwaardvis" in [t["id"] for t in expert["topics"]]
    filtered = leaky.get("/api/v1/experts?topic=geheim-zwaardvis", "curator").get_json()
    assert [item["id"] for item in filtered["items"]] == ["demo-anna-voorbeeld"]


def test_publishing_the_topic_makes_it_searchable(leaky: Api) -> None:
    path = "/api/v1/topics/geheim-zwaardvis"
    published = leaky.patch(path, {"status": "published"}, leaky.etag(path))
    assert published.status_code == 200
    body = leaky.get("/api/v1/search?q=zwaardvisgeheim&type=expert", "anonymous").get_json()
    assert "demo-anna-voorbeeld" in [hit["id"] for hit in body["items"]]
    assert body["facets"]["topic"].get("geheim-zwaardvis") == 1


def test_a_draft_house_shows_on_its_municipality_for_curators_only(fresh_url: str, fresh_keys: Keys) -> None:
    """A curator sees a draft house on a municipality as on its region; anonymous callers and readers keep the
    published answer, including the unconfirmed fallback the draft would replace once published."""
    app = make_app(fresh_url)
    api = Api(app.test_client(), fresh_keys, fresh_url)
    try:
        house = "/api/v1/safety-houses/vh-regio-arnhem"  # Gelderland-Midden; its source names Arnhem only
        coverage = [{"municipality": "GM0202", "basis": "named"}, {"municipality": "GM0203", "basis": "named"}]
        patched = api.patch(house, {"status": "draft", "coverage": coverage}, api.etag(house))
        assert patched.status_code == 200, patched.get_json()
        barneveld = "/api/v1/municipalities/GM0203"
        for path in (barneveld, f"{barneveld}/support"):
            houses = [(h["id"], h["coverage"]) for h in api.get(path).get_json()["safetyHouses"]]
            assert houses == [("vh-regio-arnhem", "named")], path  # the named draft replaces the fallback
            for who in ("anonymous", "reader"):
                houses = [(h["id"], h["coverage"]) for h in api.get(path, who).get_json()["safetyHouses"]]
                assert houses == [("vh-west-veluwe-vallei", "same-safety-region")], (path, who)
        listed = api.get("/api/v1/municipalities?safetyRegion=VR07&pageSize=50").get_json()["items"]
        assert ("vh-regio-arnhem", "named") in [(h["id"], h["coverage"]) for m in listed if m["id"] == "GM0203"
                                                for h in m["safetyHouses"]]
        public = api.get("/api/v1/municipalities?safetyRegion=VR07&pageSize=50", "anonymous").get_json()["items"]
        assert "vh-regio-arnhem" not in str(public)
    finally:
        app.extensions["kennisbank_db"].dispose()
