"""``survindex build`` (the static report) and ``survindex demo`` (the example evidence set, then the report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from survindex.cli.common import db_option, fail, opened_store
from survindex.cli.index import index_options, parse_as_of


def _err(msg: str) -> None:
    click.echo(msg, err=True)


def run_build(store: Any, out: Path, status: str, min_confidence: float | None, as_of: str | None,
              progress: bool = True) -> Path:
    from survindex.report.atlas import AtlasMissing
    from survindex.report.site import build_site

    try:
        return build_site(store, out, status=status, min_confidence=min_confidence, as_of=parse_as_of(as_of),
                          progress=progress, log=_err)
    except AtlasMissing as exc:
        raise fail("map data", str(exc), "Run `make assets` (needs npm), then build again") from exc


def _out_option(f: Any) -> Any:
    return click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("build/site"),
                        show_default=True, help="Folder to write the site into.")(f)


@click.command("build")
@index_options
@_out_option
@click.option("--quiet", is_flag=True, help="No progress bars.")
def build(db: str, status: str, min_confidence: float | None, as_of: str | None, out: Path, quiet: bool) -> None:
    """Write the static report (map, charts, country/supplier/technology pages, downloads) to --out.
    The site is public: SURVINDEX_PUBLIC=reviewed (the default) allows only accepted claims (--status accepted)."""
    from survindex import policy

    if status != "accepted" and policy.public().statuses is not None:
        raise fail("build --status all", "the public policy (SURVINDEX_PUBLIC=reviewed) publishes accepted claims "
                   "only", "Build with --status accepted, or set SURVINDEX_PUBLIC=open to publish every claim")
    with opened_store(db, read_only=True) as store:
        index_html = run_build(store, out, status, min_confidence, as_of, progress=not quiet)
    click.echo(f"Report written: {index_html.resolve()}")


@click.command("demo")
@db_option
@_out_option
@click.option("--quiet", is_flag=True, help="No progress bars.")
def demo(db: str, out: Path, quiet: bool) -> None:
    """Load the bundled example evidence set (well-documented public cases, labelled as examples) into --db
    and build the report from it."""
    try:
        from survindex.demo import load_examples
    except ImportError as exc:
        raise fail("demo", f"the example evidence set is not installed ({exc})", "Reinstall survindex") from exc
    Path(db).parent.mkdir(parents=True, exist_ok=True) if "://" not in db else None
    with opened_store(db) as store:
        stats = load_examples(store)
        _err("examples loaded: " + ", ".join(f"{k}: {v}" for k, v in stats.items()))
        index_html = run_build(store, out, "accepted", None, None, progress=not quiet)
    click.echo(f"Report written: {index_html.resolve()}")


def register(group: click.Group) -> None:
    group.add_command(build)
    group.add_command(demo)
