"""The targeted-surveillance section of the index and its join to the mass index (pure; hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from survindex.index import compute
from survindex.index.targeted import origin_countries, source_regime
from survindex.model import Claim
from tests.test_index import REF, dep

MASS_KEYS = ("countries", "by_aigs_category", "by_supplier", "by_supplier_country", "bri", "by_regime_type",
             "financing", "by_year", "countries_detail")


def spy(country: str, supplier: str | None = "NSO Group", origins: list[str] | None = None, regime: str | None = None,
        tech: str = "spyware", year: int | None = 2021, **kw: Any) -> Claim:
    original: dict[str, Any] = {"supplier_countries": origins if origins is not None else ["ISR"],
                                "category": "Spyware" if tech == "spyware" else "Digital forensics"}
    if regime:
        original["source_regime"] = {"raw": regime, "type": regime, "year": 2021}
    first = (origins if origins is not None else ["ISR"])[:1]
    return dep(country, tech, supplier, year, supplier_country=first[0] if first else None, original=original, **kw)


def test_counts_regimes_and_linked_countries() -> None:
    claims = [spy("ARM", "Cytrox", ["ISR", "HUN"], "electoral_democracy"),
              spy("MEX", "NSO Group", ["ISR"], "electoral_autocracy"),
              spy("MEX", "Cellebrite", ["ISR"], "electoral_autocracy", tech="digital_forensics"),
              spy("CAN", None, [], "liberal_democracy"), dep("KEN", "safe_city", "Huawei", supplier_country="CHN")]
    t = compute(claims, ref=REF)["targeted"]
    assert t["governments"] == 3 and t["by_category"] == {"spyware": 3, "digital_forensics": 1}
    assert t["by_vendor"] == {"Cellebrite": 1, "Cytrox": 1, "NSO Group": 1} and t["unknown_vendor"] == 1
    assert t["by_vendor_country"] == {"ISR": 2, "HUN": 1}
    assert t["regime_source_groups"] == {"autocracies": 1, "democracies": 2, "unknown": 0}
    joined = t["joined"]
    assert (joined["mass_countries"], joined["targeted_countries"], joined["both"]) == (1, 3, 0)
    assert joined["supplier_blocs"]["china"]["mass"] == 1 and joined["supplier_blocs"]["israel"]["targeted"] == 2
    assert joined["supplier_blocs"]["europe"]["targeted"] == 1  # Hungary, through Cytrox's listed origins


def test_a_reviewers_supplier_country_wins_over_the_listed_origins() -> None:
    c = spy("ARM", "Cytrox", ["ISR", "HUN"])
    assert origin_countries(c) == ["ISR", "HUN"]
    assert origin_countries(c.with_(supplier_country="MKD")) == ["MKD"]
    assert origin_countries(dep("KEN", "spyware", "X", supplier_country="DEU")) == ["DEU"]
    assert source_regime(c) is None and source_regime(spy("ARM", regime="electoral_democracy")) == "electoral_democracy"


def test_published_figures_are_set_beside_computed_ones() -> None:
    figures = {f["figure"]: f for f in compute([spy("ARM")], ref=REF)["targeted"]["published_figures"]}
    assert figures["governments"]["published"] == 74 and figures["governments"]["computed"] == 1
    assert figures["governments"]["difference"] == -73 and figures["vendor_country:ISR"]["computed"] == 1


countries = st.sampled_from(["PAK", "KEN", "ECU", "DEU", "FRA", "BRA", "ARM", "USA"])
mass = st.builds(dep, countries, st.sampled_from(["safe_city", "facial_recognition", "smart_policing"]),
                 st.sampled_from([None, "Huawei", "NEC"]), st.one_of(st.none(), st.integers(2005, 2024)))
targeted = st.builds(spy, countries, st.sampled_from([None, "NSO Group", "FinFisher", "Cellebrite"]),
                     st.sampled_from([["ISR"], ["DEU"], ["ISR", "HUN"], []]),
                     st.sampled_from([None, "closed_autocracy", "liberal_democracy"]),
                     st.sampled_from(["spyware", "digital_forensics"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(mass, max_size=15), st.lists(targeted, max_size=15))
def test_targeted_claims_never_change_the_mass_index(mass_claims: list[Claim], targeted_claims: list[Claim]) -> None:
    """The AIGS figures stay exact whatever targeted evidence is added; the join counts every country once."""
    alone = compute(mass_claims, ref=REF, figures=False)
    joined = compute([*targeted_claims, *mass_claims], ref=REF, figures=False)
    for key in MASS_KEYS:
        assert joined[key] == alone[key], key
    t = joined["targeted"]
    assert t["governments"] == len({c.country for c in targeted_claims})
    j = t["joined"]
    assert j["both"] + j["mass_only"] + j["targeted_only"] == len(j["countries"])
    assert j["mass_countries"] == alone["countries"] and j["targeted_countries"] == t["governments"]
    assert sum(t["regime_source_groups"].values()) == t["governments"]
