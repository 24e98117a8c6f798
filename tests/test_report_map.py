"""The server-side SVG map and charts."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from survindex.report import charts
from survindex.report.atlas import atlas_path, centroids, equal_earth, shapes
from survindex.report.map import HEIGHT, WIDTH, base_svg, colour, overlay_svg, world_svg

PATH = re.compile(r'<path d="[^"]+" data-iso3="([A-Z]*)" data-value="(\d+)"')
ISO3 = sorted({s.iso3 for s in shapes() if s.iso3})


def test_one_path_per_world_atlas_shape() -> None:
    geometries = json.loads(atlas_path("50m").read_text())["objects"]["countries"]["geometries"]
    svg = world_svg({})
    assert len(PATH.findall(svg)) == len(geometries) == 241
    assert {iso for iso, _ in PATH.findall(svg) if iso} >= {"CHN", "USA", "KEN", "SGP", "XKX", "TWN", "HKG"}


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.sampled_from(ISO3), st.integers(0, 12), max_size=40))
def test_coloured_shapes_are_exactly_the_countries_with_a_value(values: dict[str, int]) -> None:
    svg = world_svg(values, href=lambda iso: f"countries/{iso}.html")
    coloured = {iso for iso, v in PATH.findall(svg) if int(v) > 0}
    assert coloured == {iso for iso, v in values.items() if v > 0}
    for iso, v in PATH.findall(svg):
        assert int(v) == values.get(iso, 0)
    for iso in coloured:
        assert f'href="countries/{iso}.html"' in svg


def test_title_and_href_are_escaped() -> None:
    svg = world_svg({"KEN": 2}, href=lambda i: f"x.html?a=1&b={i}", title=lambda i: "<Kenya & co>")
    assert 'href="x.html?a=1&amp;b=KEN"' in svg and "&lt;Kenya &amp; co&gt;" in svg


def test_projection_and_centroids() -> None:
    x, y = equal_earth(0, 0)
    assert (x, y) == (0.0, 0.0)
    assert equal_earth(180, 0)[0] > 2.7 and equal_earth(0, 90)[1] > 1.3
    lon, lat = centroids()["RUS"]  # crosses the antimeridian: centroid must stay in Russia
    assert 40 < lon < 150 and 55 < lat < 70
    lon, lat = centroids()["USA"]
    assert -125 < lon < -65 and 25 < lat < 50


def test_overlay_draws_only_valued_shapes_and_markers_for_small_ones() -> None:
    svg = overlay_svg({"KEN": 1, "SGP": 1}, resolution="110m")  # Singapore has no 110m shape
    assert {iso for iso, _ in PATH.findall(svg)} == {"KEN"}
    assert 'data-marker="SGP"' in svg
    assert base_svg("110m").count("<path") > 170


def test_colour_scale() -> None:
    assert colour(0, 4) == colour(-1, 4) != colour(1, 4)
    assert len({colour(v, 4) for v in range(1, 5)}) == 4
    assert len({colour(v, 40) for v in range(1, 41)}) > 4


def test_charts_render_values() -> None:
    svg = charts.hbars([("Huawei", 50, "suppliers/huawei.html"), ("<NEC>", 3, None)], "reach")
    assert 'data-value="50"' in svg and "&lt;NEC&gt;" in svg and 'href="suppliers/huawei.html"' in svg
    svg = charts.by_year({"2014": {"countries_cumulative": 1, "new_countries": 1, "claims": 2},
                          "2016": {"countries_cumulative": 3, "new_countries": 2, "claims": 2}}, "years")
    assert 'data-year="2016" data-value="2"' in svg
    svg = charts.regime_shares({"liberal_democracy": {"safe_city": 0.5}}, {"liberal_democracy": 2},
                               {"liberal_democracy": "Liberal democracy"}, {"safe_city": "Safe city"}, "r")
    assert "Liberal democracy (2)" in svg and 'data-value="0.5"' in svg
    assert charts.hbars([], "x") == "" and WIDTH > HEIGHT


def test_locator_zooms_on_the_country() -> None:
    from survindex.report.map import locator_svg

    svg = locator_svg("KEN", "../static/world.svg")
    x, y, w, h = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())  # type: ignore[union-attr]
    assert w < WIDTH / 3 and abs(w - 2 * h) < 0.2 and 0 <= x and x + w <= WIDTH
    assert 'data-iso3="KEN"' in svg and 'href="../static/world.svg"' in svg
    assert locator_svg("ZZZ", "x.svg") == ""
