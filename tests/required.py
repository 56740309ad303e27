"""Services a test needs: skipped where they are missing on a developer's machine, a failure on CI."""

from __future__ import annotations

import os

import pytest


def require_service(name: str, problem: str | None) -> None:
    """Go on when `problem` is None; else skip the test, or fail it on CI (CI set), where every service runs."""
    if problem is None:
        return
    message = f"{name}: {problem}"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI requires it.")
    pytest.skip(message)
