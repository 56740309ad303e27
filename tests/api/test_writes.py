"""Curators keep the catalogue true: create, replace, patch and archive, with ETags, validation and no lost updates."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from api.database import Database
from api.models import Expert, Revision
from api.resources import writes
from api.services import curation
from tests.conftest import make_app
from tests.keys import Keys
from tests.writes import MERGE_PATCH, Api

NEW: dict[str, dict[str, Any]] = {
    "organisations": {"id": "test-netwerk", "name": "Testnetwerk", "kind": "network", "scope": "national",
                      "status": "published", "sources": [{"url": "https://example.org/bron"}]},
    "topics": {"id": "test-onderwerp", "label": "Testonderwerp", "parent": "polarisation", "status": "published",
               "synonyms": ["proef"]},
    "experts": {"id": "test-persoon", "name": "Test Persoon (test)", "kind": "person", "organisation": "ess",
                "topics": ["polarisation"], "serves": ["GM0363", "VR13"], "status": "published",
                "contact": {"email": "test-persoon@example.org", "phone": "+31 6 0000 9999"}},
    "approaches": {"id": "test-aanpak", "name": "Testaanpak", "kind": "training", "provider": "ror",
                   "topics": ["signal-recognition"], "sizeClasses": ["small", "medium"], "status": "published"},
}
EXISTING = {"organisations": "ess", "topics": "lone-actors", "experts": "ess-adviseurs-gemeenten",
            "approaches": "ror-trainingen-en-masterclasses"}


@pytest.fixture
def api(fresh_url: str, fresh_keys: Keys) -> Api:
    return Api(make_app(fresh_url).test_client(), fresh_keys, fresh_url)


@pytest.mark.parametrize("collection", sorted(NEW))
def test_create_answers_201_with_location_and_the_etag_a_get_gives(api: Api, collection: str) -> None:
    body = NEW[collection]
    created = api.post(f"/api/v1/{collection}", body)
    assert created.status_code == 201, created.get_json()
    location = created.headers["Location"]
    assert location.endswith(f"/api/v1/{collection}/{body['id']}")
    assert created.get_json()["id"] == body["id"]
    assert created.get_json()["_links"]["self"]["href"] == location
    path = location.replace("http://localhost", "")
    assert api.get(path).headers["ETag"] == created.headers["ETag"]
    assert api.get(path, "anonymous").status_code == 200
    assert api.revisions(collection, body["id"]) == 1
    assert api.events(collection, body["id"]) == 1


@pytest.mark.parametrize("collection", sorted(NEW))
def test_an_existing_id_is_a_409(api: Api, collection: str) -> None:
    response = api.post(f"/api/v1/{collection}", {**NEW[collection], "id": EXISTING[collection]})
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"


def test_new_records_are_drafts_unless_published(api: Api) -> None:
    body = {key: value for key, value in NEW["organisations"].items() if key != "status"}
    created = api.post("/api/v1/organisations", body)
    assert created.status_code == 201 and created.get_json()["status"] == "draft"
    assert api.get("/api/v1/organisations/test-netwerk", "anonymous").status_code == 404
    assert api.get("/api/v1/organisations/test-netwerk", "reader").status_code == 404
    assert api.events("organisations", "test-netwerk") == 0


@pytest.mark.parametrize("collection", sorted(NEW))
def test_put_replaces_patch_merges_and_both_return_the_next_etag(api: Api, collection: str) -> None:
    path = f"/api/v1/{collection}/{NEW[collection]['id']}"
    assert api.post(f"/api/v1/{collection}", NEW[collection]).status_code == 201
    etag = api.etag(path)
    replaced = api.put(path, {**NEW[collection], "sources": [{"url": "https://example.org/nieuw"}]}, etag)
    assert replaced.status_code == 200, replaced.get_json()
    assert replaced.get_json()["sources"] == [{"url": "https://example.org/nieuw", "vintage": None}]
    assert replaced.headers["ETag"] != etag
    assert api.get(path).headers["ETag"] == replaced.headers["ETag"]

    patched = api.patch(path, {"sources": None, "demo": True}, replaced.headers["ETag"])
    assert patched.status_code == 200, patched.get_json()
    result = patched.get_json()
    assert result["sources"] == [] and result["demo"] is True
    name_field = "label" if collection == "topics" else "name"
    assert result[name_field] == NEW[collection][name_field]  # untouched fields stay
    assert api.revisions(collection, NEW[collection]["id"]) == 3


def test_patch_of_nested_fields_merges_them(api: Api) -> None:
    path = "/api/v1/experts/demo-anna-voorbeeld"
    before = api.get(path).get_json()
    response = api.patch(path, {"contact": {"phone": None}, "languages": ["nl"]}, api.etag(path))
    assert response.status_code == 200, response.get_json()
    contact = response.get_json()["contact"]
    assert contact == {**before["contact"], "phone": None}
    assert response.get_json()["languages"] == ["nl"]


def test_updates_need_if_match_and_a_stale_etag_is_412(api: Api) -> None:
    path = "/api/v1/organisations/ess"
    etag = api.etag(path)
    missing = api.patch(path, {"description": "Zonder If-Match"})
    assert missing.status_code == 428 and missing.get_json()["code"] == "precondition-required"
    assert api.put(path, {**NEW["organisations"], "id": "ess"}).status_code == 428
    assert api.delete(path).status_code == 428
    assert api.patch(path, {"description": "Eerste"}, etag).status_code == 200
    stale = api.patch(path, {"description": "Tweede"}, etag)
    assert stale.status_code == 412 and stale.get_json()["code"] == "precondition-failed"
    assert api.delete(path, etag).status_code == 412
    assert api.get(path).get_json()["description"] == "Eerste"
    assert api.patch(path, {"description": "Met ster"}, "*").status_code == 200
    assert api.patch(path, {"description": "Zwak"}, "W/" + api.etag(path)).status_code == 200


def test_a_get_etag_still_gives_304(api: Api) -> None:
    etag = api.etag("/api/v1/topics/lone-actors", "anonymous")
    again = api.get("/api/v1/topics/lone-actors", "anonymous", **{"If-None-Match": etag})
    assert again.status_code == 304


def test_a_related_record_change_changes_the_etag(api: Api) -> None:
    before = api.etag("/api/v1/experts/ess-adviseurs-gemeenten")
    path = "/api/v1/organisations/ess"
    assert api.patch(path, {"name": "Expertise-unit Sociale Stabiliteit (ESS)"}, api.etag(path)).status_code == 200
    assert api.etag("/api/v1/experts/ess-adviseurs-gemeenten") != before


def test_wrong_media_types_are_415(api: Api) -> None:
    path = "/api/v1/organisations/ess"
    etag = api.etag(path)
    headers = {**api.keys.headers("curator"), "If-Match": etag}
    as_json = api.client.patch(path, json={"description": "x"}, headers=headers)
    assert as_json.status_code == 415
    assert as_json.headers["Accept-Patch"] == MERGE_PATCH
    as_text = api.client.put(path, data="name=x", headers={**headers, "Content-Type": "text/plain"})
    assert as_text.status_code == 415 and as_text.content_type == "application/problem+json"
    no_type = api.client.post("/api/v1/organisations", data="{}", headers=api.keys.headers("curator"))
    assert no_type.status_code == 415


def test_a_body_over_the_limit_is_413(fresh_url: str, fresh_keys: Keys) -> None:
    client = make_app(fresh_url, MAX_BODY_BYTES="2000").test_client()
    body = {**NEW["organisations"], "description": "x" * 5000}
    response = client.post("/api/v1/organisations", json=body, headers=fresh_keys.headers("curator"))
    assert response.status_code == 413
    assert response.content_type == "application/problem+json"
    assert response.get_json()["code"] == "payload-too-large"


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", "null", '"text"'])
def test_a_body_that_is_not_one_json_object_is_400(api: Api, body: str) -> None:
    response = api.client.post("/api/v1/topics", data=body, content_type="application/json",
                               headers=api.keys.headers("curator"))
    assert response.status_code == 400
    assert response.get_json()["invalidParams"][0]["name"] == "body"


def test_every_error_is_reported_at_once_and_nothing_is_written(api: Api) -> None:
    body = {"id": "Bad Id", "name": "", "kind": "robot", "organisation": "nope", "topics": ["nope", "jihadism"],
            "serves": ["VR99"], "contact": {"email": "not-an-email"}, "colour": "blue"}
    response = api.post("/api/v1/experts", body)
    assert response.status_code == 400
    names = {p["name"] for p in response.get_json()["invalidParams"]}
    assert names == {"id", "name", "kind", "organisation", "topics", "serves", "contact.email", "colour"}
    reasons = {p["name"]: p["reason"] for p in response.get_json()["invalidParams"]}
    assert "nope" in reasons["topics"] and "VR99" in reasons["serves"]

    valid_but_dangling = {**NEW["experts"], "organisation": "nope"}
    assert api.post("/api/v1/experts", valid_but_dangling).status_code == 400
    assert api.count(Expert, id="test-persoon") == 0
    assert api.revisions("experts", "test-persoon") == 0 and api.events("experts", "test-persoon") == 0


def test_a_failed_update_leaves_the_record_as_it_was(api: Api) -> None:
    path = "/api/v1/experts/ess-adviseurs-gemeenten"
    before = api.get(path).get_json()
    revisions = api.revisions("experts", "ess-adviseurs-gemeenten")
    response = api.patch(path, {"name": "Nieuwe naam", "topics": ["nope"], "kind": "robot"}, api.etag(path))
    assert response.status_code == 400
    assert {p["name"] for p in response.get_json()["invalidParams"]} == {"topics", "kind"}
    assert api.get(path).get_json() == before
    assert api.revisions("experts", "ess-adviseurs-gemeenten") == revisions


def test_a_write_that_fails_halfway_leaves_nothing_behind(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(curation, "record_change", fail)
    path = "/api/v1/experts/ess-adviseurs-gemeenten"
    before = api.get(path).get_json()
    revisions = api.revisions("experts", "ess-adviseurs-gemeenten")
    assert api.patch(path, {"name": "Halverwege"}, api.etag(path)).status_code == 500
    assert api.post("/api/v1/organisations", NEW["organisations"]).status_code == 500
    monkeypatch.undo()
    assert api.get(path).get_json() == before
    assert api.revisions("experts", "ess-adviseurs-gemeenten") == revisions
    assert api.get("/api/v1/organisations/test-netwerk").status_code == 404


@pytest.mark.parametrize(("collection", "body", "field"), [
    ("approaches", {**NEW["approaches"], "provider": "nope"}, "provider"),
    ("approaches", {**NEW["approaches"], "topics": ["jihadism", "nope"]}, "topics"),
    ("topics", {**NEW["topics"], "parent": "nope"}, "parent"),
    ("experts", {**NEW["experts"], "serves": ["GM9999"]}, "serves"),
])
def test_unknown_references_are_400_naming_the_field(api: Api, collection: str, body: dict[str, Any],
                                                     field: str) -> None:
    response = api.post(f"/api/v1/{collection}", body)
    assert response.status_code == 400
    params = response.get_json()["invalidParams"]
    assert [(p["name"], p["code"]) for p in params] == [(field, "unknown-reference")]


def test_the_id_cannot_change_and_a_topic_cannot_be_its_own_ancestor(api: Api) -> None:
    path = "/api/v1/topics/radicalisation"
    renamed = api.patch(path, {"id": "other"}, api.etag(path))
    assert renamed.status_code == 400 and renamed.get_json()["invalidParams"][0]["name"] == "id"
    cycle = api.patch(path, {"parent": "jihadism"}, api.etag(path))
    assert cycle.status_code == 400
    assert cycle.get_json()["invalidParams"][0] == {"name": "parent", "code": "cycle",
                                                    "reason": "A topic cannot be its own parent or ancestor."}


@pytest.mark.parametrize("collection", sorted(NEW))
def test_delete_archives_the_record_out_of_public_view(api: Api, collection: str) -> None:
    record_id = EXISTING[collection]
    path = f"/api/v1/{collection}/{record_id}"
    response = api.delete(path, api.etag(path))
    assert response.status_code == 204
    assert api.get(path, "anonymous").status_code == 404
    assert api.get(path, "reader").status_code == 404
    assert api.get(path).get_json()["status"] == "archived"
    listed = api.get(f"/api/v1/{collection}?pageSize=100", "anonymous").get_json()["items"]
    assert record_id not in {item["id"] for item in listed}
    archived = api.get(f"/api/v1/{collection}?status=archived&pageSize=100").get_json()["items"]
    assert record_id in {item["id"] for item in archived}


def test_unpublished_related_records_are_hidden_from_the_public(api: Api) -> None:
    draft = {"id": "geheim-onderwerp", "label": "Geheim onderwerp", "status": "draft"}
    assert api.post("/api/v1/topics", draft).status_code == 201
    path = "/api/v1/experts/ess-adviseurs-gemeenten"
    assert api.patch(path, {"topics": ["geheim-onderwerp", "polarisation"]}, api.etag(path)).status_code == 200
    for who in ("anonymous", "reader"):
        shown = {t["id"] for t in api.get(path, who).get_json()["topics"]}
        assert shown == {"polarisation"}, who
        listed = api.get("/api/v1/experts?pageSize=100", who).get_json()["items"]
        assert "geheim-onderwerp" not in str(listed)
    assert {t["id"] for t in api.get(path).get_json()["topics"]} == {"geheim-onderwerp", "polarisation"}

    house = "/api/v1/safety-houses/vh-drenthe"
    assert api.patch(house, {"status": "draft"}, api.etag(house)).status_code == 200
    region = api.get("/api/v1/safety-houses/vh-drenthe").get_json()["safetyRegion"]["id"]
    for who in ("anonymous", "reader"):
        assert "vh-drenthe" not in str(api.get(f"/api/v1/safety-regions/{region}", who).get_json())
        assert "vh-drenthe" not in str(api.get("/api/v1/safety-regions?pageSize=100", who).get_json())
    assert "vh-drenthe" in str(api.get(f"/api/v1/safety-regions/{region}").get_json())


def test_curators_record_a_municipality_policy(api: Api) -> None:
    path = "/api/v1/municipalities/GM0363/policy"
    public = api.get(path, "anonymous")
    assert public.status_code == 200
    assert public.get_json()["status"] == "unknown" and public.get_json()["updatedAt"] is None
    assert api.put(path, {"status": "adopted"}, who="reader").status_code == 403
    assert api.put(path, {"status": "adopted"}).status_code == 428
    policy = {"status": "adopted", "url": "https://example.org/beleid", "sharesKnowledge": True}
    recorded = api.put(path, policy, public.headers["ETag"])
    assert recorded.status_code == 200, recorded.get_json()
    body = recorded.get_json()
    assert body["status"] == "adopted" and body["sharesKnowledge"] is True and body["updatedAt"]
    assert recorded.headers["ETag"] == api.etag(path, "anonymous")
    assert api.get("/api/v1/municipalities/GM0363", "anonymous").get_json()["policy"]["status"] == "adopted"
    patched = api.patch(path, {"sharesKnowledge": False}, recorded.headers["ETag"])
    assert patched.status_code == 200 and patched.get_json()["url"] == "https://example.org/beleid"
    assert api.patch(path, {"status": "maybe"}, patched.headers["ETag"]).get_json()["invalidParams"][0]["name"] \
        == "status"
    assert api.put(path, policy, public.headers["ETag"]).status_code == 412
    history = api.get("/api/v1/municipalities/GM0363/history").get_json()["items"]
    assert {c["field"] for c in history[0]["changes"]} == {"policy.sharesKnowledge"}
    assert api.get("/api/v1/municipalities/GM9999/policy").status_code == 404


def test_curators_edit_a_safety_house_and_its_coverage(api: Api) -> None:
    path = "/api/v1/safety-houses/vh-zeeland"
    current = api.get(path).get_json()
    coverage = [{"municipality": "GM0687", "basis": "named"}, {"municipality": "GM0718", "basis": "region"}]
    response = api.patch(path, {"address": "Voorbeeldstraat 1, Middelburg", "coverage": coverage}, api.etag(path))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["address"] == "Voorbeeldstraat 1, Middelburg" and body["name"] == current["name"]
    assert [(c["municipality"]["id"], c["basis"]) for c in body["coverage"]] == [("GM0687", "named"),
                                                                                ("GM0718", "region")]
    bad = api.patch(path, {"coverage": [{"municipality": "GM9999", "basis": "named"}]}, api.etag(path))
    assert bad.status_code == 400
    assert bad.get_json()["invalidParams"][0]["name"] == "coverage.municipality"
    contact = {"website": "https://veiligheidshuiszeeland.nl/", "phone": "0118-123456", "email": "info@example.org"}
    response = api.patch(path, {"contact": contact, "verifiedAt": "2026-12-06T00:00:00Z"}, api.etag(path))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["contact"] == contact and response.get_json()["verifiedAt"] == "2026-12-06T00:00:00Z"
    wrong = api.patch(path, {"contact": {"email": "geen-adres", "phone": "bel ons"},
                             "coverage": [{"municipality": "GM0687", "basis": "explicit"}]}, api.etag(path))
    assert wrong.status_code == 400
    assert {p["name"] for p in wrong.get_json()["invalidParams"]} == {"contact.email", "contact.phone",
                                                                       "coverage.0.basis"}
    assert api.post("/api/v1/safety-houses", {"id": "x"}).status_code == 405


def test_concurrent_updates_with_the_same_etag_one_wins_the_other_gets_412(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two real connections (two threads, two clients) that both passed the If-Match check at the same time."""
    path = "/api/v1/experts/ess-adviseurs-gemeenten"
    etag = api.etag(path)
    revisions = api.revisions("experts", "ess-adviseurs-gemeenten")
    both_checked = threading.Barrier(2, timeout=20)
    claim = curation.claim

    def claim_together(*args: Any, **kwargs: Any) -> None:
        both_checked.wait()  # both requests have read version N and checked If-Match; now both try to write
        claim(*args, **kwargs)

    monkeypatch.setattr(curation, "claim", claim_together)
    app = api.client.application
    statuses: list[int] = []

    def update(description: str) -> None:
        client = app.test_client()
        headers = {**api.keys.headers("curator"), "If-Match": etag, "Content-Type": MERGE_PATCH}
        statuses.append(client.patch(path, data=f'{{"description": "{description}"}}', headers=headers).status_code)

    threads = [threading.Thread(target=update, args=(text,)) for text in ("Versie A", "Versie B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 412]
    assert api.revisions("experts", "ess-adviseurs-gemeenten") == revisions + 1
    database = Database(api.url)
    with database.session() as session:
        expert = session.get(Expert, "ess-adviseurs-gemeenten")
        last = session.scalars(select(Revision).where(Revision.record_id == expert.id)
                               .order_by(Revision.id.desc())).first()
        assert last.version == expert.version
        assert last.changes[0]["new"] == expert.description
    database.dispose()


def test_f9_concurrent_writes_with_if_match_star_all_apply_one_after_the_other(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`If-Match: *` means "whatever version is stored": concurrent writers take turns instead of getting 412s.

    Every request waits at a barrier until all have passed the role check, so they reach the database at once.
    """
    path = "/api/v1/topics/lone-actors"
    writers = 6
    revisions = api.revisions("topics", "lone-actors")
    version = int(api.etag(path).strip('"').split("-")[0])
    together = threading.Barrier(writers, timeout=20)
    require_media_type = writes.require_media_type

    def all_at_once(*accepted: str) -> None:
        together.wait()
        require_media_type(*accepted)

    monkeypatch.setattr(writes, "require_media_type", all_at_once)
    app = api.client.application
    answers: list[tuple[int, Any]] = []

    def update(number: int) -> None:
        headers = {**api.keys.headers("curator"), "If-Match": "*", "Content-Type": MERGE_PATCH}
        body = f'{{"description": "Versie {number}", "synonyms": ["proef-{number}"]}}'
        response = app.test_client().patch(path, data=body, headers=headers)
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=update, args=(number,)) for number in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(status for status, _ in answers) == [200] * writers, answers
    assert api.revisions("topics", "lone-actors") == revisions + writers
    final = api.get(path)
    assert int(final.headers["ETag"].strip('"').split("-")[0]) == version + writers
    assert final.get_json()["description"] in {f"Versie {number}" for number in range(writers)}


def test_f9_if_match_star_on_a_missing_record_is_a_404_and_archive_with_star_applies(api: Api) -> None:
    star = {**api.keys.headers("curator"), "If-Match": "*", "Content-Type": MERGE_PATCH}
    missing = api.client.patch("/api/v1/topics/bestaat-niet", data='{"description": "x"}', headers=star)
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    archived = api.client.delete("/api/v1/topics/lone-actors", headers={**api.keys.headers("curator"), "If-Match": "*"})
    assert archived.status_code == 204
    assert api.get("/api/v1/topics/lone-actors", "anonymous").status_code == 404
