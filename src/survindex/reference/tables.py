"""Belt and Road membership and regime type by year: derived CSV tables, their importers, and their sources.

``bri.csv`` and ``regimes.csv`` are written by ``refresh_bri``/``refresh_regimes`` from the publishers' own files.
Reads prefer ``$SURVINDEX_REFERENCE_DIR/<table>.csv`` when it exists, else the packaged copy.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from survindex.reference._data import ENV_DIR, default_out_dir, load_yaml, package_dir

BRI_FILE = "bri.csv"
REGIMES_FILE = "regimes.csv"
BRI_COLUMNS = ("iso3", "name", "region", "income", "mou", "exit")
OWID_COLUMNS = ("Entity", "Code", "Year", "Political regime")
REGIME_CODES = {"0": "closed_autocracy", "1": "electoral_autocracy", "2": "electoral_democracy",
                "3": "liberal_democracy"}
OWID_CODES = {"OWID_KOS": "XKX"}  # OWID's own codes that have an ISO-style equivalent; other OWID_* are historical


class ReferenceImportError(ValueError):
    """A publisher file whose structure is not the one the importer knows."""


def parse_as_of(as_of: dt.date | str | None) -> dt.date:
    """A date from a date, ``YYYY-MM-DD``, ``YYYY-MM`` (last day), ``YYYY`` (31 Dec) or None (today)."""
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    text = str(as_of).strip()
    try:
        if len(text) == 4:
            return dt.date(int(text), 12, 31)
        if len(text) == 7:
            first = dt.date.fromisoformat(text + "-01")
            return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"invalid date {as_of!r}: use YYYY-MM-DD, YYYY-MM or YYYY") from None


def _optional_date(text: str, where: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReferenceImportError(f"{where}: {text!r} is not an ISO date (YYYY-MM-DD)") from None


_PACKAGE_DIR = str(package_dir())


def _stamp(filename: str) -> tuple[str, int]:
    """(path, mtime) of the table to read: the override dir's copy if present, else the packaged one. Cheap enough
    to call per lookup, so a refreshed or edited table is picked up without restarting."""
    override = os.environ.get(ENV_DIR, "").strip()
    if override:
        try:
            path = os.path.join(override, filename)
            return path, os.stat(path).st_mtime_ns
        except OSError:
            pass
    path = os.path.join(_PACKAGE_DIR, filename)
    return path, os.stat(path).st_mtime_ns


# ------------------------------------------------------------------------------------------------ BRI
@lru_cache(maxsize=8)
def _bri_rows(path: str, _mtime: int) -> tuple[tuple[str, dt.date | None, dt.date | None], ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return tuple((r["iso3"], _optional_date(r["mou"], f"{path} {r['iso3']} mou"),
                  _optional_date(r["exit"], f"{path} {r['iso3']} exit")) for r in rows)


def bri_members(as_of: dt.date | str | None = None) -> dict[str, dt.date | None]:
    """ISO3 -> MoU date (None = participant with unknown date) for members as of a date (default today):
    signed on or before ``as_of`` and not exited on or before it. Unknown-date participants count at every date."""
    return dict(_bri_as_of(*_stamp(BRI_FILE), parse_as_of(as_of)))


@lru_cache(maxsize=256)
def _bri_as_of(path: str, mtime: int, day: dt.date) -> tuple[tuple[str, dt.date | None], ...]:
    return tuple((iso3, mou) for iso3, mou, exit_ in _bri_rows(path, mtime)
                 if (mou is None or mou <= day) and (exit_ is None or exit_ > day))


def is_bri_member(iso3: str, as_of: dt.date | str | None = None) -> bool:
    code = iso3.strip().upper()
    return any(member == code for member, _ in _bri_as_of(*_stamp(BRI_FILE), parse_as_of(as_of)))


def refresh_bri(gfdc_csv: Path, out_dir: Path | None = None) -> dict[str, Any]:
    """Write ``bri.csv`` (iso3, name, mou, exit) from GFDC's list; returns a report."""
    from survindex.reference.countries import country

    text, reader = _read_csv(gfdc_csv, BRI_COLUMNS)
    out: list[dict[str, str]] = []
    rejected: list[str] = []
    for n, row in enumerate(reader, start=2):
        iso3 = (row["iso3"] or "").strip().upper()
        try:
            country(iso3)
            mou, exit_ = _optional_date(row["mou"], f"row {n} mou"), _optional_date(row["exit"], f"row {n} exit")
        except (KeyError, ReferenceImportError) as exc:
            rejected.append(f"row {n}: {exc}")
            continue
        out.append({"iso3": iso3, "name": row["name"].strip(), "mou": mou.isoformat() if mou else "",
                    "exit": exit_.isoformat() if exit_ else ""})
    if len(out) < 100:
        raise ReferenceImportError(f"{gfdc_csv}: only {len(out)} valid countries; "
                                   "expected at least 100 (GFDC lists ~150)")
    path = _write_csv(out_dir, BRI_FILE, ("iso3", "name", "mou", "exit"), sorted(out, key=lambda r: r["iso3"]))
    return _report(gfdc_csv, text, path, len(out) + len(rejected), len(out), rejected, ["region", "income"])


# ------------------------------------------------------------------------------------------------ regimes
@lru_cache(maxsize=8)
def _regime_rows(path: str, _mtime: int) -> dict[str, tuple[tuple[int, str], ...]]:
    by_iso3: dict[str, list[tuple[int, str]]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            by_iso3.setdefault(r["iso3"], []).append((int(r["year"]), r["regime"]))
    return {k: tuple(sorted(v)) for k, v in by_iso3.items()}


def regime(iso3: str, year: int | None = None) -> str | None:
    """The Regimes-of-the-World type (vocabulary ``regime_types`` key) in the latest year <= ``year`` with data;
    None year = the latest available; None when the country has no data up to that year."""
    series = _regime_rows(*_stamp(REGIMES_FILE)).get(iso3.strip().upper(), ())
    if not series:
        return None
    if year is None:
        return series[-1][1]
    i = bisect.bisect_right(series, (year, "\uffff"))
    return series[i - 1][1] if i else None


def regime_years() -> tuple[int, int]:
    """The first and last year in the regime table."""
    years = [y for s in _regime_rows(*_stamp(REGIMES_FILE)).values() for y, _ in s]
    return min(years), max(years)


def refresh_regimes(owid_csv: Path, out_dir: Path | None = None, since: int = 1990) -> dict[str, Any]:
    """Write ``regimes.csv`` (iso3, year, regime) from OWID's "political-regime" chart data, years >= since."""
    text, reader = _read_csv(owid_csv, OWID_COLUMNS)
    out: list[dict[str, str]] = []
    rejected: list[str] = []
    read = skipped = 0
    for n, row in enumerate(reader, start=2):
        read += 1
        why = _regime_row(row, since, out)
        if why == "":
            skipped += 1
        elif why:
            rejected.append(f"row {n} ({row['Entity']} {row['Year']}): {why}")
    if len({r["iso3"] for r in out}) < 100:
        raise ReferenceImportError(f"{owid_csv}: fewer than 100 countries with regime data since {since}")
    out.sort(key=lambda r: (r["iso3"], int(r["year"])))
    path = _write_csv(out_dir, REGIMES_FILE, ("iso3", "year", "regime"), out)
    report = _report(owid_csv, text, path, read, len(out), rejected, ["Entity"])
    report["skipped_before_since"] = skipped
    return report


def _regime_row(row: dict[str, str], since: int, out: list[dict[str, str]]) -> str | None:
    """Append the cleaned row to ``out`` and return None; or return why it was left out ("" = before ``since``)."""
    from survindex.reference.countries import country

    try:
        year = int(row["Year"])
    except ValueError:
        return f"year {row['Year']!r} is not an integer"
    if year < since:
        return ""
    code = OWID_CODES.get(row["Code"].strip(), row["Code"].strip())
    value = REGIME_CODES.get(row["Political regime"].strip())
    if value is None:
        return f"regime code {row['Political regime']!r} is not 0-3"
    try:
        iso3 = country(code).iso3
    except KeyError:
        return f"code {row['Code']!r} is not a current ISO 3166 country"
    out.append({"iso3": iso3, "year": str(year), "regime": value})
    return None


# ------------------------------------------------------------------------------------------------ shared
def _read_csv(path: Path, expected: tuple[str, ...]) -> tuple[str, csv.DictReader[str]]:
    """A publisher's CSV (BOM tolerated): its text and a reader, once its header has the expected columns."""
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    _check_columns(reader.fieldnames, expected, path)
    return text, reader


def _check_columns(found: Any, expected: tuple[str, ...], path: Path) -> None:
    columns = [c for c in (found or []) if c is not None]
    missing = [c for c in expected if c not in columns]
    unknown = [c for c in columns if c not in expected]
    if missing or unknown:
        raise ReferenceImportError(f"{path}: expected columns {', '.join(expected)}; "
                                   f"missing {missing or 'none'}, unknown {unknown or 'none'}")


def _write_csv(out_dir: Path | None, filename: str, columns: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    target = Path(out_dir) if out_dir is not None else default_out_dir()
    target.mkdir(parents=True, exist_ok=True)
    path = target / filename
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)  # readers never see a half-written table
    return path


def _report(src: Path, text: str, path: Path, read: int, written: int, rejected: list[str],
            unread: list[str]) -> dict[str, Any]:
    return {"source": str(src), "source_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "output": str(path), "rows_read": read, "rows_written": written, "rejected": rejected,
            "columns_never_read": unread}


def sources() -> dict[str, dict[str, Any]]:
    """Per table: title, publisher, url, licence, retrieved, notes."""
    data: dict[str, dict[str, Any]] = load_yaml("sources.yaml")
    return data
