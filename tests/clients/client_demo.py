"""What an integrator writes with the client that openapi-python-client generates from /api/v1/openapi.json.

The gate in tests/ops/test_generated_clients.py generates `kennisbank_client`, type-checks this file with
`mypy --strict` and runs it against a live server: `python client_demo.py http://127.0.0.1:PORT/api/v1`.
Every answer is narrowed with isinstance to its generated model, so a change in the contract that loses a type
fails mypy, and one that breaks the wire fails here.
"""

from __future__ import annotations

import sys

from kennisbank_client import Client
from kennisbank_client.api.approaches import get_approach_list
from kennisbank_client.api.experts import get_expert_item
from kennisbank_client.api.municipalities import get_municipality_list, get_municipality_support
from kennisbank_client.api.root import get_api_root
from kennisbank_client.api.search import get_search
from kennisbank_client.models import ApproachPage, Problem, Root, SearchResult, SupportBundle
from kennisbank_client.types import Unset


class ApiError(Exception):
    """A problem+json answer, typed."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.status} {problem.code}: {problem.detail}")
        self.problem = problem


def root(client: Client) -> Root:
    """The API root, reached at the server URL + "/"."""
    answer = get_api_root.sync(client=client)
    assert isinstance(answer, Root), answer
    return answer


def find_municipality(client: Client, name: str) -> str:
    """The CBS code of the first municipality that search finds for `name`."""
    answer = get_search.sync(client=client, q=name)
    if isinstance(answer, Problem):
        raise ApiError(answer)
    assert isinstance(answer, SearchResult), answer
    hit = next(h for h in answer.items if h.type_.value == "municipality")
    return hit.id


def support(client: Client, code: str) -> SupportBundle:
    """The support bundle of a municipality, narrowed by a topic."""
    answer = get_municipality_support.sync(code, client=client, topic=["polarisation"], limit=5)
    if isinstance(answer, Problem):
        raise ApiError(answer)
    assert isinstance(answer, SupportBundle), answer
    return answer


def all_approaches(client: Client) -> list[str]:
    """Every approach id, page by page, following `_links.next` until there is none (at most 100 pages)."""
    ids: list[str] = []
    page = 1
    for _ in range(100):
        answer = get_approach_list.sync(client=client, page=page, page_size=10)
        assert isinstance(answer, ApproachPage), answer
        ids += [approach.id for approach in answer.items]
        if isinstance(answer.field_links.next_, Unset):
            assert len(ids) == answer.total
            return ids
        page += 1
    raise AssertionError("more than 100 pages")


def main(base_url: str) -> None:
    """Search, support bundle, paging and two typed errors, printed as one line each."""
    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    print("root", root(client).version, root(client).field_links.experts.href)
    code = find_municipality(client, "den bosch")
    assert code == "GM0796", code
    bundle = support(client, code)
    print("support", bundle.municipality.name, bundle.safety_region.id, bundle.totals.experts,
          bundle.field_links.experts.href)
    for expert in bundle.experts:
        print("  expert", expert.name, expert.serves_via.level.value)
    ids = all_approaches(client)
    print("approaches", len(ids), len(set(ids)))
    missing = get_expert_item.sync("no-such-expert", client=client)
    assert isinstance(missing, Problem) and missing.status == 404, missing
    print("404", missing.code)
    invalid = get_municipality_list.sync(client=client, page_size=0)
    assert isinstance(invalid, Problem) and invalid.status == 400, invalid
    assert not isinstance(invalid.invalid_params, Unset)
    print("400", invalid.code, [param.name for param in invalid.invalid_params])


if __name__ == "__main__":
    main(sys.argv[1])
