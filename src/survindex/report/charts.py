"""SVG charts rendered server-side: horizontal bars, adoption by year, shares by regime type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

BAR = "#c8513d"
SERIES = ("#c8513d", "#f2855d", "#4e79a7", "#76b7b2")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(label)}" {FONT}><title>{escape(label)}</title>{"".join(body)}</svg>')


def hbars(items: Sequence[tuple[str, float, str | None]], label: str, *, width: int = 640,
          fmt: str = "{:g}") -> str:
    """Horizontal bars: (label, value, link or None), in the order given."""
    if not items:
        return ""
    top = max(v for _, v, _ in items) or 1
    row, left = 22, 190
    body = []
    for i, (name, value, href) in enumerate(items):
        y = 8 + i * row
        w = max(1.0, (width - left - 60) * value / top)
        short = name if len(name) <= 26 else name[:25] + "…"
        text = f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{escape(short)}</text>'
        if href:
            text = f'<a href="{escape(href)}">{text}</a>'
        body.append(f'{text}<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="15" fill="{BAR}" '
                    f'data-label="{escape(name)}" data-value="{value:g}"><title>{escape(name)}: '
                    f'{escape(fmt.format(value))}</title></rect>'
                    f'<text x="{left + w + 6:.1f}" y="{y + 14}">{escape(fmt.format(value))}</text>')
    return _svg(width, 16 + len(items) * row, label, body)


def _ticks(top: int) -> list[int]:
    step = max(1, -(-top // 5))
    return list(range(0, top + step, step))


def by_year(series: Mapping[str, Mapping[str, int]], label: str, *, width: int = 640, height: int = 260) -> str:
    """Bars of countries first documented each year and a line of the cumulative count."""
    if not series:
        return ""
    years = sorted(series, key=int)
    top = max(series[y]["countries_cumulative"] for y in years) or 1
    left, bottom, right = 40, height - 28, width - 10
    step = (right - left) / len(years)

    def y_of(v: float) -> float:
        return bottom - (bottom - 14) * v / top
    body = [f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>']
    for t in _ticks(top):
        body.append(f'<text x="{left - 6}" y="{y_of(t) + 4:.1f}" text-anchor="end" fill="#666">{t}</text>'
                    f'<line x1="{left}" x2="{right}" y1="{y_of(t):.1f}" y2="{y_of(t):.1f}" stroke="#eee"/>')
    points = []
    for i, y in enumerate(years):
        x, s = left + i * step, series[y]
        h = bottom - y_of(s["new_countries"])
        body.append(f'<rect x="{x + step * 0.15:.1f}" y="{bottom - h:.1f}" width="{step * 0.7:.1f}" '
                    f'height="{h:.1f}" fill="{SERIES[1]}" data-year="{y}" data-value="{s["new_countries"]}">'
                    f'<title>{y}: {s["new_countries"]} new, {s["countries_cumulative"]} in all</title></rect>')
        points.append(f'{x + step / 2:.1f},{y_of(s["countries_cumulative"]):.1f}')
        if len(years) <= 16 or i % max(1, len(years) // 12) == 0:
            body.append(f'<text x="{x + step / 2:.1f}" y="{bottom + 16}" text-anchor="middle">{y}</text>')
    body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{SERIES[0]}" stroke-width="2"/>')
    body.append(f'<text x="{left + 6}" y="14" fill="{SERIES[0]}">— countries documented (cumulative)</text>'
                f'<text x="{left + 6}" y="30" fill="{SERIES[1]}">■ first documented that year</text>')
    return _svg(width, height, label, body)


def regime_shares(shares: Mapping[str, Mapping[str, float]], counts: Mapping[str, int],
                  regime_labels: Mapping[str, str], category_labels: Mapping[str, str], label: str,
                  *, width: int = 640) -> str:
    """Grouped bars: per regime type, the share of its countries having each AIGS category."""
    if not shares:
        return ""
    cats = list(category_labels)
    left, bar, group = 190, 13, 13 * len(cats) + 16
    body = []
    for i, (regime, per_cat) in enumerate(shares.items()):
        y0 = 8 + i * group
        body.append(f'<text x="{left - 8}" y="{y0 + group / 2:.0f}" text-anchor="end">'
                    f'{escape(regime_labels.get(regime, regime))} ({counts.get(regime, 0)})</text>')
        for j, cat in enumerate(cats):
            share = per_cat.get(cat, 0.0)
            w = max(0.5, (width - left - 60) * share)
            y = y0 + j * bar
            body.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 2}" fill="{SERIES[j % 4]}" '
                        f'data-regime="{regime}" data-category="{cat}" data-value="{share}"><title>'
                        f'{escape(category_labels[cat])}: {share:.0%}</title></rect>'
                        f'<text x="{left + w + 4:.1f}" y="{y + 10}" font-size="10">{share:.0%}</text>')
    legend_y = 8 + len(shares) * group + 6
    for j, cat in enumerate(cats):
        x = 10 + j * (width // len(cats))
        body.append(f'<rect x="{x}" y="{legend_y}" width="10" height="10" fill="{SERIES[j % 4]}"/>'
                    f'<text x="{x + 14}" y="{legend_y + 9}" font-size="10">{escape(category_labels[cat])}</text>')
    return _svg(width, legend_y + 20, label, body)
