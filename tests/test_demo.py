"""The embedded example evidence set: exact quote spans, sources, coverage, registry consistency, idempotent load."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survindex import demo, reference
from survindex.demo import DemoDataError, build_cases, example_claims, example_documents, load_examples, raw_data
from survindex.model import Claim
from survindex.model.records import document_id
from survindex.store import ClaimFilter, open_store


def _docs() -> dict[str, Any]:
    return {d.id: d for d in example_documents()}


def test_every_quote_is_an_exact_span_of_its_document() -> None:
    docs = _docs()
    claims = example_claims()
    assert claims
    for c in claims:
        text = docs[c.doc_id].text
        assert c.start is not None and c.end is not None
        assert text[c.start:c.end] == c.quote, c


def test_every_case_is_labelled_as_an_example_and_cites_a_source() -> None:
    for d in example_documents():
        assert d.text.startswith(demo.LABEL)
        assert d.meta["example"] is True
        assert d.meta["sources"], d.title
        for s in d.meta["sources"]:
            assert s["publisher"].strip() and s["title"].strip()
            if "url" in s:
                assert s["url"].startswith(("https://", "http://")), s
        assert d.publisher and d.title and d.url
        assert d.id == document_id(d.text)


def test_coverage_of_the_example_set() -> None:
    claims = example_claims()
    countries = {c.country for c in claims if c.kind == "deployment" and c.country}
    assert len(countries) >= 50, sorted(countries)
    assert len(claims) >= 120
    assert len(example_documents()) >= 80
    kinds = {c.kind for c in claims}
    assert {"deployment", "financing", "supplier_reach"} <= kinds
    assert len({c.id for c in claims}) == len(claims), "claim ids must be unique"


def test_claims_are_accepted_and_stamped_by_the_demo() -> None:
    for c in example_claims():
        assert c.status == "accepted"
        assert c.extractor == demo.EXTRACTOR and c.extractor_version == demo.EXTRACTOR_VERSION
        assert c.confidence == 1.0


def test_every_name_resolves_through_the_registry() -> None:
    for c in example_claims():
        if c.country is not None:
            assert reference.country(c.country).iso3 == c.country
        if c.supplier is not None:
            company = reference.resolve_company(c.supplier)
            assert company is not None and company.canonical == c.supplier
            assert c.supplier_country == company.hq_country
        if c.financier is not None:
            f = reference.resolve_financier(c.financier)
            assert f is not None and f.canonical == c.financier
        if c.kind == "deployment":
            assert c.country and c.technology
        if c.kind == "financing":
            assert c.country and c.financier


def test_original_names_are_kept_when_the_registry_renamed_them() -> None:
    renamed = [c for c in example_claims() if "supplier" in c.original]
    assert renamed, "some suppliers are written with an alias (e.g. AnyVision -> Oosto)"
    for c in renamed:
        company = reference.resolve_company(c.original["supplier"])
        assert company is not None and company.canonical == c.supplier


def _reach(subject: str, **kw: Any) -> Claim:
    found = [c for c in example_claims() if c.kind == "supplier_reach" and c.subject == subject
             and all(getattr(c, k) == v for k, v in kw.items())]
    assert len(found) == 1, (subject, kw, found)
    return found[0]


def test_carnegie_2019_published_figures() -> None:
    huawei = _reach("supplier", supplier="Huawei")
    assert (huawei.count, huawei.qualifier, huawei.supplier_country) == (50, "at least", "CHN")
    assert _reach("supplier_country", supplier_country="CHN").count == 63
    bri = _reach("bri")
    assert (bri.count, bri.total) == (36, 86)
    everyone = _reach("all")
    assert (everyone.count, everyone.total) == (75, 176)
    assert _reach("supplier", supplier="NEC").count == 14


def test_financing_amounts_are_consistent() -> None:
    loans = [c for c in example_claims() if c.kind == "financing" and c.amount is not None]
    assert loans
    for c in loans:
        assert c.currency in {"USD", "CNY", "EUR"}
        if c.currency == "USD":
            assert c.amount_usd == c.amount
    islamabad = [c for c in loans if c.country == "PAK"]
    assert [(c.financier, c.amount, c.currency, c.year) for c in islamabad] == [
        ("Export-Import Bank of China", 850_000_000, "CNY", 2010)]


def test_load_is_idempotent_and_round_trips(any_db: str) -> None:
    store = open_store(any_db)
    first = load_examples(store)
    counts = store.table_counts()
    second = load_examples(store)
    assert first["documents_new"] == first["documents"] == len(example_documents())
    assert first["claims_new"] == first["claims"] == len(example_claims())
    assert first["countries"] >= 50
    assert second["documents_new"] == 0 and second["claims_new"] == 0
    assert store.table_counts() == counts
    stored = {c.id: c for c in store.claims(ClaimFilter(status="accepted", include_negated=True))}
    assert stored == {c.id: c for c in example_claims()}
    doc = example_documents()[0]
    assert store.get_document(doc.id).text == doc.text
    assert store.get_document(doc.id).meta["example"] is True


def _one_case_data(**changes: Any) -> dict[str, Any]:
    data = raw_data()
    case = copy.deepcopy(next(c for c in data["cases"] if c["key"] == "pak-islamabad-safe-city"))
    claim = case["claims"][1]
    claim.update(changes.pop("claim", {}))
    case.update(changes)
    return {"sources": data["sources"], "cases": [case]}


def test_unresolvable_supplier_fails_loudly_naming_the_case() -> None:
    with pytest.raises(DemoDataError, match=r"pak-islamabad-safe-city claim 2: supplier 'No Such Vendor Ltd'"):
        build_cases(_one_case_data(claim={"supplier": "No Such Vendor Ltd"}))


def test_quote_missing_from_text_fails_loudly() -> None:
    with pytest.raises(DemoDataError, match=r"pak-islamabad-safe-city claim 2: quote found 0 times"):
        build_cases(_one_case_data(claim={"quote": "a sentence the text does not contain"}))


def test_unknown_fields_and_missing_sources_fail_loudly() -> None:
    with pytest.raises(DemoDataError, match=r"unknown claim fields \['vendor'\]"):
        build_cases(_one_case_data(claim={"vendor": "Huawei"}))
    with pytest.raises(DemoDataError, match="needs at least one source"):
        build_cases(_one_case_data(sources=[]))
    with pytest.raises(DemoDataError, match="country 'Atlantis' does not resolve"):
        build_cases(_one_case_data(country="Atlantis"))


def test_the_shipped_data_builds_without_problems() -> None:
    cases = build_cases(raw_data())
    assert [c.key for c in cases] == [c["key"] for c in raw_data()["cases"]]


@given(prefix=st.text(max_size=40), quote=st.text(min_size=1, max_size=20), suffix=st.text(max_size=40))
def test_span_is_exact_or_rejected(prefix: str, quote: str, suffix: str) -> None:
    text = prefix + quote + suffix
    problems: list[str] = []
    span = demo._span("case x", text, quote, problems)
    if text.count(quote) == 1:
        assert span is not None and text[span[0]:span[1]] == quote and not problems
    else:
        assert span is None and problems


def test_module_entry_point_loads_into_a_real_file(tmp_path: Any) -> None:
    db = str(tmp_path / "demo.db")
    run = [sys.executable, "-m", "survindex.demo", "--db", db]
    first = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    counts = json.loads(first.stdout)
    assert counts["claims_new"] == counts["claims"] >= 120
    again = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert json.loads(again.stdout)["claims_new"] == 0
    bad = subprocess.run([sys.executable, "-m", "survindex.demo", "--db", str(tmp_path / "no" / "dir" / "x.db")],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and bad.stderr.startswith("Error: database ")
