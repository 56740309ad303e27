"""Domain exceptions: raised by services, queries and the web layer, turned into problems in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InvalidParam:
    """One bad input field: its name (dotted path), a code and a human reason."""

    name: str
    code: str
    reason: str


class KennisbankError(Exception):
    """Base of every error the API answers with a problem document."""

    status = 500
    code = "internal-error"
    title = "Internal Server Error"

    def __init__(self, detail: str = "", **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail or self.title
        self.extra = extra


class InvalidInput(KennisbankError):
    """The request's parameters or body are invalid; lists every error at once."""

    status = 400
    code = "invalid-input"
    title = "Bad Request"

    def __init__(self, invalid_params: list[InvalidParam], detail: str = "") -> None:
        n = len(invalid_params)
        super().__init__(detail or f"The request has {n} invalid parameter{'s' if n != 1 else ''}.")
        self.invalid_params = invalid_params


class NotFound(KennisbankError):
    """No resource at this address."""

    status = 404
    code = "not-found"
    title = "Not Found"


class Conflict(KennisbankError):
    """The resource exists already or the change clashes with the catalogue's state."""

    status = 409
    code = "conflict"
    title = "Conflict"


class PreconditionFailed(KennisbankError):
    """If-Match does not match the current version."""

    status = 412
    code = "precondition-failed"
    title = "Precondition Failed"


class PreconditionRequired(KennisbankError):
    """An update came without If-Match."""

    status = 428
    code = "precondition-required"
    title = "Precondition Required"


class UnsupportedMediaType(KennisbankError):
    """The body is not in a media type this operation takes."""

    status = 415
    code = "unsupported-media-type"
    title = "Unsupported Media Type"


class Unauthorized(KennisbankError):
    """No valid API key."""

    status = 401
    code = "unauthorized"
    title = "Unauthorized"


class Forbidden(KennisbankError):
    """The key's role may not do this."""

    status = 403
    code = "forbidden"
    title = "Forbidden"


class Unavailable(KennisbankError):
    """A dependency (the database) is unreachable; try again shortly."""

    status = 503
    code = "unavailable"
    title = "Service Unavailable"


class TooManyRequests(KennisbankError):
    """The caller used up its rate limit; the Retry-After header says when to try again."""

    status = 429
    code = "too-many-requests"
    title = "Too Many Requests"
