"""RFC 9457 problem+json responses: the one place where every error becomes a response."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Flask, Response, has_request_context, json, request
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from api.edge import request_id_of
from api.exceptions import Conflict, InvalidInput, InvalidParam, KennisbankError, Unauthorized, Unavailable
from api.logging_setup import route_template
from api.sessions import discard

log = logging.getLogger("kennisbank.errors")
PROBLEM_JSON = "application/problem+json"
MAX_INVALID_PARAMS = 50
"""Most entries of `invalidParams` in one answer; `invalidParamsOmitted` counts the rest."""
CODES = {
    400: "invalid-input", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    406: "not-acceptable", 409: "conflict", 412: "precondition-failed", 413: "payload-too-large",
    415: "unsupported-media-type", 428: "precondition-required", 429: "too-many-requests",
    500: "internal-error", 503: "unavailable",
}


def problem(
    status: int,
    title: str,
    detail: str,
    code: str | None = None,
    invalid_params: list[InvalidParam] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response; its `instance` is the request's id (the X-Request-ID header and log field)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": _request_id(),
        "code": code or CODES.get(status, "error"),
    }
    if invalid_params is not None:
        shown = invalid_params[:MAX_INVALID_PARAMS]
        body["invalidParams"] = [{"name": p.name, "code": p.code, "reason": p.reason} for p in shown]
        if len(invalid_params) > len(shown):
            body["invalidParamsOmitted"] = len(invalid_params) - len(shown)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _request_id() -> str:
    if not has_request_context():
        return str(uuid.uuid4())
    return request_id_of(request.environ)


def invalid_params_of(error: ValidationError, prefix: str = "") -> list[InvalidParam]:
    """Flatten marshmallow's nested messages into `invalidParams`, dotted names, every error."""
    found: list[InvalidParam] = []

    def walk(messages: Any, path: str) -> None:
        if isinstance(messages, dict):
            for key, value in messages.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
            for message in messages:
                code = "unknown-parameter" if message == "Unknown field." else "invalid"
                found.append(InvalidParam(path or "body", code, message))
        elif isinstance(messages, list):
            for index, value in enumerate(messages):
                walk(value, f"{path}.{index}")
        else:
            found.append(InvalidParam(path or "body", "invalid", str(messages)))

    walk(error.messages, prefix)
    return found


def from_exception(error: BaseException) -> Response:
    """The problem response for any exception; unknown ones are logged and answered without details."""
    if isinstance(error, InvalidInput):
        return problem(400, error.title, error.detail, error.code, error.invalid_params)
    if isinstance(error, Unavailable):
        return problem(503, error.title, error.detail, error.code, headers={"Retry-After": "5"})
    if isinstance(error, Unauthorized):
        challenge = {"WWW-Authenticate": 'Bearer realm="kennisbank"'}
        return problem(401, error.title, error.detail, error.code, headers=challenge)
    if isinstance(error, KennisbankError):
        headers = {k: str(v) for k, v in error.extra.items() if isinstance(v, str | int)}
        return problem(error.status, error.title, error.detail, error.code, headers=headers)
    if isinstance(error, ValidationError):
        return from_exception(InvalidInput(invalid_params_of(error)))
    if isinstance(error, HTTPException):
        return _from_http(error)
    if isinstance(error, OperationalError | PoolTimeout | PendingRollbackError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        discard()  # the connection may be dead: never roll it back or hand it to the next request
        log.warning("database unavailable: %s", type(error).__name__, extra=_where())
        return problem(503, "Service Unavailable", "The database cannot be reached; try again in a few seconds.",
                       headers={"Retry-After": "5"})
    if isinstance(error, DataError | IntegrityError):
        return _refused_by_database(error)
    log.exception("unhandled error: %s", type(error).__name__, exc_info=error, extra=_where())
    return problem(500, "Internal Server Error", "Something went wrong on our side; it has been logged.")


def _where() -> dict[str, Any]:
    """Log fields of the request (never its path or query: ids and filters can name people)."""
    if not has_request_context():
        return {}
    return {"request_id": _request_id(), "method": request.method, "route": route_template()}


def _refused_by_database(error: DataError | IntegrityError) -> Response:
    """A value the schemas let through but the database refused: the caller's doing, so a 4xx, not a 500.

    Only the error's class is logged: the database's message can quote the values (personal data).
    """
    log.warning("database refused a value: %s", type(getattr(error, "orig", error)).__name__, extra=_where())
    if isinstance(error, IntegrityError):
        return from_exception(Conflict("The change clashes with another record (a value that must be unique, "
                                       "or a reference)."))
    return from_exception(InvalidInput([InvalidParam("body", "unstorable", "A value cannot be stored (too long, "
                                                                           "out of range or invalid text).")]))


def _from_http(error: HTTPException) -> Response:
    status = error.code or 500
    headers: dict[str, str] = {}
    if status == 405:
        allowed = error.valid_methods if hasattr(error, "valid_methods") else None
        response = error.get_response()
        headers["Allow"] = response.headers.get("Allow", ", ".join(allowed or []))
    if status == 429 and error.response is not None and error.response.headers.get("Retry-After"):
        headers["Retry-After"] = error.response.headers["Retry-After"]
    details = {
        404: "There is nothing at this address. The API lives under /api/v1 (no trailing slash).",
        405: "This method is not allowed here; see the Allow header.",
        413: "The request body is too large.",
        415: "Send the body as application/json.",
    }
    detail = details.get(status) or (error.description if status < 500 else "Something went wrong on our side.")
    return problem(status, error.name, detail, headers=headers)


def init_app(app: Flask) -> None:
    """Route every error Flask sees (outside the API too) through `from_exception`."""
    app.register_error_handler(Exception, from_exception)
    app.register_error_handler(HTTPException, from_exception)
