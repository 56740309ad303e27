"""HTTP resources: one restx Namespace per collection, all under /api/v1."""

from flask import Blueprint, Flask

from api.collections import COLLECTIONS
from api.resources import (  # noqa: F401 - importing a collection's module routes it on its namespace
    api_keys,
    approaches,
    experts,
    feed,
    history,
    municipalities,
    municipality_policy,  # a municipality's policy, below its item
    organisations,
    police_units,
    root,
    safety_houses,
    safety_regions,
    search,
    support,  # a municipality's support bundle, below its item
    topics,
)
from api.resources.base import NAMESPACES, KennisbankApi, reject_unknown_parameters

# The modules above define the routes of every collection of `api.collections.COLLECTIONS`, each in its own
# namespace (`NAMESPACES`); the history routes join those namespaces.
history.register_all()


def init_app(app: Flask) -> KennisbankApi:
    """Mount the API at /api/v1 and return it (the docs module reads its resources)."""
    blueprint = Blueprint("api_v1", __name__)
    blueprint.before_request(reject_unknown_parameters)  # one rule for every operation (lists check in their schema)
    api = KennisbankApi(prefix="/api/v1", doc=False, catch_all_404s=False, title="Kennisbank API")
    api.init_app(blueprint, add_specs=False)  # no Swagger 2.0 document; restx reads add_specs only here
    api.add_resource(root.ApiRoot, "", "/", endpoint="root")  # /api/v1/ too: the root is the server URL + "/"
    for namespace in [NAMESPACES[c.name] for c in COLLECTIONS] + [search.ns, feed.ns, api_keys.ns]:
        api.add_namespace(namespace)
    app.register_blueprint(blueprint)
    return api
