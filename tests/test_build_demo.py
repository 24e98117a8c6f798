"""``survindex demo``: the bundled example evidence set loaded into a real SQLite file, then the report."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from survindex.cli import cli


def test_demo_builds_a_report_with_real_content(tmp_path: Path) -> None:
    db, out = str(tmp_path / "demo.db"), tmp_path / "site"
    runner = CliRunner()
    r = runner.invoke(cli, ["demo", "--db", db, "--out", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    assert f"Report written: {(out / 'index.html').resolve()}" in r.output
    index = json.loads((out / "data" / "index.json").read_text())
    assert index["countries"] >= 30 and index["by_supplier"] and index["financing"] and index["published_figures"]
    home = (out / "index.html").read_text()
    coloured = set(re.findall(r'data-iso3="([A-Z]{3})" data-value="[1-9]\d*"', home))
    assert coloured and coloured <= set(index["countries_detail"])
    iso = sorted(index["countries_detail"])[0]
    assert "badge example" in (out / "countries" / f"{iso}.html").read_text()
    # running it again changes nothing: the same claims and the same index
    r = runner.invoke(cli, ["demo", "--db", db, "--out", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    again = json.loads((out / "data" / "index.json").read_text())
    assert {k: v for k, v in again.items() if k != "as_of"} == {k: v for k, v in index.items() if k != "as_of"}
    stats = json.loads(runner.invoke(cli, ["stats", "--db", db, "--json"]).output)
    assert stats["countries"] == index["countries"]
