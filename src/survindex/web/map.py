"""The world map: the report's server-side SVG when available, else a plain grid of country tiles."""

from __future__ import annotations

from markupsafe import Markup, escape

from survindex.web.names import country_name


def world_map(values: dict[str, int], title: str = "Countries with accepted claims") -> Markup:
    """SVG markup with one ``[data-iso3]`` shape per country; a click opens ``/country/<ISO3>``."""
    try:
        from survindex.report.map import world_svg
    except ImportError:
        return _tiles(values, title)
    svg = world_svg(values, href=lambda iso3: f"/country/{iso3}",
                    title=lambda iso3: f"{country_name(iso3)}: {values.get(iso3, 0)}",
                    resolution="110m", legend="accepted deployment claims")
    return Markup(svg)  # noqa: S704 - the report's SVG escapes its text


def _tiles(values: dict[str, int], title: str) -> Markup:
    cols, w, h = 12, 80, 36
    items = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    top = max(values.values(), default=1) or 1
    parts = [f'<svg class="worldmap" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'viewBox="0 0 {cols * w} {max(1, -(-len(items) // cols)) * h}"><title>{escape(title)}</title>']
    for i, (iso3, n) in enumerate(items):
        x, y = (i % cols) * w, (i // cols) * h
        shade = 0.25 + 0.75 * n / top
        code = escape(iso3)
        parts.append(f'<a href="/country/{code}"><g><path data-iso3="{code}" d="M{x + 2},{y + 2}h{w - 4}v{h - 4}'
                     f'h-{w - 4}z" fill-opacity="{shade:.2f}"><title>{escape(country_name(iso3))}: {n}</title>'
                     f'</path><text x="{x + w // 2}" y="{y + h // 2 + 5}">{code}</text></g></a>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - built from escaped parts
