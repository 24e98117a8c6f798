"""Done-means: Carnegie's AIGS table imported through the CLI gives 97 countries and 64/78/69/38 by category."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from survindex.cli import cli

COLUMNS = ["--column", "safeCity=safe_city", "--column", "facialRec=facial_recognition",
           "--column", "smartPoli=smart_policing", "--column", "smSurv=social_media_monitoring"]


def test_aigs_stats(shared: Path, db_path: str) -> None:
    runner = CliRunner()
    src = shared / "data" / "aigs-p5js" / "cleaned-global2.csv"
    r = runner.invoke(cli, ["import", "table", str(src), "--db", db_path, "--country-column", "Country", *COLUMNS])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["stats", "--db", db_path, "--json"])
    assert r.exit_code == 0, r.output
    stats = json.loads(r.output)
    assert stats["countries"] == 97
    cats = stats["by_aigs_category"]
    assert (cats["safe_city"], cats["facial_recognition"], cats["smart_policing"],
            cats["social_media_surveillance"]) == (64, 78, 69, 38)
    assert "countries_detail" not in stats
    detail = json.loads(runner.invoke(cli, ["stats", "--db", db_path, "--json", "--detail"]).output)
    assert len(detail["countries_detail"]) == 97
    assert len(detail["evidence"]["by_aigs_category"]["safe_city"]) == 64
    table = runner.invoke(cli, ["stats", "--db", db_path])
    assert table.exit_code == 0 and "97 countries" in table.output


def test_stats_bad_as_of_is_a_clear_error(db_path: str) -> None:
    import gc

    r = CliRunner().invoke(cli, ["stats", "--db", db_path, "--as-of", "last year"])
    assert r.exit_code == 1
    assert "Error: --as-of: 'last year' is not a date" in r.output
    assert gc.isenabled()  # stats computes without the collector, and gives it back however it ends


def test_stats_as_of_month(db_path: str) -> None:
    r = CliRunner().invoke(cli, ["stats", "--db", db_path, "--json", "--as-of", "2019-12"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["as_of"] == "2019-12-31"


def test_stats_on_sqlite_and_postgresql(any_db: str) -> None:
    from survindex.store import open_store
    from tests import test_report_fixtures as report_fixtures

    store = open_store(any_db)
    report_fixtures.fill(store)
    store.close()
    runner = CliRunner()
    accepted = json.loads(runner.invoke(cli, ["stats", "--db", any_db, "--json"]).output)
    assert accepted["countries"] == 5 and accepted["by_supplier"]["Huawei"] == 2
    assert accepted["by_supplier_country"] == {"CHN": 2, "JPN": 1}
    assert accepted["financing"]["Export-Import Bank of China"]["amount_usd"] == 240e6
    every = json.loads(runner.invoke(cli, ["stats", "--db", any_db, "--json", "--status", "all"]).output)
    assert every["countries"] == 6  # + the unreviewed German claim; the rejected French one never
    high = json.loads(runner.invoke(cli, ["stats", "--db", any_db, "--json", "--status", "all",
                                          "--min-confidence", "0.9"]).output)
    assert high["countries"] == 5
