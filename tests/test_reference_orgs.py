"""Companies and financiers: aliases (legal, native-script, former names, misspellings) resolve; generic words do not."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survindex.reference import (
    Company,
    companies,
    company,
    country,
    financier,
    financiers,
    resolve_company,
    resolve_financier,
)

COMPANY_FORMS = {
    "Huawei": "Huawei", "Huawei Technologies Co., Ltd.": "Huawei", "华为": "Huawei", "Huwaei": "Huawei",
    "Huawie": "Huawei", "ZTE Corporation": "ZTE", "中兴通讯": "ZTE",
    "Hikvision": "Hikvision", "海康威视": "Hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.": "Hikvision",
    "Hikvison": "Hikvision", "Hikvsion": "Hikvision", "HIKVISION": "Hikvision",
    "Dahua": "Dahua Technology", "Zhejiang Dahua Technology Co., Ltd": "Dahua Technology", "大华": "Dahua Technology",
    "Face++": "Face++", "Megvii (Face++)": "Megvii", "旷视科技": "Megvii", "Sensetime": "SenseTime",
    "商汤科技": "SenseTime", "CloudWalk Technology Co., Ltd.": "CloudWalk Technology", "科大讯飞": "iFlytek",
    "CETC": "China Electronics Technology Group", "China National Electronics Import & Export Corporation": "CEIEC",
    "TASER International": "TASER International", "Axon": "Axon Enterprise", "ShotSpotter": "ShotSpotter",
    "Shotspotter": "ShotSpotter", "SoundThinking": "SoundThinking", "PredPol": "PredPol",
    "Harris Corporation": "Harris Corporation", "L3Harris": "L3Harris Technologies",
    "Harris Corp.": "Harris Corporation", "Palantir Technologies Inc.": "Palantir Technologies",
    "Cisco Systems, Inc.": "Cisco", "Motorola Solutions, Inc.": "Motorola Solutions", "Amazon Rekognition": "Amazon",
    "Elbit Systems of America": "Elbit Systems of America", "Elbit Systems Ltd.": "Elbit Systems",
    "AnyVision": "Oosto", "Memento Labs": "Hacking Team", "Gamma International GmbH": "FinFisher",
    "Amesys": "Nexa Technologies", "Samsung Techwin": "Hanwha Vision", "Hanwha Techwin": "Hanwha Vision",
    "NtechLab": "NtechLab", "FindFace": "FindFace", "Bi2 Techonologies": "BI2 Technologies", "Anduril ": "Anduril Industries",
    "Vigilant Solutions": "Vigilant Solutions", "DJI": "DJI", "大疆": "DJI", "NEC Corporation": "NEC", "OT-Morpho": "Idemia",
    "Q Cyber Technologies": "NSO Group", "Cellebrite": "Cellebrite", "Giesecke+Devrient": "Giesecke+Devrient",
}
GENERIC = ["Systems", "Camera", "Cameras", "CCTV", "Security Systems", "Technology Co., Ltd.", "Video Surveillance",
           "Smart City", "Inc.", "Group", "AI", "Digital", "Solutions", "Unknown", "N/A", "", "   ", "Company",
           "Police", "Government", "China", "Chinese company", "Telecom", "Drones", "Data"]
FINANCIER_FORMS = {
    "China Eximbank": "Export-Import Bank of China", "China Exim Bank": "Export-Import Bank of China",
    "CHEXIM": "Export-Import Bank of China", "Exim Bank of China": "Export-Import Bank of China",
    "Export Import Bank of China": "Export-Import Bank of China", "中国进出口银行": "Export-Import Bank of China",
    "CDB": "China Development Bank", "BOC": "Bank of China", "Bank of China Ltd": "Bank of China",
    "ICBC": "Industrial and Commercial Bank of China", "Chinese Government": "Government of China",
    "PRC Government": "Government of China", "MOFCOM": "Government of China",
    "Ministry of Commerce of China": "Government of China", "Chinese Embassy": "Government of China",
    "China's Ministry of Public Security": "Government of China",
    "Government of the People's Republic of China": "Government of China", "CCB": "China Construction Bank",
    "Sinosure": "Sinosure", "Silk Road Fund": "Silk Road Fund", "US EXIM": "Export-Import Bank of the United States",
    "JBIC": "Japan Bank for International Cooperation", "JICA": "Japan International Cooperation Agency",
    "KEXIM": "Export-Import Bank of Korea", "Korea Eximbank": "Export-Import Bank of Korea",
    "EDCF": "Economic Development Cooperation Fund", "UK Export Finance": "UK Export Finance",
    "Euler Hermes": "Euler Hermes", "Bpifrance": "Bpifrance", "SACE": "SACE", "Israeli government": "Government of Israel",
    "World Bank": "World Bank", "AIIB": "Asian Infrastructure Investment Bank", "Export-Import Bank of Chna": "Export-Import Bank of China",
}


@pytest.mark.parametrize("text,canonical", sorted(COMPANY_FORMS.items()))
def test_company_forms_resolve(text: str, canonical: str) -> None:
    found = resolve_company(text)
    assert found is not None and found.canonical == canonical, text


@pytest.mark.parametrize("text", GENERIC)
def test_generic_words_resolve_to_nothing(text: str) -> None:
    assert resolve_company(text) is None
    assert resolve_financier(text) is None


@pytest.mark.parametrize("text", ["Bank", "Development Bank", "Export-Import Bank", "Ministry", "Embassy", "Fund"])
def test_generic_finance_words_resolve_to_nothing(text: str) -> None:
    assert resolve_financier(text) is None


@pytest.mark.parametrize("text,canonical", sorted(FINANCIER_FORMS.items()))
def test_financier_forms_resolve(text: str, canonical: str) -> None:
    found = resolve_financier(text)
    assert found is not None and found.canonical == canonical, text


def test_company_table_is_complete_and_consistent() -> None:
    table = companies()
    names = {c.canonical for c in table}
    assert len(table) >= 100 and len(names) == len(table)
    hq = {c.hq_country for c in table}
    assert {"CHN", "USA", "JPN", "ISR", "RUS", "KOR", "DEU", "FRA", "GBR", "CAN", "SWE"} <= hq
    for c in table:
        assert country(c.hq_country).iso3 == c.hq_country
        assert c.parent is None or c.parent in names, (c.canonical, c.parent)
        assert c.qid is None or (c.qid.startswith("Q") and c.qid[1:].isdigit())
        assert c.kind and c.description.endswith("."), c.canonical
        for alias in (c.canonical, *c.aliases):
            assert resolve_company(alias) == c, (c.canonical, alias)
    assert company("Hikvision").parent == "China Electronics Technology Group"
    with pytest.raises(KeyError, match="unknown company 'Nope'"):
        company("Nope")


def test_financier_table_is_complete_and_consistent() -> None:
    table = financiers()
    assert len(table) >= 40 and len({f.canonical for f in table}) == len(table)
    for f in table:
        assert country(f.country).iso3 == f.country and f.type
        for alias in (f.canonical, *f.aliases):
            assert resolve_financier(alias) == f, (f.canonical, alias)
    assert financier("Government of China").type == "government"
    assert financier("Export-Import Bank of China").type == "policy bank"
    with pytest.raises(KeyError):
        financier("Bank of Atlantis")


def test_atlas_vendor_names_resolve(shared: Path) -> None:
    """The named vendors of EFF's Atlas (border communities) that this registry lists resolve."""
    with (shared / "data/eff-aos-border-campus/aos-bordercounties_-_01.10.2020.csv").open(encoding="utf-8") as fh:
        vendors = {r["Vendor"] for r in csv.DictReader(fh) if r["Vendor"].strip()}
    expected = {"Axon": "Axon Enterprise", "DJI": "DJI", "Elbit Systems of America": "Elbit Systems of America",
                "Ring": "Ring", "Bi2 Techonologies": "BI2 Technologies", "Vigilant Solutions": "Vigilant Solutions",
                "Anduril ": "Anduril Industries", "WatchGuard": "WatchGuard Video", "Palantir Technologies": "Palantir Technologies",
                "Harris Corporation": "Harris Corporation", "Harris Corp.": "Harris Corporation",
                "ShotSpotter": "ShotSpotter", "Shotspotter": "ShotSpotter", "Genetec": "Genetec", "Coban": "Coban Technologies",
                "Digital Ally": "Digital Ally", "Panasonic": "Panasonic", "Vievu": "Vievu", "Yuneec": "Yuneec"}
    assert set(expected) <= vendors
    assert {v: getattr(resolve_company(v), "canonical", None) for v in expected} == expected
    assert resolve_company("Wireless CCTV").canonical == "Wireless CCTV"  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_resolvers_never_crash(text: str) -> None:
    found = resolve_company(text)
    assert found is None or isinstance(found, Company)
    if found is not None:
        assert resolve_company(found.canonical) == found
    resolve_financier(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(GENERIC)), st.sampled_from(["", " Inc.", " Co., Ltd.", " Corporation", " (Group)", " Technologies"]))
def test_generic_words_with_legal_suffixes_stay_unresolved(word: str, suffix: str) -> None:
    assert resolve_company(word + suffix) is None


_ALIASES = sorted({(a, c.canonical) for c in companies() for a in (c.canonical, *c.aliases)})


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_ALIASES), st.sampled_from(["", " ", "\u00a0", "  "]),
       st.sampled_from([str, str.upper, str.lower]), st.sampled_from(["", " Inc.", ", Ltd.", " Co., Ltd.", " Corporation"]))
def test_alias_variants_resolve_to_the_same_company(pair: tuple[str, str], pad: str, case: object, suffix: str) -> None:
    alias, canonical = pair
    variant = pad + case(alias) + suffix + pad  # type: ignore[operator]
    found = resolve_company(variant)
    assert found is not None and found.canonical == canonical, variant
