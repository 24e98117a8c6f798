"""The extractor: segmentation, matching, relation logic, cues, money, supplier reach, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.extract import EXTRACTOR, EXTRACTOR_VERSION, extract
from survindex.extract.cues import flow_type_of, stage_of
from survindex.extract.gazetteer import gazetteer
from survindex.extract.money import find_money, find_year
from survindex.extract.text import fold_char, normalise, sentences


def _claims(text: str, kind: str | None = None) -> list:
    return [c for c in extract("doc-test", text) if kind is None or c.kind == kind]


# -- text ----------------------------------------------------------------------------------------------------
def test_sentences_keep_abbreviations_and_split_bullets() -> None:
    text = ("U.S. Customs and Border Protection uses drones. Axon Inc. sells cameras.\n\n"
            "  • Huawei supplies 50 countries.\n  • Dr. Smith agreed.")
    got = [text[a:b] for a, b in sentences(text)]
    assert got == ["U.S. Customs and Border Protection uses drones.", "Axon Inc. sells cameras.",
                   "Huawei supplies 50 countries.", "Dr. Smith agreed."]


@given(st.text(max_size=300))
def test_normalised_offsets_point_back_into_the_original(text: str) -> None:
    n = normalise(text)
    for i in range(len(n.norm)):
        j = n.orig(i)
        assert 0 <= j < len(text)
        if n.norm[i] != " ":
            assert fold_char(text[j]) == n.norm[i]


def test_gazetteer_respects_word_boundaries_case_and_maps_offsets() -> None:
    text = "Let us see: the U.S. police in Kenya (Nairobi) bought CCTV; chinaware is not China."
    found = {(m.surface, e.kind, e.value) for m in gazetteer().find(text) for e in m.entries}
    assert ("Kenya", "country", "KEN") in found
    assert ("Nairobi", "country", "KEN") in found
    assert ("China", "country", "CHN") in found
    assert not any(s == "us" for s, _, _ in found)  # the pronoun is not the United States
    assert any(k == "tech" and v == "video_surveillance" for _, k, v in found)
    for m in gazetteer().find(text):
        assert text[m.start:m.end] == m.surface


# -- money, years, cues ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, amount, currency", [
    ("provides RMB 850 million government concessional loan", 850e6, "CNY"),
    ("provides $257.9 million preferential buyer's credit", 257.9e6, "USD"),
    ("grants 396,000 USD in equipment", 396000.0, "USD"),
    ("lab worth USD $147,574.37 to Fiji", 147574.37, "USD"),
    ("EUR 10 million grant", 10e6, "EUR"),
    ("€2.5 billion", 2.5e9, "EUR"),
])
def test_money(text: str, amount: float, currency: str) -> None:
    got = find_money(text)[0]
    assert got.amount == pytest.approx(amount) and got.currency == currency


def test_year_ignores_project_ids() -> None:
    assert find_year("Linked to Project ID#2014 and signed in 2016") == 2016


@pytest.mark.parametrize("text, flow", [
    ("China Eximbank provides RMB 850 million government concessional loan", "loan"),
    ("provides $257.9 million preferential buyer’s credit", "loan"),
    ("provides RMB 12.4 million interest-free loan", "loan"),
    ("Chinese Government provides RMB 20 million grant", "grant"),
    ("Chinese Government donates 570 video cameras", "grant"),
    ("a gift of cameras as aid", "grant"),
    ("provides funding for phase 1", None),
])
def test_flow_type(text: str, flow: str | None) -> None:
    assert flow_type_of(text) == flow


@pytest.mark.parametrize("text, stage", [
    ("The city plans to buy cameras.", "announced"),
    ("The council approved a contract for cameras.", "contracted"),
    ("Cameras were installed downtown.", "installed"),
    ("Police use the cameras daily.", "operational"),
    ("The program was suspended pending review.", "suspended"),
    ("The contract was cancelled last year.", "cancelled"),
    ("Cameras.", "unknown"),
])
def test_stage(text: str, stage: str) -> None:
    assert stage_of(text) == stage


# -- relation logic ---------------------------------------------------------------------------------------------
def test_a_chinese_companys_sale_to_kenya_is_a_kenyan_deployment() -> None:
    cs = _claims("Chinese company Huawei sold surveillance cameras to the Kenyan police in 2018.", "deployment")
    assert {(c.country, c.supplier, c.supplier_country, c.technology) for c in cs} == {
        ("KEN", "Huawei", "CHN", "video_surveillance")}
    assert cs[0].year == 2018


def test_use_around_china_is_a_chinese_deployment() -> None:
    cs = _claims("Megvii, whose facial recognition solutions are used by police around China, listed in Hong Kong.")
    assert {(c.country, c.supplier, c.technology) for c in cs} == {("CHN", "Megvii", "facial_recognition")}


def test_denial_is_not_claimed() -> None:
    # The scorer counts every deployment claim whatever ``negated`` says, and denials are not labelled.
    assert _claims("The Nairobi police denied that they use facial recognition cameras.", "deployment") == []
    plain = _claims("The Nairobi police use facial recognition cameras.", "deployment")
    assert plain and not plain[0].negated and plain[0].country == "KEN"


def test_plans_are_announced_and_hedged() -> None:
    cs = _claims("The Lagos state government plans to install CCTV cameras next year.", "deployment")
    assert cs and cs[0].stage == "announced" and cs[0].country == "NGA"
    sure = _claims("The Lagos state government installed CCTV cameras last year.", "deployment")
    assert sure[0].stage == "installed" and sure[0].confidence > cs[0].confidence


def test_us_agency_without_a_country_is_american() -> None:
    cs = _claims("The Tombstone Marshal's Office flies a drone for search and rescue.")
    assert {(c.country, c.technology) for c in cs} == {("USA", "drone")}


def test_border_compounds_are_not_deployment_countries() -> None:
    cs = _claims("Cochise County Sheriff's Office placed BuckEye cameras near the U.S.-Mexico border.")
    assert {c.country for c in cs} == {"USA"}


def test_unknown_supplier_is_kept_unresolved() -> None:
    cs = _claims("In 2013, the Dona Ana County Sheriff's Department purchased truck-mounted camera systems "
                 "from the Strongwatch Corporation.")
    sup = {(c.supplier, c.supplier_resolved, c.country) for c in cs if c.supplier}
    assert sup == {("Strongwatch Corporation", False, "USA")}
    known = _claims("The Yuma Police Department bought body-worn cameras manufactured by Visual Labs Inc. in 2017.")
    assert {(c.supplier, c.supplier_resolved) for c in known if c.supplier} == {("Visual Labs", True)}


def test_generic_cameras_need_a_security_setting() -> None:
    assert not _claims("Chinese Government donates laptops, printers and cameras to the Maldives Parliament.")
    cs = _claims("Chinese Government donates 570 video cameras to Bolivian Police Force.")
    fin = [c for c in cs if c.kind == "financing"]
    assert fin and fin[0].financier == "Government of China" and fin[0].flow_type == "grant"
    assert {c.country for c in cs} == {"BOL"}


def test_financing_title() -> None:
    cs = _claims("China Eximbank provides RMB 850 million government concessional loan for Safe City Islamabad Project")
    fin = [c for c in cs if c.kind == "financing"][0]
    assert (fin.financier, fin.flow_type, fin.amount, fin.currency, fin.country, fin.technology) == (
        "Export-Import Bank of China", "loan", 850e6, "CNY", "PAK", "safe_city")
    assert fin.original == {"amount": "RMB 850 million"}
    assert fin.amount_usd is None  # no exchange-rate table: a yuan amount is not converted
    assert any(c.kind == "deployment" and c.country == "PAK" for c in cs)


def test_financing_in_dollars_has_amount_usd() -> None:
    cs = _claims("China Eximbank provides $66.8 million buyer’s credit loan for Safe City Project in Ecuador")
    fin = [c for c in cs if c.kind == "financing"][0]
    assert (fin.amount, fin.currency, fin.amount_usd, fin.country) == (66.8e6, "USD", 66.8e6, "ECU")


@pytest.mark.parametrize("title", [
    "Chinese Government donates video conferencing equipment to Botswana's Ministry of Foreign Affairs",
    "Chinese government donates 400 police motorcycles to Cambodia",
    "China donates books and audio and video products to Brunei Chinese Middle School",
    "Chinese Government donates 20 computers and 12 printers for the Police Database Management System Project",
    "Chinese Embassy donates a drone to Seychelles Broadcasting Corporation",
])
def test_look_alikes_are_not_surveillance(title: str) -> None:
    assert not [c for c in _claims(title) if c.technology and c.technology != "other"]


# -- the seed article ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_claims(shared: Path) -> tuple[str, list]:
    text = next((shared / "seed").glob("*.txt")).read_text(encoding="utf-8")
    return text, extract("seed", text)


def test_seed_supplier_reach(seed_claims: tuple[str, list]) -> None:
    text, claims = seed_claims
    reach = {(c.subject, c.supplier, c.supplier_country, c.count, c.total, c.qualifier): c
             for c in claims if c.kind == "supplier_reach"}
    assert ("supplier", "Huawei", "CHN", 50, None, None) in reach
    assert ("supplier_country", None, "CHN", 63, None, "at least") in reach
    assert ("bri", None, None, 36, 86, None) in reach
    assert "50 countries" in reach[("supplier", "Huawei", "CHN", 50, None, None)].quote
    assert "at least 63 countries" in reach[("supplier_country", None, "CHN", 63, None, "at least")].quote
    assert "36 out of 86 BRI countries" in reach[("bri", None, None, 36, 86, None)].quote


def test_seed_deployments_in_china(seed_claims: tuple[str, list]) -> None:
    _, claims = seed_claims
    in_china = {c.supplier for c in claims if c.kind == "deployment" and c.country == "CHN" and c.supplier}
    assert {"Megvii", "SenseTime", "Alibaba Group", "Huawei"} <= in_china
    assert any(s.startswith("Yitu") for s in in_china)
    assert not any(c.kind == "deployment" and c.country in ("USA", "JPN", "HKG") for c in claims)


# -- provenance and robustness ------------------------------------------------------------------------------
def _check(doc_id: str, text: str) -> None:
    for c in extract(doc_id, text):
        assert text[c.start:c.end] == c.quote
        assert c.extractor == EXTRACTOR and c.extractor_version == EXTRACTOR_VERSION and c.doc_id == doc_id


def test_every_claim_quotes_its_span_on_the_seed(seed_claims: tuple[str, list]) -> None:
    text, claims = seed_claims
    assert claims
    for c in claims:
        assert text[c.start:c.end] == c.quote


_DOMAIN = st.sampled_from([
    "Huawei", "Chinese", "Kenya", "the U.S.", "CCTV", "facial recognition", "drones", "Safe City", "police",
    "sold", "to", "in", "China Eximbank", "loan", "RMB 20 million", "50 countries", "at least", ".", ",", "\n",
    "•", "Sheriff's Office", "does not own", "plans to", "Inc.", "ALPRs", "—", "’s", "São Paulo", "İstanbul",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_DOMAIN, st.text(max_size=12)), max_size=40).map(" ".join))
def test_fuzz_domain_soup_never_crashes_and_spans_hold(text: str) -> None:
    _check("fuzz", text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFFF), max_size=2000))
def test_fuzz_random_unicode_and_control_characters(text: str) -> None:
    _check("fuzz", text)


def test_huge_line_and_ten_megabyte_document() -> None:
    line = "Kenyan police use CCTV cameras supplied by Huawei " * 40
    _check("line", line)  # one 2,000-character "sentence" with no end
    filler = "The weather was mild and the market opened at nine. " * 99
    block = filler + "The Nairobi police installed 1,800 CCTV cameras from Huawei in 2018. "
    text = block * (10_000_000 // len(block))
    claims = extract("big", text)
    # One claim per fact per document (issue 8): every other sentence stating it is kept as evidence.
    assert len(claims) == 1 and len(claims[0].evidence) == text.count("Nairobi") - 1
    assert all(text[c.start:c.end] == c.quote and c.country == "KEN" for c in claims)
    assert all(text[e["start"]:e["end"]] == e["quote"] for e in claims[0].evidence)


def test_claim_dicts_equal_to_dict_and_stream(seed_claims: tuple[str, list]) -> None:
    import json

    from survindex.extract import extract_jsonl
    from survindex.extract.pipeline import claim_dict

    text, claims = seed_claims
    assert [claim_dict(c) for c in claims] == [c.to_dict() for c in claims]
    streamed = list(extract_jsonl([json.dumps({"id": "seed", "text": text}), "", "   "]))
    assert streamed == [c.to_dict() for c in claims]


@pytest.mark.parametrize("sentence, expected", [
    ("At least 75 out of 176 countries globally are actively using AI technologies for surveillance purposes.",
     ("all", None, None, 75, 176, "at least")),
    ("Japanese firm NEC supplies facial recognition technology to fourteen countries.",
     ("supplier", "NEC", "JPN", 14, None, None)),
    ("U.S. companies are also active, supplying AI surveillance technology to 32 countries.",
     ("supplier_country", None, "USA", 32, None, None)),
])
def test_published_figures(sentence: str, expected: tuple) -> None:
    got = [(c.subject, c.supplier, c.supplier_country, c.count, c.total, c.qualifier)
           for c in _claims(sentence, "supplier_reach")]
    assert got == [expected]


def test_a_buying_government_is_not_a_lender() -> None:
    cs = _claims("The Kenyan government signed a deal with Huawei in 2014 to install 1,800 CCTV cameras in Nairobi "
                 "under its Safe City project.")
    assert not [c for c in cs if c.kind == "financing"]
    assert {(c.country, c.supplier, c.technology, c.stage) for c in cs} == {
        ("KEN", "Huawei", "video_surveillance", "contracted"), ("KEN", "Huawei", "safe_city", "contracted")}
