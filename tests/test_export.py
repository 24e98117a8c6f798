"""Exports: every format parses back to the rows written (hypothesis), GeoJSON points, the data package."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.export import CLAIM_SCHEMA, COUNTRY_SCHEMA, FORMATS, Field, Schema, SchemaError, normalise, write_all
from survindex.export import datapackage
from survindex.export.rows import claim_rows
from survindex.export.schema import text_of, to_text
from survindex.model import Claim, Document

SCHEMA = Schema(name="things", title="Things", geo_field="iso3", fields=(
    Field("iso3", "string"), Field("label", "string"), Field("n", "integer"), Field("x", "number"),
    Field("flag", "boolean"), Field("tags", "array"), Field("meta", "object"),
))

# XML 1.0 (XLSX) cannot hold most control characters or surrogates: text that a spreadsheet can keep.
text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"), max_size=40)
rows = st.lists(st.fixed_dictionaries({
    "iso3": st.sampled_from(["FRA", "KEN", "ECU", "XXX"]) | st.none(),
    "label": text | st.none(),
    "n": st.integers(-2**53, 2**53) | st.none(),
    # spreadsheets hold numbers up to about 1e308 with 15 significant digits
    "x": st.floats(min_value=-1e300, max_value=1e300, allow_nan=False) | st.none(),
    "flag": st.booleans() | st.none(),
    "tags": st.lists(text, max_size=4) | st.none(),
    "meta": st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"),
                                    max_size=5), st.integers() | text, max_size=3) | st.none(),
}), max_size=8)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "parquet", "geojson"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rows)
def test_round_trip(fmt: str, data: list[dict[str, Any]]) -> None:
    module = FORMATS[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        path = module.write(Path(tmp) / f"t.{module.EXTENSION}", data, SCHEMA)
        expected, back = normalise(data, SCHEMA), module.read(path, SCHEMA)
        if fmt == "xlsx":  # spreadsheets keep about 15 significant digits (Excel's precision)
            for e, b in zip(expected, back):
                assert (e["x"] is None and b["x"] is None) or math.isclose(e["x"], b["x"], rel_tol=1e-14)
            expected = [{**r, "x": None} for r in expected]
            back = [{**r, "x": None} for r in back]
        assert back == expected


@settings(max_examples=100, deadline=None)
@given(data=rows)
def test_cell_text_fast_paths_equal_to_text(data: list[dict[str, Any]]) -> None:
    """The writers' per-field ``text_of`` gives the lexical form ``to_text`` defines (empty arrays, floats, ...)."""
    for row in normalise(data, SCHEMA):
        for field in SCHEMA.fields:
            assert text_of(field)(row[field.name]) == to_text(field, row[field.name])


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    data = [{"label": "=HYPERLINK(\"http://x\")", "tags": ["=1+1"]}]
    path = FORMATS["xlsx"].write(tmp_path / "t.xlsx", data, SCHEMA)
    assert FORMATS["xlsx"].read(path, SCHEMA)[0]["label"] == data[0]["label"]


def test_xlsx_replaces_what_xml_cannot_hold(tmp_path: Path) -> None:
    """Control characters, lone surrogates and U+FFFE/U+FFFF in text become U+FFFD (JSON cells escape them, so
    they come back whole); the workbook still opens."""
    data = [{"label": "a\x00b\x0bc\ud800d\uffff<&>", "tags": ["\x1f"]}, {"label": "plain"}]
    back = FORMATS["xlsx"].read(FORMATS["xlsx"].write(tmp_path / "t.xlsx", data, SCHEMA), SCHEMA)
    assert back[0]["label"] == "a\ufffdb\ufffdc\ufffdd\ufffd<&>" and back[0]["tags"] == ["\x1f"]
    assert back[1]["label"] == "plain"


def test_unknown_field_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="fields not in the schema: colour"):
        FORMATS["csv"].write(tmp_path / "t.csv", [{"iso3": "FRA", "colour": "red"}], SCHEMA)


def test_geojson_points_at_country_centroids(tmp_path: Path) -> None:
    path = FORMATS["geojson"].write(tmp_path / "t.geojson", [{"iso3": "FRA"}, {"iso3": "XXX"}], SCHEMA)
    features = json.loads(path.read_text())["features"]
    lon, lat = features[0]["geometry"]["coordinates"]
    assert -5 < lon < 8 and 42 < lat < 51  # metropolitan France, not the overseas departments
    assert features[1]["geometry"] is None


def test_claims_and_data_package(tmp_path: Path) -> None:
    doc = Document.from_text("Kenya's Safe City project with Huawei.", title="Safe City", url="https://ex.org/a")
    claim = Claim(doc_id=doc.id, kind="deployment", quote="Kenya's Safe City project", extractor="t",
                  extractor_version="1", country="KEN", technology="safe_city", supplier="Huawei", year=2014,
                  original={"country": "Kenya"}, status="accepted")
    data = claim_rows([claim], {doc.id: doc}.get)
    resources = write_all(tmp_path, data, CLAIM_SCHEMA)
    for r in resources:
        back = FORMATS[r.format].read(r.path, CLAIM_SCHEMA)
        assert back == normalise(data, CLAIM_SCHEMA)
        assert back[0]["doc_title"] == "Safe City" and back[0]["original"] == {"country": "Kenya"}
    dp = datapackage.write(tmp_path / "datapackage.json", resources, title="t",
                           sources=[{"title": "x", "path": "https://ex.org"}])
    desc = json.loads(dp.read_text())
    assert {r["path"] for r in desc["resources"]} == {f"claims.{FORMATS[f].EXTENSION}" for f in FORMATS}
    csv_res = next(r for r in desc["resources"] if r["format"] == "csv")
    assert [f["name"] for f in csv_res["schema"]["fields"]] == list(CLAIM_SCHEMA.names)
    assert desc["licenses"][0]["name"] == "CC-BY-4.0"


def test_country_schema_has_a_flag_per_technology() -> None:
    from survindex.model import TECHNOLOGY_KEYS

    assert {f"tech_{k}" for k in TECHNOLOGY_KEYS} <= set(COUNTRY_SCHEMA.names)
