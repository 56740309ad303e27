"""The HTTP edge: loading input with marshmallow, JSON responses, paging links and common headers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, json, request
from marshmallow import Schema, ValidationError

from api.config import API_VERSION
from api.exceptions import InvalidInput, InvalidParam
from api.problems import invalid_params_of
from api.queries.paging import Page
from schemas.common import BASE_URL, CommaList

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-site",
}


def query_params(schema: Schema) -> dict[str, Any]:
    """Load the query string with `schema`; every bad or unknown parameter is reported at once."""
    args = request.args
    list_keys = {f.data_key or name for name, f in schema.fields.items() if isinstance(f, CommaList)}
    raw: dict[str, Any] = {}
    repeated: list[InvalidParam] = []
    for key in args:
        values = args.getlist(key)
        if key in list_keys:
            raw[key] = values
        elif len(values) > 1:
            repeated.append(InvalidParam(key, "repeated", "Give this parameter once."))
        else:
            raw[key] = values[0]
    try:
        loaded = schema.load(raw)
    except ValidationError as error:
        raise InvalidInput(repeated + invalid_params_of(error)) from None
    if repeated:
        raise InvalidInput(repeated)
    return loaded


def json_body(schema: Schema) -> dict[str, Any]:
    """Load a JSON object body with `schema`; bad JSON and every invalid field are a 400."""
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise InvalidInput([InvalidParam("body", "invalid-json", "Send one JSON object.")])
    try:
        return schema.load(data)
    except ValidationError as error:
        raise InvalidInput(invalid_params_of(error)) from None


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response."""
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def page_response(
    page: Page[Any], schema: Schema, transform: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> Response:
    """The paging envelope with RFC 8288 Link and X-Total-Count headers; `transform` edits each item."""
    links = page_links(page.page, page.page_size, page.total)
    body = {
        "items": [transform(item) if transform else item for item in schema.dump(page.items, many=True)],
        "page": page.page,
        "pageSize": page.page_size,
        "total": page.total,
        "_links": links,
    }
    link_header = ", ".join(f'<{link["href"]}>; rel="{rel}"' for rel, link in links.items())
    return json_response(body, headers={"Link": link_header, "X-Total-Count": str(page.total)})


def page_links(page: int, page_size: int, total: int, keep_query: bool = True) -> dict[str, dict[str, str]]:
    """self/first/prev/next/last links of a page; `keep_query` repeats the request's other parameters."""
    last = max(1, -(-total // page_size))
    numbers = {"self": page, "first": 1, "last": last}
    if page > 1:
        numbers["prev"] = page - 1
    if page < last:
        numbers["next"] = page + 1
    return {rel: {"href": _page_link(number, keep_query)} for rel, number in numbers.items()}


def _page_link(number: int, keep_query: bool = True) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"] if keep_query else []
    args.append(("page", str(number)))
    return f"{BASE_URL.get()}{request.path}?{urlencode(args)}"


def _before() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.match(incoming) else str(uuid.uuid4())
    base = g.get("base_url_setting") or request.host_url.rstrip("/")
    BASE_URL.set(base)


def _after(response: Response) -> Response:
    response.headers["API-Version"] = API_VERSION
    response.headers["X-Request-ID"] = g.get("request_id") or str(uuid.uuid4())
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed:
        response.headers.setdefault("Cache-Control", "no-cache")
        response.add_etag()
        response.make_conditional(request)
    else:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Request ids, API-Version, security headers and ETags on every response."""
    base_url = app.config.get("KENNISBANK", {}).get("BASE_URL", "").rstrip("/")

    def before() -> None:
        g.base_url_setting = base_url
        _before()

    app.before_request(before)
    app.after_request(_after)
