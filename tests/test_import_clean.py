"""Value cleaners: examples from the real files, and hypothesis properties (never crash, idempotent, total)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survindex.ingest.datasets.clean import (
    FlagError,
    Money,
    clean_date,
    clean_flag,
    clean_money,
    clean_suppliers,
    clean_text,
    clean_year,
)

cells = st.one_of(st.none(), st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.dates())


@pytest.mark.parametrize("value, expected", [
    ("x", True), ("X", True), ("✔", True), ("✓", True), ("1", True), (1, True), (1.0, True), ("yes", True),
    ("Y", True), ("TRUE", True), (True, True), (" x\u00a0", True),
    ("N", False), ("n", False), ("0", False), (0, False), ("no", False), ("false", False), (False, False),
    ("", None), (None, None), ("  ", None), ("n/a", None),
])
def test_flag_examples(value: object, expected: bool | None) -> None:
    assert clean_flag(value) is expected


@pytest.mark.parametrize("value", ["maybe", "xx", "2", "partly", "✗✗"])
def test_flag_unknown_is_a_named_error(value: str) -> None:
    with pytest.raises(FlagError) as exc:
        clean_flag(value)
    assert value in str(exc.value)


@given(cells)
def test_flag_parser_is_total(value: object) -> None:
    """Every cell gives True, False, None or a FlagError: never another exception."""
    try:
        result = clean_flag(value)
    except FlagError:
        return
    assert result in (True, False, None)
    assert clean_flag(str(result) if result is not None else "") is result  # idempotent on its own output


@pytest.mark.parametrize("value, year, date", [
    ("2004.0", 2004, "2004"), ("2004", 2004, "2004"), (2004.0, 2004, "2004"), (2019, 2019, "2019"),
    ("2001-05-23", 2001, "2001-05-23"), ("3/26/2019", 2019, "2019-03-26"), ("2018-06", 2018, "2018-06"),
    (dt.date(2022, 9, 1), 2022, "2022-09-01"), (dt.datetime(2022, 9, 1, 12), 2022, "2022-09-01"),
    ("17-Nov", None, None), ("", None, None), (None, None, None), ("13/45/2019", 2019, None),
    ("in 2017 the city", 2017, None), ("1850", None, None),
])
def test_year_and_date_examples(value: object, year: int | None, date: str | None) -> None:
    assert clean_year(value) == year
    assert clean_date(value) == date


@given(cells)
def test_year_and_date_never_crash_and_are_idempotent(value: object) -> None:
    year = clean_year(value)
    assert year is None or 1900 <= year <= 2100
    assert clean_year(year) == year if year is not None else True
    date = clean_date(value)
    if date is not None:
        assert clean_date(date) == date
        assert clean_year(date) == int(date[:4])


@pytest.mark.parametrize("value, expected", [
    ("$1.2 million", Money(1_200_000, "USD")), ("RMB 850 million", Money(850_000_000, "CNY")),
    ("1,234.5", Money(1234.5, None)), ("US$ 399.5", Money(399.5, "USD")), ("€2bn", Money(2e9, "EUR")),
    ("15087226.6044798", Money(15087226.6044798, None)), (100309208.68509, Money(100309208.68509, None)),
    ("", None), ("unknown", None), ("12 apples", None), (None, None),
])
def test_money_examples(value: object, expected: Money | None) -> None:
    assert clean_money(value) == expected


@given(cells)
def test_money_never_crashes_and_is_idempotent(value: object) -> None:
    money = clean_money(value)
    if money is not None:
        again = clean_money(str(money))
        assert again is not None and again.currency == money.currency
        assert again.amount == pytest.approx(money.amount, rel=1e-9)


@pytest.mark.parametrize("value, expected", [
    ("Huawei; Hikvision, NEC, Unknown Widgets Ltd", ["Huawei", "Hikvision", "NEC", "Unknown Widgets Ltd"]),
    ("Hangzhou Hikvision Digital Technology Co., Ltd.", ["Hangzhou Hikvision Digital Technology Co., Ltd."]),
    ("ZTE Corporation, Huawei Technologies Co., Ltd", ["ZTE Corporation", "Huawei Technologies Co., Ltd"]),
    ("Siemens and anyCOMM", ["Siemens", "anyCOMM"]), ("Vigilant Solutions/3M", ["Vigilant Solutions", "3M"]),
    ("Huawei\nZTE\r\nHuawei", ["Huawei", "ZTE"]), ("Anduril ", ["Anduril"]), ("", []), (None, []),
    ("Idemia, S.A.", ["Idemia, S.A."]), ("NEC\u00a0Corporation", ["NEC Corporation"]),
    ("Huawei (Shenzhen, China); ZTE", ["Huawei (Shenzhen, China)", "ZTE"]),
])
def test_supplier_split_examples(value: str | None, expected: list[str]) -> None:
    assert clean_suppliers(value) == expected


@given(st.one_of(st.none(), st.text()))
def test_supplier_split_never_crashes_and_is_idempotent(value: str | None) -> None:
    names = clean_suppliers(value)
    assert all(n and n == n.strip() for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert clean_suppliers("; ".join(names)) == names


@given(cells)
def test_text_is_idempotent(value: object) -> None:
    text = clean_text(value)
    assert clean_text(text) == text
    assert "\u00a0" not in text
