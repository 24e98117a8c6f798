"""The static report: server-side SVG map and charts, pages per country/supplier/technology, downloads."""

from survindex.report.map import world_svg

__all__ = ["world_svg"]
