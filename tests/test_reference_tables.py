"""BRI membership and regime tables: importers on the publishers' real files, as-of semantics, overrides, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from survindex.reference import (
    ReferenceImportError,
    bri_members,
    is_bri_member,
    parse_as_of,
    refresh_bri,
    refresh_regimes,
    regime,
    regime_years,
    sources,
)
from survindex.reference._data import package_dir

GFDC = "data/bri-countries-gfdc/gfdc-bri-countries-2025-05.csv"
OWID = "data/owid-political-regime-row/political-regime.csv"
OWID_REGIMES = {"0": "closed_autocracy", "1": "electoral_autocracy", "2": "electoral_democracy", "3": "liberal_democracy"}


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SURVINDEX_REFERENCE_DIR", raising=False)


def test_bri_as_of() -> None:
    assert is_bri_member("ITA", "2020-01-01") and not is_bri_member("ITA", "2024-01-01")
    assert is_bri_member("ITA", "2023-12-05") and not is_bri_member("ITA", "2023-12-06")
    assert is_bri_member("PAN", dt.date(2025, 2, 3)) and not is_bri_member("PAN", "2025-02-04")
    assert is_bri_member("CHN") and is_bri_member("chn", "2014")
    assert not is_bri_member("USA") and not is_bri_member("ITA", "2018")  # Italy signed 2019-03-23
    assert is_bri_member("RUS", "2010")  # participant with unknown date: counts at every date
    members = bri_members("2025-05-31")
    assert len(members) == 150 and members["RUS"] is None and members["CHN"] == dt.date(2013, 12, 1)
    assert bri_members("2019") == bri_members(dt.date(2019, 12, 31)) == bri_members(dt.datetime(2019, 12, 31, 8))
    assert set(bri_members("2016")) < set(bri_members("2020"))


def test_parse_as_of() -> None:
    assert parse_as_of("2020") == dt.date(2020, 12, 31)
    assert parse_as_of("2024-02") == dt.date(2024, 2, 29)
    assert parse_as_of(None) == dt.date.today()
    with pytest.raises(ValueError, match="invalid date 'soon'"):
        parse_as_of("soon")


def test_regime_lookup_rules() -> None:
    assert regime_years() == (1990, 2022)
    assert regime("CHN") == "closed_autocracy" and regime("chn", 2000) == "closed_autocracy"
    assert regime("USA", 1980) is None  # before the first year kept
    assert regime("USA", 2050) == regime("USA") == regime("USA", 2022)
    assert regime("XKX") is not None  # OWID_KOS mapped to Kosovo's code
    assert regime("ZZZ") is None


def test_regimes_match_the_owid_file(shared: Path) -> None:
    checked = 0
    with (shared / OWID).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = {"OWID_KOS": "XKX"}.get(row["Code"], row["Code"])
            if int(row["Year"]) >= 1990 and len(code) == 3:
                assert regime(code, int(row["Year"])) == OWID_REGIMES[row["Political regime"]], row
                checked += 1
    assert checked > 5000
    # SOURCE.md: 2022 has 178 entities (CA 30, EA 58, ED 58, LD 32); 3 of them have no ISO code (Palestine/Gaza,
    # Somaliland, Zanzibar), so 175 countries (Kosovo included) carry a 2022 regime here.
    with (shared / OWID).open(encoding="utf-8") as fh:
        owid_2022 = [r for r in csv.DictReader(fh) if r["Year"] == "2022"]
    assert len(owid_2022) == 178
    isos = {c for c in (({"OWID_KOS": "XKX"}.get(r["Code"], r["Code"])) for r in owid_2022) if len(c) == 3}
    counts: dict[str, int] = {}
    for iso3 in isos:
        value = regime(iso3, 2022)
        assert value is not None
        counts[value] = counts.get(value, 0) + 1
    assert len(isos) == 175 and counts["liberal_democracy"] == 32 and sum(counts.values()) == 175
    assert counts["closed_autocracy"] == 29 and counts["electoral_autocracy"] == 56  # minus Gaza (CA), Somaliland+Zanzibar (EA)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_refresh_reproduces_packaged_tables(shared: Path, tmp_path: Path) -> None:
    bri = refresh_bri(shared / GFDC, tmp_path)
    assert (bri["rows_read"], bri["rows_written"], bri["rejected"]) == (152, 152, [])
    assert bri["columns_never_read"] == ["region", "income"]
    assert (tmp_path / "bri.csv").read_bytes() == (package_dir() / "bri.csv").read_bytes()
    reg = refresh_regimes(shared / OWID, tmp_path)
    assert (tmp_path / "regimes.csv").read_bytes() == (package_dir() / "regimes.csv").read_bytes()
    assert reg["rows_read"] == 30766 and reg["rows_written"] + reg["skipped_before_since"] + len(reg["rejected"]) == 30766
    assert all("OWID_" in r or "''" in r for r in reg["rejected"])  # only historical/uncoded entities are left out
    assert (tmp_path / "bri.csv").read_bytes() != (shared / GFDC).read_bytes()  # a derived table, not a copy


def test_override_dir_is_read_and_written(shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SURVINDEX_REFERENCE_DIR", str(tmp_path))
    refresh_bri(shared / GFDC)  # out_dir None -> the override dir
    assert (tmp_path / "bri.csv").is_file()
    rows = _read(tmp_path / "bri.csv")
    for r in rows:
        if r["iso3"] == "ITA":
            r["exit"] = ""
    with (tmp_path / "bri.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["iso3", "name", "mou", "exit"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert is_bri_member("ITA", "2024-06-01")  # the edited override wins
    monkeypatch.delenv("SURVINDEX_REFERENCE_DIR")
    assert not is_bri_member("ITA", "2024-06-01")  # packaged copy again


def test_refresh_rejects_wrong_structure_and_bad_rows(shared: Path, tmp_path: Path) -> None:
    with pytest.raises(ReferenceImportError, match="expected columns iso3, name, region, income, mou, exit"):
        refresh_bri(shared / OWID, tmp_path)
    with pytest.raises(ReferenceImportError, match="expected columns Entity, Code, Year, Political regime"):
        refresh_regimes(shared / GFDC, tmp_path)
    text = (shared / GFDC).read_text("utf-8").replace("AFG,Afghanistan,South Asia,Low income,2023-05-01",
                                                      "AFG,Afghanistan,South Asia,Low income,May 2023")
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("\nALB,", "\nQQQ,"), "utf-8")
    report = refresh_bri(bad, tmp_path / "out")
    assert report["rows_written"] == 150 and len(report["rejected"]) == 2
    assert "row 2" in report["rejected"][0] and "'May 2023' is not an ISO date" in report["rejected"][0]
    assert "unknown ISO 3166-1 alpha-3 code 'QQQ'" in report["rejected"][1]
    short = tmp_path / "short.csv"
    short.write_text("\n".join(text.splitlines()[:20]) + "\n", "utf-8")
    with pytest.raises(ReferenceImportError, match="expected at least 100"):
        refresh_bri(short, tmp_path / "out2")
    assert not (tmp_path / "out2" / "bri.csv").exists()


def test_sources_cover_every_table() -> None:
    table = sources()
    assert {"countries", "demonyms", "places", "companies", "financiers", "bri", "regimes"} <= set(table)
    for name, src in table.items():
        assert {"title", "publisher", "url", "licence", "retrieved", "notes"} <= set(src), name
        assert str(src["url"]).startswith("https://")


# ------------------------------------------------------------------------------------------------ CLI
def _run(*args: str) -> tuple[int, str]:
    from survindex.cli import cli

    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_cli_lookup_and_list() -> None:
    code, out = _run("reference", "lookup", "country", "Burma/Myanmar")
    data = json.loads(out)
    assert code == 0 and data["iso3"] == "MMR" and data["bri_member"] is True and data["regime"] == "closed_autocracy"
    code, out = _run("reference", "lookup", "company", "海康威视")
    assert code == 0 and json.loads(out)["canonical"] == "Hikvision"
    code, out = _run("reference", "lookup", "financier", "China Eximbank")
    assert code == 0 and json.loads(out) == {"canonical": "Export-Import Bank of China", "aliases": json.loads(out)["aliases"],
                                             "country": "CHN", "type": "policy bank"}
    code, out = _run("reference", "lookup", "company", "Systems")
    assert code == 1 and "no company matches 'Systems'" in out and "survindex reference list companies" in out
    code, out = _run("reference", "list", "companies", "--json")
    assert code == 0 and len(json.loads(out)) >= 100
    code, out = _run("reference", "list", "countries")
    assert code == 0 and "KEN\tKE\tKenya" in out.splitlines()
    code, out = _run("reference", "sources")
    assert code == 0 and "bri" in json.loads(out)


def test_cli_refresh(shared: Path, tmp_path: Path) -> None:
    code, out = _run("reference", "refresh", "bri", str(shared / GFDC), "--out", str(tmp_path))
    assert code == 0 and json.loads(out)["rows_written"] == 152
    assert (tmp_path / "bri.csv").read_bytes() == (package_dir() / "bri.csv").read_bytes()
    code, out = _run("reference", "refresh", "regimes", str(shared / OWID), "--out", str(tmp_path))
    assert code == 0 and (tmp_path / "regimes.csv").read_bytes() == (package_dir() / "regimes.csv").read_bytes()
    code, out = _run("reference", "refresh", "regimes", str(shared / GFDC), "--out", str(tmp_path / "x"))
    assert code == 1 and "cannot refresh regimes from" in out and "expected columns Entity, Code, Year" in out
