"""The HTTP edge: loading input with marshmallow, JSON responses, paging links and common headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson
from flask import Flask, Response, g, request
from flask.json.provider import DefaultJSONProvider
from marshmallow import Schema, ValidationError
from werkzeug.http import http_date
from werkzeug.routing import BaseConverter
from werkzeug.sansio.utils import get_host

from api.exceptions import InvalidInput, InvalidParam
from api.problems import invalid_params_of
from api.queries.paging import Page
from schemas.common import BASE_URL, CommaList
from schemas.storable import MAX_ID_LENGTH

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a request body may have (the deepest input schema needs 4)."""
UNCHECKED_HOST_PATHS = ("/health", "/metrics")
"""Probes and scrapers call by address; they make no links, so their Host is not checked."""


class IdConverter(BaseConverter):
    """A path segment that can be an id: 1 to 64 characters, no NUL; anything else matches no route (404)."""

    regex = rf"[^/\x00]{{1,{MAX_ID_LENGTH}}}"


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing bodies nested deeper than MAX_JSON_DEPTH (a ValueError: `get_json` answers None)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """The parsed document; ValueError when it is not JSON or too deep to handle safely."""
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("The JSON is nested too deeply.") from None
        if _depth(value) > MAX_JSON_DEPTH:
            raise ValueError("The JSON is nested too deeply.")
        return value


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, level = stack.pop()
        if isinstance(current, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_JSON_DEPTH:
                stack.extend((item, level + 1) for item in (current.values() if isinstance(current, dict) else current))
    return deepest


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


ENCODING = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
"""orjson, with dates and dataclasses left to Flask's own rules (so a body says what it said with Flask's encoder)."""
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_RANGE", "HTTP_IF_RANGE")
"""Request headers that can make a GET conditional (304, 412) or partial: without them there is nothing to check."""


def encode(body: Any) -> bytes:
    """`body` as compact UTF-8 JSON."""
    return orjson.dumps(body, default=DefaultJSONProvider.default, option=ENCODING)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response."""
    response = Response(encode(body), status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def page_response(
    page: Page[Any], schema: Schema | None = None, transform: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> Response:
    """The paging envelope with RFC 8288 Link and X-Total-Count headers: the page's records dumped by `schema`
    (without one, its items are dumped already); `transform` edits each item."""
    links = page_links(page.page, page.page_size, page.total)
    dumped = schema.dump(page.items, many=True) if schema is not None else page.items
    body = {
        "items": [transform(item) if transform else item for item in dumped],
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


def base_url(setting: str, proxies: int) -> str:
    """The origin links are made with: KENNISBANK_BASE_URL; else the Host as trusted proxies passed it on;
    else the address this server listens on. A Host header sent straight to the server is never used, so
    a caller cannot plant another host in links, Location headers or the OpenAPI servers."""
    if setting:
        if request.host.lower() not in _known_hosts(setting) and not request.path.startswith(UNCHECKED_HOST_PATHS):
            raise InvalidInput([InvalidParam("Host", "unknown-host",
                                             f"This service answers as {urlsplit(setting).netloc} only.")])
        return setting
    if proxies > 0:
        return request.host_url.rstrip("/")
    return f"{request.scheme}://{get_host(request.scheme, None, request.server) or 'localhost'}"


def _known_hosts(setting: str) -> set[str]:
    parts = urlsplit(setting)
    default = {"http": ":80", "https": ":443"}.get(parts.scheme, ":")
    host = parts.netloc.lower().removesuffix(default)
    return {host, host + default}


def cache_control() -> str:
    """Cache-Control of a GET answer: a key-only answer is never stored, one that depends on the key only
    privately (in the caller's own browser); public answers may be kept and revalidated with their ETag."""
    if g.get("key_required"):
        return "private, no-store"
    if getattr(g.get("viewer"), "authenticated", False):
        return "private, no-cache"
    return "no-cache"


def _after(response: Response) -> Response:
    """Cache rules, ETag and conditional answers, with one pass over the response's headers (each werkzeug
    lookup is a scan). API-Version, X-Request-ID and the security headers are the edge's (api/edge.py)."""
    headers = response.headers
    present = {key.lower() for key, _ in headers.items()}
    readable = request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed
    if "cache-control" not in present:
        headers.add("Cache-Control", cache_control() if readable else "no-store")
    if readable:
        if "etag" not in present:
            response.add_etag()
        environ = request.environ
        if "content-length" not in present or any(name in environ for name in CONDITIONAL):
            response.make_conditional(request)
        elif "date" not in present:  # what make_conditional adds when there is no condition to check
            headers["Date"] = http_date()
    return response


def init_app(app: Flask) -> None:
    """Links' base URL, ETags and cache rules on every response; ids in paths at most 64 characters; JSON bodies
    at most MAX_JSON_DEPTH deep."""
    settings = app.config.get("KENNISBANK", {})
    setting, proxies = settings.get("BASE_URL", "").rstrip("/"), int(settings.get("PROXIES", "0") or 0)
    provider = BoundedJSONProvider(app)
    provider.sort_keys = app.json.sort_keys  # type: ignore[attr-defined]
    app.json = provider
    app.url_map.converters["default"] = app.url_map.converters["string"] = IdConverter

    def before() -> None:
        BASE_URL.set(base_url(setting, proxies))

    app.before_request(before)
    app.after_request(_after)
    _ensure_sync_once(app)


def _ensure_sync_once(app: Flask) -> None:
    """Flask asks, for every hook of every request, whether it is a coroutine function (an `inspect` call each):
    the answer for a function never changes, so remember it."""
    original = app.ensure_sync
    known: dict[Any, Callable[..., Any]] = {}

    def ensure_sync(func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return known[func]
        except KeyError:
            known[func] = wrapped = original(func)
            return wrapped
        except TypeError:  # not hashable
            return original(func)

    app.ensure_sync = ensure_sync  # type: ignore[method-assign]
