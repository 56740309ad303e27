"""GET /widget: a small self-contained page (Dutch) that municipal intranets embed in an iframe.

The page asks for a municipality, suggests names from the municipality list's `q` search and shows its support
bundle. Everything is inline (no external assets, works offline); its scripts and styles run under a
per-response CSP nonce, and `frame-ancestors` lists the intranet origins of KENNISBANK_FRAME_ANCESTORS.
"""

from __future__ import annotations

import re
import secrets

from flask import Flask, Response, render_template, request

SOURCE = re.compile(r"^(https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?|'self')$")


def frame_ancestors(setting: str) -> str:
    """The CSP `frame-ancestors` source list of a comma list of origins; `'none'` when empty.

    Raises ValueError on anything that is not an origin (scheme://host[:port], `*.` allowed) or 'self',
    so a typo in the configuration fails at start-up instead of silently blocking or opening the widget.
    """
    origins = [part.strip().rstrip("/") for part in setting.split(",") if part.strip()]
    bad = [origin for origin in origins if not SOURCE.match(origin)]
    if bad:
        raise ValueError(f"KENNISBANK_FRAME_ANCESTORS: not an origin: {', '.join(bad)} "
                         "(use e.g. https://intranet.gemeente.nl, comma-separated)")
    return " ".join(dict.fromkeys(origins)) or "'none'"


def content_security_policy(nonce: str, ancestors: str) -> str:
    """The widget's CSP: only its own inline script and style (by nonce), API calls to this origin."""
    return (
        "default-src 'none'; "
        f"script-src 'nonce-{nonce}'; "
        f"style-src 'nonce-{nonce}'; "
        "connect-src 'self'; "
        "img-src 'self' data:; "
        "base-uri 'none'; "
        "form-action 'none'; "
        f"frame-ancestors {ancestors}"
    )


def init_app(app: Flask) -> None:
    """Serve /widget, embeddable by the origins in KENNISBANK_FRAME_ANCESTORS (default: nobody)."""
    ancestors = frame_ancestors(app.config.get("KENNISBANK", {}).get("FRAME_ANCESTORS", ""))

    @app.get("/widget")
    def widget() -> Response:
        nonce = secrets.token_urlsafe(18)
        html = render_template("widget.html", nonce=nonce, api_root=f"{request.script_root}/api/v1")
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = content_security_policy(nonce, ancestors)
        # Browsers that know CSP ignore X-Frame-Options when frame-ancestors is set; older ones get SAMEORIGIN
        # instead of the API's DENY, which would forbid the embedding that frame-ancestors allows.
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        # A fresh nonce per response: never reuse a stored copy.
        response.headers["Cache-Control"] = "no-store"
        if ancestors != "'none'":
            response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response
