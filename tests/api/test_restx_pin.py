"""flask-restx internals the API relies on: the pinned version and the one private hook it overrides.

`api/resources/base.py` overrides `Api._register_doc` (no public option keeps restx from adding its own 404 rule
at the prefix, python-restx/flask-restx#319). These tests fail when an upgrade moves that hook, so the override
cannot silently stop working.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

import flask_restx
from flask import Flask
from flask.testing import FlaskClient

from api.resources.base import KennisbankApi
from api.resources.root import ApiRoot
from tests.conftest import REPO


def test_flask_restx_is_the_version_pinned_in_pyproject() -> None:
    assert f'"flask-restx=={version("flask-restx")}"' in (REPO / "pyproject.toml").read_text()


def test_the_overridden_hook_is_still_where_restx_adds_its_root_rule() -> None:
    assert "self._register_doc(app)" in inspect.getsource(flask_restx.Api.init_app)
    assert '"root", self.render_root' in inspect.getsource(flask_restx.Api._register_doc)
    assert list(inspect.signature(KennisbankApi._register_doc).parameters) == list(
        inspect.signature(flask_restx.Api._register_doc).parameters)


def test_the_api_root_is_the_root_resource_and_restx_adds_no_page_or_spec(app: Flask, client: FlaskClient) -> None:
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule == "/api/v1"]
    assert [rule.endpoint for rule in rules] == ["api_v1.root"]
    assert app.view_functions["api_v1.root"].view_class is ApiRoot  # type: ignore[attr-defined]
    assert not [rule for rule in app.url_map.iter_rules() if rule.rule.endswith(("/swagger.json", "/doc/"))]
    response = client.get("/api/v1")
    assert response.status_code == 200 and response.is_json
