"""The query parameters read by hand (``web.params.Param``): any text gives a value or one clear error, never an
exception; blank form fields are no filter; the OpenAPI document describes what the routes read."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survindex.web.params import FILTER_PARAMS, PAGE_PARAMS, Param
from tests.test_web_support import app_for, client, seed

PARAMS = FILTER_PARAMS + PAGE_PARAMS


@given(st.sampled_from(PARAMS), st.one_of(st.none(), st.text(max_size=240), st.integers().map(str)))
def test_any_text_is_a_value_or_one_error(param: Param, raw: str | None) -> None:
    errors: list[dict[str, Any]] = []
    value = param.parse(raw, errors)
    if errors:
        assert value is None and len(errors) == 1 and errors[0]["param"] == param.name
        assert errors[0]["loc"] == ["query", param.name] and errors[0]["msg"]
        return
    if raw in (None, ""):
        assert value == param.default
    elif param.kind is str:
        assert value == raw and (param.max_length is None or len(raw) <= param.max_length)
    elif param.kind is int:
        assert value == int(raw) and (param.ge is None or value >= param.ge) and (param.le is None or value <= param.le)
    else:
        assert value is (raw.strip().lower() in ("true", "1", "yes", "on"))


@given(st.integers(min_value=-10_000, max_value=20_000_000))
def test_numbers_in_range_and_out(n: int) -> None:
    limit, offset = PAGE_PARAMS
    for param in (limit, offset):
        errors: list[dict[str, Any]] = []
        value = param.parse(f" {n} ", errors)
        inside = param.ge is not None and param.le is not None and param.ge <= n <= param.le
        assert (value == n and not errors) if inside else (value is None and errors[0]["type"] == "out_of_range")


@pytest.fixture
def app(db_path: str) -> Any:
    seed(db_path)
    return app_for(db_path)


def test_blank_form_fields_are_no_filter(app: Any) -> None:
    c = client(app)
    blank = c.get("/search.json", params={"q": "", "year_from": "", "year_to": "", "bri": "", "status": "",
                                          "limit": "", "offset": ""})
    assert blank.status_code == 200
    assert blank.json()["total"] == c.get("/search.json").json()["total"]
    assert blank.json()["limit"] == 50


@pytest.mark.parametrize("query,param", [({"year_from": "x"}, "year_from"), ({"limit": "0"}, "limit"),
                                         ({"limit": "501"}, "limit"), ({"offset": "-1"}, "offset"),
                                         ({"bri": "maybe"}, "bri"), ({"q": "w" * 201}, "q"),
                                         ({"status": "lost"}, "status"), ({"country": "Kenya"}, "country")])
def test_a_bad_value_is_400_naming_it(app: Any, query: dict[str, str], param: str) -> None:
    for path in ("/search.json", "/api/claims"):
        r = client(app).get(path, params=query)
        assert r.status_code == 400, (path, query)
        body = r.json()
        assert body["ok"] is False and [e["param"] for e in body["errors"]] == [param]


def test_openapi_describes_the_parameters_read_by_hand(app: Any) -> None:
    spec = client(app).get("/api/openapi.json").json()
    listed = {p["name"]: p for p in spec["paths"]["/api/claims"]["get"]["parameters"]}
    assert {p.name for p in PARAMS} <= set(listed)
    assert listed["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}
    assert listed["bri"]["schema"] == {"type": "boolean"} and listed["q"]["schema"]["maxLength"] == 200
    assert "limit" not in {p["name"] for p in spec["paths"]["/api/claims.csv"]["get"]["parameters"]}
    assert {p["name"] for p in spec["paths"]["/api/documents"]["get"]["parameters"]} >= {"limit", "offset"}
