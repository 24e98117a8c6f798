"""The world map with several layers in one SVG (mass AI surveillance, targeted surveillance, both): every country
shape carries each layer's fill as ``data-fill-<layer>``; ``site.js`` switches layers offline (no request, no
inline script). Without JavaScript the first layer shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from survindex.report.map import HEIGHT, NO_DATA, _circle, _frame, _open, colour, projected, sphere_d

TARGETED_PALETTE = ("#dbe6f4", "#bcd0ea", "#9cb9df", "#7ea2d3", "#5f8bc7", "#4572b3", "#345a92", "#244270")
BOTH_COLOURS = {1: ("#f59e72", "mass AI surveillance only"), 2: ("#7ea2d3", "targeted surveillance only"),
                3: ("#6b3a8c", "both")}


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    values: Mapping[str, int]
    kind: str = "sequential"  # sequential (mass palette), targeted (blue palette) or categories (BOTH_COLOURS)


def _fill(layer: Layer, value: int, top: int) -> str:
    if value <= 0:
        return NO_DATA
    if layer.kind == "categories":
        return BOTH_COLOURS.get(value, (NO_DATA, ""))[0]
    if layer.kind == "targeted":
        steps = len(TARGETED_PALETTE)
        return TARGETED_PALETTE[min(steps - 1, max(0, -(-value * steps // max(top, 1)) - 1))]
    return colour(value, top)


def _legend(layer: Layer, top: int, shown: bool) -> str:
    y = HEIGHT - 22
    items = [f'<text x="12" y="{y - 8:g}" class="legend-title">{escape(layer.label)}</text>']
    if layer.kind == "categories":
        entries = [(v, fill, text) for v, (fill, text) in BOTH_COLOURS.items()]
        for i, (_, fill, text) in enumerate(entries):
            x = 12 + i * 200
            items.append(f'<rect x="{x}" y="{y:g}" width="30" height="10" fill="{fill}"/>'
                         f'<text x="{x + 34}" y="{y + 9:g}">{escape(text)}</text>')
    elif top > 0:
        values = sorted({1, top, *range(1, top + 1, max(1, top // 6))})
        for i, v in enumerate(values):
            x = 12 + i * 34
            items.append(f'<rect x="{x}" y="{y:g}" width="30" height="10" fill="{_fill(layer, v, top)}"/>'
                         f'<text x="{x + 15}" y="{y + 21:g}" text-anchor="middle">{v}</text>')
    display = "inline" if shown else "none"
    return (f'<g class="legend" data-layer="{escape(layer.key)}" display="{display}" font-size="10">'
            f'{"".join(items)}</g>')


def layered_svg(layers: list[Layer], href: Callable[[str], str] | None = None,
                title: Callable[[str], str] | None = None, *, resolution: str = "50m",
                element_id: str = "layered-map") -> str:
    """One ``<path data-iso3 data-fill-<layer>…>`` per country shape, filled for the first layer."""
    tops = {layer.key: max(layer.values.values(), default=0) for layer in layers}
    parts = [_open("world-map layered-map", "World map: " + ", ".join(layer.label for layer in layers))
             .replace("<svg ", f'<svg id="{escape(element_id)}" data-layer="{escape(layers[0].key)}" ', 1),
             f'<path class="ocean" d="{sphere_d()}" fill="#f4f8fb"/>']
    for p in projected(resolution):
        iso = p.iso3 or ""
        values = {layer.key: int(layer.values.get(iso, 0)) if iso else 0 for layer in layers}
        fills = {layer.key: _fill(layer, values[layer.key], tops[layer.key]) for layer in layers}
        attrs = "".join(f' data-fill-{k}="{v}" data-value-{k}="{values[k]}"' for k, v in fills.items())
        marked = any(values.values())
        d = p.d + (_circle(*p.centre, 2.5) if p.tiny and marked else "")
        tip = title(iso) if (title and iso and marked) else p.name
        path = (f'<path d="{d}" data-iso3="{escape(iso)}"{attrs} fill="{fills[layers[0].key]}" stroke="#ffffff" '
                f'stroke-width="0.4"><title>{escape(tip)}</title></path>')
        parts.append(f'<a href="{escape(href(iso))}">{path}</a>' if href and iso and marked else path)
    parts.append(_frame())
    parts += [_legend(layer, tops[layer.key], i == 0) for i, layer in enumerate(layers)]
    parts.append("</svg>")
    return "".join(parts)


def joined_layers(countries: Mapping[str, Mapping[str, Any]]) -> list[Layer]:
    """The three layers of the joined view (``index["targeted"]["joined"]["countries"]``): mass technologies per
    country, targeted vendors per country, and mass / targeted / both."""
    mass = {iso: len(c["mass"]["technologies"]) or 1 for iso, c in countries.items() if c["mass"]}
    targeted = {iso: len(c["targeted"]["vendors"]) + int(c["targeted"]["unknown_vendor"])
                for iso, c in countries.items() if c["targeted"]}
    both = {iso: {"mass": 1, "targeted": 2, "both": 3}[c["layer"]] for iso, c in countries.items()}
    return [Layer("mass", "Mass AI surveillance: technologies per country", mass),
            Layer("targeted", "Targeted surveillance: vendors per country", targeted, kind="targeted"),
            Layer("both", "Mass, targeted or both", both, kind="categories")]


def toggle(layers: list[Layer], target: str = "layered-map") -> str:
    """Radio buttons for the layers (hidden until ``site.js`` runs, since they need it)."""
    radios = "".join(
        f'<label><input type="radio" name="{escape(target)}-layer" value="{escape(layer.key)}"'
        f'{" checked" if i == 0 else ""}> {escape(layer.label)}</label> ' for i, layer in enumerate(layers))
    return (f'<fieldset class="layer-toggle" data-target="{escape(target)}" hidden><legend>Map layer</legend>'
            f'{radios}</fieldset>')
