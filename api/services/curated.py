"""Columns every curated record takes from loaded values."""

from __future__ import annotations

from typing import Any


def curated_columns(data: dict[str, Any]) -> dict[str, Any]:
    """status, verifiedAt, sources and the demo mark."""
    return {
        "status": data.get("status", "draft"),
        "verified_at": data.get("verified_at"),
        "sources": data.get("sources") or [],
        "demo": bool(data.get("demo", False)),
    }
