"""World-atlas TopoJSON (Natural Earth, vendored from npm at install time): decoding, Equal Earth projection,
SVG path strings and country centroids. Pure Python, no JavaScript needed to draw the map."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).parent / "static" / "vendor" / "world-atlas"
# Shapes world-atlas gives without an ISO numeric id, mapped where a country code applies.
UNNUMBERED = {"Kosovo": "XKX"}
Ring = list[tuple[float, float]]


class AtlasMissing(FileNotFoundError):
    """The vendored world-atlas file is absent (run ``bash scripts/assets.sh`` or ``make assets``)."""


@dataclass(frozen=True)
class Shape:
    """One world-atlas country geometry: its ISO3 code (None for disputed areas without one) and rings."""

    iso3: str | None
    numeric: str | None
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # polygons -> rings (first outer) -> (lon, lat)


def atlas_path(resolution: str = "50m") -> Path:
    path = VENDOR / f"countries-{resolution}.json"
    if not path.exists():
        raise AtlasMissing(f"{path} is missing: run `bash scripts/assets.sh` (or `make assets`) to vendor world-atlas")
    return path


def _decode_arcs(topo: dict[str, Any]) -> list[Ring]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    out: Ring = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(points[1:] if out else points)
    return _unwrap(out)


def _unwrap(ring: Ring) -> Ring:
    """Make longitudes continuous across the antimeridian (they may leave -180..180); a ring that goes
    once round the globe encloses a pole and is closed along it."""
    if not ring:
        return ring
    out: Ring = [ring[0]]
    shift = 0.0
    for (lon0, _), (lon1, lat1) in zip(ring, ring[1:]):
        if lon1 - lon0 > 180:
            shift -= 360
        elif lon0 - lon1 > 180:
            shift += 360
        out.append((lon1 + shift, lat1))
    if abs(out[-1][0] - out[0][0]) > 180:  # goes round a pole: close along it
        pole = -90.0 if sum(lat for _, lat in out) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole)]
    return out


@cache
def iso3_by_numeric() -> dict[str, str]:
    """ISO 3166 numeric -> alpha-3 (pycountry), as world-atlas ids are numeric."""
    import pycountry

    return {c.numeric: c.alpha_3 for c in pycountry.countries}


@cache
def shapes(resolution: str = "50m") -> tuple[Shape, ...]:
    """Every country geometry of world-atlas ``countries-<resolution>.json``, in file order."""
    topo = json.loads(atlas_path(resolution).read_text("utf-8"))
    arcs = _decode_arcs(topo)
    codes = iso3_by_numeric()
    out = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g.get("properties", {}).get("name", "")
        numeric = g.get("id")
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"] if g["type"] == "MultiPolygon" else []
        rings = tuple(tuple(_ring(r, arcs) for r in poly) for poly in polys)
        iso3 = codes.get(numeric) if numeric else UNNUMBERED.get(name)
        out.append(Shape(iso3=iso3, numeric=numeric, name=name, polygons=rings))
    return tuple(out)


# Equal Earth projection (Šavrič, Patterson & Jenny 2018).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
X_MAX = math.pi / (_M * _A1)  # x at the equator on the antimeridian
Y_MAX = 1.3173627591574  # y at the poles


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) in degrees -> unit Equal Earth (x, y), y up."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    l2 = theta * theta
    l6 = l2 * l2 * l2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * l2 + l6 * (7 * _A3 + 9 * _A4 * l2)))
    y = theta * (_A1 + _A2 * l2 + l6 * (_A3 + _A4 * l2))
    return x, y


def _ring_area(ring: Ring) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))


def _ring_centroid(ring: Ring) -> tuple[float, float]:
    a = _ring_area(ring)
    if abs(a) < 1e-12:
        xs, ys = zip(*ring)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))
    return cx / (6 * a), cy / (6 * a)


def shape_centroid(shape: Shape) -> tuple[float, float] | None:
    """(lon, lat) centroid of the shape's largest outer ring (so France sits in Europe, not the Atlantic)."""
    outers = [poly[0] for poly in shape.polygons if poly and len(poly[0]) >= 3]
    if not outers:
        return None
    lon, lat = _ring_centroid(max(outers, key=lambda r: abs(_ring_area(r))))
    lon = (lon + 180) % 360 - 180
    return round(lon, 4), round(lat, 4)


@cache
def centroids(resolution: str = "50m") -> dict[str, tuple[float, float]]:
    """ISO3 -> (lon, lat) of the country's largest piece, from the world-atlas shapes."""
    out: dict[str, tuple[float, float]] = {}
    best: dict[str, float] = {}
    for s in shapes(resolution):
        c = shape_centroid(s)
        if s.iso3 and c:
            area = max(abs(_ring_area(p[0])) for p in s.polygons if p and len(p[0]) >= 3)
            if area > best.get(s.iso3, -1.0):
                out[s.iso3], best[s.iso3] = c, area
    return out
