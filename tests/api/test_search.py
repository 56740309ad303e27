"""GET and POST /search, and `q` on the collections, over HTTP on both databases."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def search(client: FlaskClient, **params: str) -> dict:  # type: ignore[type-arg]
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_hits_have_type_id_name_snippet_score_and_link(client: FlaskClient) -> None:
    body = search(client, q="leernetwerk polarisatie")
    assert body["total"] >= 1
    hit = body["items"][0]
    assert {"type", "id", "name", "snippet", "score", "_links"} <= hit.keys()
    assert "<mark>" in hit["snippet"]
    assert hit["_links"]["self"]["href"].endswith(f"/api/v1/approaches/{hit['id']}")
    real = [h["score"] for h in body["items"] if not h["id"].startswith("demo-")]
    assert real == sorted(real, reverse=True), "real hits by score (demo hits come after them)"


def test_snippets_are_html_escaped() -> None:
    from api.search.text import snippet

    assert snippet("<script>x</script> radicalisering", ["radicaliser"]).startswith("&lt;script&gt;")


def test_facets_count_the_whole_result_not_the_page(client: FlaskClient) -> None:
    body = search(client, q="radicalisering", pageSize="1")
    assert len(body["items"]) == 1
    assert sum(body["facets"]["type"].values()) == body["total"]
    assert body["facets"]["topic"]


def test_type_topic_serves_and_size_class_filters(client: FlaskClient) -> None:
    experts = search(client, q="radicalisering", type="expert", serves="GM0363", pageSize="100")
    assert experts["items"] and {h["type"] for h in experts["items"]} == {"expert"}
    listed = client.get("/api/v1/experts?serves=GM0363&pageSize=100").get_json()["items"]
    assert {h["id"] for h in experts["items"]} <= {e["id"] for e in listed}
    approaches = search(client, q="training", type="approach", sizeClass="small", pageSize="100")
    small = {a["id"] for a in client.get("/api/v1/approaches?sizeClass=small&pageSize=100").get_json()["items"]}
    assert approaches["items"] and {h["id"] for h in approaches["items"]} <= small
    topical = search(client, q="", type="approach", topic="key-figure-networks", pageSize="100")
    assert topical["total"] >= 1 and topical["facets"]["topic"]["key-figure-networks"] == topical["total"]


def test_typo_is_corrected_and_said(client: FlaskClient) -> None:
    body = search(client, q="eindhovn")
    assert body["didYouMean"] == "eindhoven"
    assert body["items"][0]["id"] == "GM0772"


@pytest.mark.parametrize(
    "q", ['"', "-", "*", ":", "NEAR(a b)", "((((", "' OR 1=1; DROP TABLE municipalities; --", "🙂🙂", "AND OR NOT",
          "\x00\x01", "a" * 10_000],
)
def test_any_text_is_a_valid_query(client: FlaskClient, q: str) -> None:
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    assert client.post("/api/v1/search", json={"q": q}).status_code == 200


def test_too_long_query_is_a_400(client: FlaskClient) -> None:
    response = client.get("/api/v1/search", query_string={"q": "a" * 10_001})
    assert response.status_code == 400
    assert response.get_json()["invalidParams"][0]["name"] == "q"


def test_post_takes_the_same_parameters_as_json(client: FlaskClient) -> None:
    get = search(client, q="den bosch", type="municipality")
    post = client.post("/api/v1/search", json={"q": "den bosch", "type": ["municipality"]})
    assert post.status_code == 200
    assert [h["id"] for h in post.get_json()["items"]] == [h["id"] for h in get["items"]]
    assert "den" not in post.get_json()["_links"]["next" if "next" in post.get_json()["_links"] else "self"]["href"]


def test_post_rejects_bad_bodies_with_every_error(client: FlaskClient) -> None:
    response = client.post("/api/v1/search", json={"q": 5, "type": ["robot"], "pageSize": 0, "colour": "red"})
    assert response.status_code == 400
    names = {p["name"] for p in response.get_json()["invalidParams"]}
    assert {"q", "type.0", "pageSize", "colour"} <= names
    assert client.post("/api/v1/search", data="q=x", content_type="text/plain").status_code == 415
    assert client.post("/api/v1/search", data="{not json", content_type="application/json").status_code == 400


@pytest.mark.parametrize(
    ("collection", "q", "expected"),
    [("municipalities", "den bosch", "GM0796"), ("municipalities", "Sudwest Fryslan", "GM1900"),
     ("municipalities", "den haag", "GM0518"), ("organisations", "ESS", "ess"),
     ("topics", "extreemrechts", "right-wing-extremism")],
)
def test_collection_q_uses_the_search_engine(client: FlaskClient, collection: str, q: str, expected: str) -> None:
    items = client.get(f"/api/v1/{collection}", query_string={"q": q}).get_json()["items"]
    assert items and items[0]["id"] == expected
