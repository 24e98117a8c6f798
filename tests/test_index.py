"""The index: pure functions over claims (countries are distinct, adding evidence never removes a country)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from survindex.index.targeted import is_targeted
from survindex.index import compute, select, summary
from survindex.model import AIGS_CATEGORIES, TECHNOLOGY_KEYS, Claim


class TableRef:
    """A reference table given by the test (the index takes its reference as a parameter)."""

    hq = {"Huawei": "CHN", "Hikvision": "CHN", "NEC": "JPN", "IBM": "USA"}
    members = {"PAK": date(2015, 4, 20), "KEN": date(2018, 9, 1), "ECU": date(2018, 12, 1), "LAO": None}
    regimes = {"PAK": "electoral_autocracy", "KEN": "electoral_autocracy", "ECU": "electoral_democracy",
               "DEU": "liberal_democracy"}

    def hq_country(self, supplier: str) -> str | None:
        return self.hq.get(supplier)

    def bri_members(self, as_of: date) -> set[str]:
        return {iso for iso, d in self.members.items() if d is None or d <= as_of}

    def regime(self, iso3: str, year: int) -> str | None:
        return self.regimes.get(iso3)

    def name(self, iso3: str) -> str:
        return iso3

    def demonym(self, iso3: str) -> str | None:
        return {"CHN": "Chinese"}.get(iso3)


REF = TableRef()


def dep(country: str, tech: str | None = "safe_city", supplier: str | None = None, year: int | None = 2018,
        status: str = "accepted", **kw: object) -> Claim:
    return Claim(doc_id="doc-x", kind="deployment", quote=f"{country} {tech} {supplier}", extractor="test",
                 extractor_version="1", country=country, technology=tech, supplier=supplier, year=year,
                 status=status, **kw)  # type: ignore[arg-type]


def test_counts_are_distinct_countries_and_evidence_leads_to_claims() -> None:
    claims = [dep("PAK", "safe_city", "Huawei"), dep("PAK", "facial_recognition", "Huawei", 2019),
              dep("KEN", "safe_city", "Huawei", 2015), dep("ECU", "video_surveillance", "NEC", None),
              dep("DEU", "facial_recognition", "IBM", 2020)]
    idx = compute(claims, as_of=date(2024, 1, 1), ref=REF)
    assert idx["countries"] == 4
    assert idx["by_supplier"] == {"Huawei": 2, "IBM": 1, "NEC": 1}
    assert idx["by_supplier_country"] == {"CHN": 2, "JPN": 1, "USA": 1}
    assert idx["by_aigs_category"]["safe_city"] == 2 and idx["by_aigs_category"]["facial_recognition"] == 2
    assert idx["by_technology"]["video_surveillance"] == 1
    assert idx["bri"]["members"] == 4 and idx["bri"]["with_technology"] == 3
    assert idx["bri"]["with_supplier_country"] == {"CHN": 2, "JPN": 1}
    assert idx["by_regime_type"]["electoral_autocracy"]["safe_city"] == 1.0
    assert idx["by_regime_type"]["electoral_autocracy"]["facial_recognition"] == 0.5
    assert idx["by_regime_type"]["liberal_democracy"]["facial_recognition"] == 1.0
    assert idx["by_year"]["2015"] == {"countries_cumulative": 1, "new_countries": 1, "claims": 1, "new_cases": 1,
                                      "cases_cumulative": 1}
    assert idx["cases"] == 5  # claims in no case: each a case of its own
    assert idx["by_year"]["2020"]["countries_cumulative"] == 3
    assert sorted(idx["evidence"]["by_supplier"]["Huawei"]["PAK"]) == sorted([claims[0].id, claims[1].id])
    assert idx["countries_detail"]["PAK"]["technologies"] == ["facial_recognition", "safe_city"]
    assert "Technology linked to Chinese companies is found in 2 countries; 2 of them are in the Belt and " \
           "Road Initiative." in idx["headlines"]
    assert "Huawei supplies 2 countries." in idx["headlines"]


def test_as_of_filters_by_year_and_keeps_undated() -> None:
    claims = [dep("PAK", year=2015), dep("KEN", year=2021), dep("ECU", year=None)]
    idx = compute(claims, as_of=date(2018, 10, 1), ref=REF)
    assert sorted(idx["countries_detail"]) == ["ECU", "PAK"]
    assert idx["bri"]["members"] == 3  # KEN joined 2018, ECU in December 2018


def test_negated_rejected_and_non_deployments_do_not_count() -> None:
    claims = [dep("PAK", negated=True), dep("KEN", status="rejected"),
              Claim(doc_id="d", kind="financing", quote="q", extractor="t", extractor_version="1", country="ECU",
                    financier="Export-Import Bank of China", amount_usd=1e8, technology="safe_city")]
    idx = compute(claims, ref=REF)
    assert idx["countries"] == 0
    assert idx["financing"] == {"Export-Import Bank of China": {"projects": 1, "countries": 1,
                                                                "amount_usd": 100000000.0}}


def test_financing_without_technology_is_not_a_surveillance_project() -> None:
    c = Claim(doc_id="d", kind="financing", quote="q", extractor="t", extractor_version="1", country="ECU",
              financier="China Development Bank", amount_usd=5e6)
    assert compute([c], ref=REF)["financing"] == {}


def test_published_figures_beside_computed() -> None:
    reach = [
        Claim(doc_id="seed", kind="supplier_reach", quote="Huawei ... supplying its technology to 50 countries",
              extractor="t", extractor_version="1", supplier="Huawei", count=50, subject="supplier"),
        Claim(doc_id="seed", kind="supplier_reach", quote="36 out of 86 BRI countries", extractor="t",
              extractor_version="1", count=36, total=86, subject="bri"),
        Claim(doc_id="seed", kind="supplier_reach", quote="at least 63 countries", extractor="t",
              extractor_version="1", supplier_country="CHN", count=63, qualifier="at least",
              subject="supplier_country"),
    ]
    idx = compute([dep("PAK", supplier="Huawei"), *reach], ref=REF)
    figs = {f["subject"]: f for f in idx["published_figures"]}
    assert figs["supplier"]["computed"] == 1 and figs["supplier"]["difference"] == -49
    assert figs["bri"]["computed"] == 1 and figs["bri"]["computed_total"] == 4
    assert figs["supplier_country"]["qualifier"] == "at least" and figs["supplier_country"]["computed"] == 1
    assert figs["supplier"]["claim"] == reach[0].id and figs["supplier"]["doc_id"] == "seed"


def test_select_status_and_confidence() -> None:
    claims = [dep("PAK"), dep("KEN", status="unreviewed", confidence=0.9),
              dep("ECU", status="unreviewed", confidence=0.3), dep("DEU", status="rejected")]
    assert [c.country for c in select(claims)] == ["PAK"]
    assert [c.country for c in select(claims, "all")] == ["PAK", "KEN", "ECU"]
    assert [c.country for c in select(claims, "all", min_confidence=0.5)] == ["PAK", "KEN"]


def test_summary_drops_detail_maps() -> None:
    s = summary(compute([dep("PAK")], ref=REF))
    assert "countries_detail" not in s and "evidence" not in s and s["countries"] == 1


countries = st.sampled_from(["PAK", "KEN", "ECU", "DEU", "FRA", "BRA", "LAO", "USA"])
deployments = st.builds(dep, countries, st.sampled_from(TECHNOLOGY_KEYS),
                        st.sampled_from([None, "Huawei", "NEC", "IBM", "Unknown Co"]),
                        st.one_of(st.none(), st.integers(2005, 2024)))


@settings(max_examples=150, deadline=None)
@given(st.lists(deployments, max_size=25), deployments)
def test_adding_a_deployment_never_removes_a_country(claims: list[Claim], extra: Claim) -> None:
    before = compute(claims, ref=REF)
    after = compute([*claims, extra], ref=REF)
    assert set(before["countries_detail"]) <= set(after["countries_detail"])
    joined_before, joined_after = before["targeted"]["joined"]["countries"], after["targeted"]["joined"]["countries"]
    assert set(joined_before) <= set(joined_after)
    assert extra.country in joined_after  # in the mass index or, for spyware and forensics, the targeted one
    for table in ("by_technology", "by_aigs_category", "by_supplier", "by_supplier_country"):
        for key, n in before[table].items():
            assert after[table][key] >= n


@settings(max_examples=100, deadline=None)
@given(st.lists(deployments, max_size=25))
def test_counts_equal_distinct_countries_and_order_does_not_matter(claims: list[Claim]) -> None:
    """Spyware and forensics deployments count in the targeted section, every other one in the mass index."""
    idx = compute(claims, ref=REF)
    targeted = [c for c in claims if is_targeted(c)]
    mass = [c for c in claims if not is_targeted(c)]
    assert idx["countries"] == len({c.country for c in mass})
    assert idx["targeted"]["governments"] == len({c.country for c in targeted})
    for tech in TECHNOLOGY_KEYS:
        assert idx["by_technology"].get(tech, 0) == len({c.country for c in claims if c.technology == tech})
    for cat in AIGS_CATEGORIES:
        assert idx["by_aigs_category"][cat] == len({c.country for c in claims if c.aigs_category == cat})
    for supplier, n in idx["by_supplier"].items():
        assert n == len({c.country for c in mass if c.supplier == supplier})
        assert set(idx["evidence"]["by_supplier"][supplier]) == {c.country for c in mass if c.supplier == supplier}
    for vendor, n in idx["targeted"]["by_vendor"].items():
        assert n == len({c.country for c in targeted if c.supplier == vendor})
    assert compute(list(reversed(claims)), ref=REF) == idx
