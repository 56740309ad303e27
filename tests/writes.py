"""Helpers for tests that write through the API: a client with keys, ETags, and the database behind it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from api.database import Database
from api.models import Change, Revision
from tests.keys import Keys

MERGE_PATCH = "application/merge-patch+json"


@dataclass
class Api:
    """A test client of an app on a fresh database, with that database's keys."""

    client: FlaskClient
    keys: Keys
    url: str

    def get(self, path: str, who: str = "curator", **headers: str) -> Any:
        return self.client.get(path, headers={**self.keys.headers(who), **headers})

    def etag(self, path: str, who: str = "curator") -> str:
        response = self.get(path, who)
        assert response.status_code == 200, response.get_json()
        return response.headers["ETag"]

    def post(self, path: str, body: Any, who: str = "curator") -> Any:
        return self.client.post(path, json=body, headers=self.keys.headers(who))

    def put(self, path: str, body: Any, etag: str | None = None, who: str = "curator") -> Any:
        headers = {**self.keys.headers(who), **({"If-Match": etag} if etag else {})}
        return self.client.put(path, json=body, headers=headers)

    def patch(self, path: str, body: Any, etag: str | None = None, who: str = "curator") -> Any:
        headers = {**self.keys.headers(who), "Content-Type": MERGE_PATCH, **({"If-Match": etag} if etag else {})}
        return self.client.patch(path, data=json.dumps(body), headers=headers)

    def delete(self, path: str, etag: str | None = None, who: str = "curator") -> Any:
        headers = {**self.keys.headers(who), **({"If-Match": etag} if etag else {})}
        return self.client.delete(path, headers=headers)

    def count(self, model: Any, **where: str) -> int:
        """Rows of `model` (Revision, Change, ...) matching `where`, read straight from the database."""
        database = Database(self.url)
        with database.session() as session:
            stmt = select(func.count()).select_from(model)
            for column, value in where.items():
                stmt = stmt.where(getattr(model, column) == value)
            found = session.scalar(stmt) or 0
        database.dispose()
        return found

    def revisions(self, collection: str, record_id: str) -> int:
        return self.count(Revision, collection=collection, record_id=record_id)

    def events(self, collection: str, record_id: str) -> int:
        return self.count(Change, collection=collection, record_id=record_id)
