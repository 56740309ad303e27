"""HTTP resources: one restx Namespace per collection, all under /api/v1."""

from flask import Blueprint, Flask

from api.resources import (
    api_keys,
    approaches,
    experts,
    feed,
    history,  # noqa: F401 - registers /{collection}/{id}/history on every collection's namespace
    municipalities,
    municipality_policy,  # noqa: F401 - registers /municipalities/{id}/policy
    organisations,
    police_units,
    root,
    safety_houses,
    safety_regions,
    search,
    support,  # noqa: F401 - registers /municipalities/{id}/support on the municipalities namespace
    topics,
)
from api.resources.base import KennisbankApi

NAMESPACES = (
    municipalities.ns,
    safety_regions.ns,
    police_units.ns,
    safety_houses.ns,
    organisations.ns,
    experts.ns,
    approaches.ns,
    topics.ns,
    search.ns,
    feed.ns,
    api_keys.ns,
)


def init_app(app: Flask) -> KennisbankApi:
    """Mount the API at /api/v1 and return it (the docs module reads its resources)."""
    blueprint = Blueprint("api_v1", __name__)
    api = KennisbankApi(
        blueprint,
        prefix="/api/v1",
        doc=False,
        add_specs=False,
        catch_all_404s=False,
        title="Kennisbank API",
    )
    api.add_resource(root.ApiRoot, "", endpoint="root")
    for namespace in NAMESPACES:
        api.add_namespace(namespace)
    app.register_blueprint(blueprint)
    return api
