"""Fuzz the JSON API from its OpenAPI description (schemathesis, in-process through ASGI): no 5xx,
anonymous or with an editor's token."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from survindex.store import open_store
from survindex.store import users as su
from tests.test_web_support import app_for, seed


def _operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("auth", ["anonymous", "editor"])
def test_api_has_no_server_errors(db_path: str, auth: str) -> None:
    seed(db_path)
    store = open_store(db_path)
    token = su.create_token(store, "eddie")
    store.close()
    app = app_for(db_path)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    headers = {"authorization": f"Bearer {token}"} if auth == "editor" else {}
    operations = _operations(schema)
    assert len(operations) >= 10
    seen: dict[str, set[int]] = {}

    for operation in operations:
        @settings(max_examples=15, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            seen.setdefault(operation.label, set()).add(response.status_code)
            assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:300])
            if response.status_code >= 400:
                body = response.json()
                assert body["ok"] is False and body["status"] == response.status_code

        check()
    assert any(200 in codes for codes in seen.values())
    if auth == "anonymous":
        assert seen["POST /api/claims/{claim_id}/review"] == {401}
