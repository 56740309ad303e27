"""A page of experts or approaches is the same whichever way the database reads it.

A page near the front of a large result is read by walking the sort index with the link filters as probes; other
pages drive the query from the most selective filter and sort the matches, or only their ids when they are many
(api/queries/paging.py). All must give the same records in the same order, and paging through must give the whole
list once.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from api.queries import paging

LISTS = [
    "/api/v1/approaches?",
    "/api/v1/approaches?sizeClass=small",
    "/api/v1/approaches?sizeClass=small,large&topic=polarisation,radicalisation",
    "/api/v1/approaches?topic=polarisation&sort=id",
    "/api/v1/approaches?sizeClass=medium&sort=-name",
    "/api/v1/experts?",
    "/api/v1/experts?serves=GM0014",
    "/api/v1/experts?serves=GM0363&topic=polarisation",
    "/api/v1/experts?language=nl,en&sort=id",
    "/api/v1/experts?language=nl&topic=radicalisation,polarisation",
]


def ids(client: FlaskClient, url: str, page: int, page_size: int) -> tuple[list[str], int]:
    body: dict[str, Any] = client.get(f"{url}&page={page}&pageSize={page_size}").get_json()
    return [item["id"] for item in body["items"]], body["total"]


def all_pages(client: FlaskClient, url: str, page_size: int) -> list[str]:
    found, total = ids(client, url, 1, page_size)
    for page in range(2, -(-total // page_size) + 1):
        found += ids(client, url, page, page_size)[0]
    return found


@pytest.mark.parametrize("url", LISTS)
def test_walking_the_index_and_sorting_the_matches_give_the_same_pages(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setattr(paging, "WALK_FACTOR", 10**9)  # never walk
    monkeypatch.setattr(paging, "IDS_FIRST_MIN", 10**9)  # never read ids first
    sorted_matches = all_pages(client, url, 3)
    assert sorted_matches, url
    monkeypatch.setattr(paging, "IDS_FIRST_MIN", 0)  # sort the ids, then read their records
    assert all_pages(client, url, 3) == sorted_matches
    monkeypatch.setattr(paging, "WALK_FACTOR", 0)  # walk whenever the sort allows it
    assert all_pages(client, url, 3) == sorted_matches


@pytest.mark.parametrize("url", LISTS)
def test_paging_through_gives_every_match_once_in_order(client: FlaskClient, url: str) -> None:
    whole, total = ids(client, url, 1, 100)
    assert len(whole) == total == len(set(whole))
    for page_size in (1, 2, 7):
        assert all_pages(client, url, page_size) == whole, page_size


def test_a_filter_matching_nothing_is_an_empty_first_page(client: FlaskClient) -> None:
    body = client.get("/api/v1/municipalities?province=Nergensland&sizeClass=small").get_json()
    assert body["items"] == [] and body["total"] == 0
    assert client.get("/api/v1/municipalities?province=Nergensland&page=2").status_code == 400


@pytest.mark.parametrize(("path", "param"), [("approaches", "topic"), ("approaches", "provider"), ("experts", "serves"),
                                             ("experts", "organisation"), ("topics", "parent"),
                                             ("municipalities", "safetyRegion"), ("safety-houses", "policeUnit")])
def test_an_unknown_id_in_a_filter_is_a_400_naming_it(client: FlaskClient, path: str, param: str) -> None:
    value = {"serves": "GM9999", "safetyRegion": "VR99", "policeUnit": "RE99"}.get(param, "no-such-id")
    response = client.get(f"/api/v1/{path}?{param}={value}")
    assert response.status_code == 400
    [problem] = response.get_json()["invalidParams"]
    assert problem["name"] == param and value in problem["reason"]
