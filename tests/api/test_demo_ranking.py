"""Demo records never rank above a real one: not in search, not in a list ranked by `q`, not in the support
bundle (issue 12). Demo ids start with `demo-`; the shared database holds the real catalogue and the demo set."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def assert_real_first(ids: list[str], where: str) -> None:
    demo = [i for i, record_id in enumerate(ids) if record_id.startswith("demo-")]
    real = [i for i, record_id in enumerate(ids) if not record_id.startswith("demo-")]
    assert demo and real, f"{where}: the check needs both real and demo records ({ids})"
    assert max(real) < min(demo), f"{where}: a demo record ranks above a real one: {ids}"


@pytest.mark.parametrize("q", ["radicalisering", "training", "polarisatie", "advies"])
def test_search_ranks_real_records_first(client: FlaskClient, q: str) -> None:
    items = client.get("/api/v1/search", query_string={"q": q, "pageSize": 100}).get_json()["items"]
    assert_real_first([hit["id"] for hit in items if hit["type"] in {"expert", "approach"}], f"search {q}")


def test_a_list_ranked_by_q_puts_real_records_first(client: FlaskClient) -> None:
    items = client.get("/api/v1/approaches", query_string={"q": "training", "pageSize": 100}).get_json()["items"]
    assert_real_first([item["id"] for item in items], "approaches?q=training")


@pytest.mark.parametrize("topic", ["polarisation", "family-support"])
def test_the_support_bundle_ranks_real_records_first(client: FlaskClient, topic: str) -> None:
    bundle = client.get(f"/api/v1/municipalities/GM0363/support?limit=50&topic={topic}").get_json()
    for part in ("experts", "approaches"):
        assert_real_first([record["id"] for record in bundle[part]], f"support {part} topic={topic}")
