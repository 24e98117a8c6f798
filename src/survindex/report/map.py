"""The world map as server-side SVG: one ``<path data-iso3=… data-value=…>`` per world-atlas country shape."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape

from survindex.report.atlas import X_MAX, Y_MAX, Ring, equal_earth, shape_centroid, shapes

WIDTH = 960.0
HEIGHT = round(WIDTH * Y_MAX / X_MAX, 1)
NO_DATA = "#e4e4e0"
# Sequential palette (light -> dark), one step per class of the value.
PALETTE = ("#fde0c5", "#facba6", "#f8b58b", "#f59e72", "#f2855d", "#ef6a4c", "#c8513d", "#9e3a2f")
TOLERANCE = 0.8  # px: consecutive points closer than this are dropped


@dataclass(frozen=True)
class Projected:
    iso3: str | None
    name: str
    d: str  # SVG path data
    centre: tuple[float, float]
    tiny: bool  # smaller than a few pixels: drawn with a marker when it has a value
    focus: tuple[float, float, float, float]  # x0, y0, x1, y1 of the largest piece


def _px(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    return round((x / X_MAX + 1) * WIDTH / 2, 1), round((1 - y / Y_MAX) * HEIGHT / 2, 1)


def _ring_d(ring: Ring) -> tuple[str, list[tuple[float, float]]]:
    pts: list[tuple[float, float]] = []
    for lon, lat in ring:
        p = _px(lon, lat)
        if not pts or abs(p[0] - pts[-1][0]) + abs(p[1] - pts[-1][1]) >= TOLERANCE:
            pts.append(p)
    if len(pts) < 3:
        return "", pts
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z", pts


def _copies(ring: Ring) -> list[Ring]:
    """A ring reaching past the antimeridian is drawn twice, once shifted by 360°; the frame hides the rest."""
    out = [ring]
    if max(lon for lon, _ in ring) > 180:
        out.append([(lon - 360, lat) for lon, lat in ring])
    if min(lon for lon, _ in ring) < -180:
        out.append([(lon + 360, lat) for lon, lat in ring])
    return out


@cache
def sphere_d() -> str:
    """The outline of the globe in Equal Earth."""
    side = [(-180.0, lat / 2) for lat in range(-180, 181)] + [(180.0, lat / 2) for lat in range(180, -181, -1)]
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in (_px(lon, lat) for lon, lat in side)) + "Z"


def _bbox(pts: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _extent(pts: list[tuple[float, float]]) -> float:
    x0, y0, x1, y1 = _bbox(pts)
    return (x1 - x0) * (y1 - y0)


def _circle(cx: float, cy: float, r: float) -> str:
    return f"M{cx - r:g},{cy:g}a{r:g},{r:g} 0 1,0 {2 * r:g},0a{r:g},{r:g} 0 1,0 {-2 * r:g},0Z"


@cache
def projected(resolution: str = "50m") -> tuple[Projected, ...]:
    """Every world-atlas shape projected (Equal Earth) to a WIDTH-wide SVG path; cached per process."""
    out = []
    for s in shapes(resolution):
        parts: list[str] = []
        all_pts: list[tuple[float, float]] = []
        pieces: list[list[tuple[float, float]]] = []
        for poly in s.polygons:
            for i, ring in enumerate(poly):
                for copy in _copies(ring):
                    d, pts = _ring_d(copy)
                    parts.append(d)
                    inside = [p for p in pts if 0 <= p[0] <= WIDTH]
                    all_pts.extend(inside)
                    if i == 0 and inside:
                        pieces.append(inside)
        lonlat = shape_centroid(s)
        centre = _px(*lonlat) if lonlat else (all_pts[0] if all_pts else (0.0, 0.0))
        xs, ys = [p[0] for p in all_pts] or [0.0], [p[1] for p in all_pts] or [0.0]
        tiny = max(xs) - min(xs) < 4 and max(ys) - min(ys) < 4
        d = "".join(parts) or _circle(centre[0], centre[1], 1.0)
        out.append(Projected(iso3=s.iso3, name=s.name, d=d, centre=centre, tiny=tiny,
                             focus=_bbox(max(pieces, key=_extent) if pieces else [centre])))
    return tuple(out)


def colour(value: int, top: int) -> str:
    """Fill for a value on a scale whose largest value is ``top`` (0 -> the no-data grey)."""
    if value <= 0 or top <= 0:
        return NO_DATA
    steps = len(PALETTE)
    return PALETTE[min(steps - 1, max(0, math.ceil(value * steps / top) - 1))]


def _legend(top: int, label: str) -> str:
    if top <= 0:
        return ""
    values = sorted({1, top, *range(1, top + 1, max(1, top // 6))})
    y = HEIGHT - 22
    items = [f'<text x="12" y="{y - 8:g}" class="legend-title">{escape(label)}</text>']
    for i, v in enumerate(values):
        x = 12 + i * 34
        items.append(f'<rect x="{x}" y="{y:g}" width="30" height="10" fill="{colour(v, top)}"/>'
                     f'<text x="{x + 15}" y="{y + 21:g}" text-anchor="middle">{v}</text>')
    return f'<g class="legend" font-size="10">{"".join(items)}</g>'


def _markers(values: Mapping[str, int], resolution: str, href: Callable[[str], str] | None,
             title: Callable[[str], str] | None) -> list[str]:
    """Circles for countries with a value but no shape at this resolution (small islands and states)."""
    from survindex.report.atlas import centroids

    drawn = {p.iso3 for p in projected(resolution)}
    top = max(values.values(), default=0)
    out = []
    for iso, value in sorted(values.items()):
        point = centroids().get(iso)
        if value <= 0 or iso in drawn or point is None:
            continue
        x, y = _px(*point)
        tip = title(iso) if title else f"{iso}: {value}"
        mark = (f'<circle class="marker" cx="{x:g}" cy="{y:g}" r="3" data-marker="{escape(iso)}" '
                f'data-value="{value}" fill="{colour(value, top)}" stroke="#333" stroke-width="0.5">'
                f'<title>{escape(tip)}</title></circle>')
        out.append(f'<a href="{escape(href(iso))}">{mark}</a>' if href else mark)
    return out


def _frame() -> str:
    return (f'<path class="frame" fill="#ffffff" fill-rule="evenodd" pointer-events="none" '
            f'd="M-10,-10H{WIDTH + 10:g}V{HEIGHT + 10:g}H-10Z{sphere_d()}"/>')


def _open(css_class: str, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" viewBox="0 0 {WIDTH:g} '
            f'{HEIGHT:g}" role="img" aria-label="{escape(label)}">')


def base_svg(resolution: str = "50m") -> str:
    """The world in grey (a standalone file that pages layer ``overlay_svg`` on)."""
    paths = "".join(f'<path d="{p.d}" fill="{NO_DATA}" stroke="#ffffff" stroke-width="0.4"/>'
                    for p in projected(resolution))
    return (_open("world-base", "World map") + f'<path class="ocean" d="{sphere_d()}" fill="#f4f8fb"/>'
            + paths + _frame() + "</svg>")


def overlay_svg(values: Mapping[str, int], href: Callable[[str], str] | None = None,
                title: Callable[[str], str] | None = None, *, resolution: str = "50m",
                label: str = "countries") -> str:
    """Only the shapes with a value (same viewBox as ``base_svg``), to lay over the base map."""
    top = max(values.values(), default=0)
    parts = [_open("world-overlay", f"World map: {label}")]
    for p in projected(resolution):
        value = int(values.get(p.iso3 or "", 0))
        if not p.iso3 or value <= 0:
            continue
        d = p.d + (_circle(*p.centre, 2.5) if p.tiny else "")
        tip = title(p.iso3) if title else p.name
        path = (f'<path d="{d}" data-iso3="{p.iso3}" data-value="{value}" fill="{colour(value, top)}" '
                f'stroke="#ffffff" stroke-width="0.4"><title>{escape(tip)}</title></path>')
        parts.append(f'<a href="{escape(href(p.iso3))}">{path}</a>' if href else path)
    parts.extend(_markers(values, resolution, href, title))
    return "".join(parts) + _frame() + "</svg>"


def world_svg(values: Mapping[str, int], href: Callable[[str], str] | None = None,
              title: Callable[[str], str] | None = None, *, resolution: str = "50m",
              legend: str = "number of technologies", css_class: str = "world-map") -> str:
    """An SVG world map: each world-atlas country shape a ``<path data-iso3 data-value>`` filled by its value
    (0 or absent: grey); ``href(iso3)`` links shapes with a value; ``title(iso3)`` gives their tooltip."""
    top = max(values.values(), default=0)
    parts = [_open(css_class, f"World map: {legend} by country"), f'<path class="ocean" d="{sphere_d()}" fill="#f4f8fb"/>']
    for p in projected(resolution):
        iso = p.iso3 or ""
        value = int(values.get(iso, 0)) if iso else 0
        d = p.d + (_circle(*p.centre, 2.5) if p.tiny and value > 0 else "")
        tip = title(iso) if (title and iso) else (p.name if not iso else f"{p.name}: {value}")
        path = (f'<path d="{d}" data-iso3="{escape(iso)}" data-value="{value}" fill="{colour(value, top)}" '
                f'stroke="#ffffff" stroke-width="0.4"><title>{escape(tip)}</title></path>')
        if href and iso and value > 0:
            path = f'<a href="{escape(href(iso))}">{path}</a>'
        parts.append(path)
    parts.extend(_markers(values, resolution, href, title))
    parts.append(_frame())
    parts.append(_legend(top, legend))
    parts.append("</svg>")
    return "".join(parts)


def _view(focus: tuple[float, float, float, float], min_w: float = 180.0) -> tuple[float, float, float, float]:
    """A 2:1 window around ``focus`` with margins, kept inside the map."""
    x0, y0, x1, y1 = focus
    w = min(WIDTH, max((x1 - x0) * 2.4, min_w, (y1 - y0) * 2.4 * 2))
    h = w / 2
    x = min(max(0.0, (x0 + x1 - w) / 2), WIDTH - w)
    y = min(max(0.0, (y0 + y1 - h) / 2), HEIGHT - h)
    return round(x, 1), round(y, 1), round(w, 1), round(h, 1)


def locator_svg(iso3: str, base_href: str, *, resolution: str = "50m", label: str | None = None) -> str:
    """A zoomed map of one country over the grey world (``base_href``: the file ``base_svg`` was written to)."""
    mine = [p for p in projected(resolution) if p.iso3 == iso3]
    if not mine:
        return ""
    main = max(mine, key=lambda p: (p.focus[2] - p.focus[0]) * (p.focus[3] - p.focus[1]))
    x, y, w, h = _view(main.focus)
    stroke = round(0.6 * w / WIDTH, 3)
    paths = "".join(f'<path d="{p.d}" data-iso3="{iso3}" data-value="1" fill="{PALETTE[-1]}" stroke="#ffffff" '
                    f'stroke-width="{stroke}"><title>{escape(label or p.name)}</title></path>' for p in mine)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="locator" viewBox="{x:g} {y:g} {w:g} {h:g}" role="img" '
            f'aria-label="Map: {escape(label or main.name)}"><image href="{escape(base_href)}" x="0" y="0" '
            f'width="{WIDTH:g}" height="{HEIGHT:g}"/>{paths}</svg>')
