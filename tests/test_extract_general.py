"""General rules added for documents unlike the dev sets: refusals, parent companies, funding subjects, shared
local-government words, distances, loan descriptions; and the speed work's invariants (cache, store, transport)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.extract import extract
from survindex.extract.gazetteer import Gazetteer, all_entries, gazetteer
from survindex.extract.text import normalise


def _deploy(text: str) -> list[tuple[str | None, str | None, str | None, bool]]:
    return [(c.technology, c.country, c.supplier, c.negated) for c in extract("doc-t", text) if c.kind == "deployment"]


# -- negation: a refusal is no deployment, a denial stays (negated), access without ownership stays -------------
@pytest.mark.parametrize("text", [
    "The Pima County Sheriff's Office declined to use facial recognition after a public hearing.",
    "The Tucson Police Department did not purchase a drone after a 2019 review.",
    "The Nairobi police refused to buy facial recognition cameras, officials said.",
])
def test_a_refusal_claims_no_deployment(text: str) -> None:
    assert not [d for d in _deploy(text) if d[0] in ("facial_recognition", "drone")]


def test_refusal_in_one_clause_keeps_the_other_clause() -> None:
    got = _deploy("The Pima County Sheriff's Department declined to use facial recognition, but deputies wear "
                  "body-worn cameras made by WatchGuard.")
    assert {d[0] for d in got} == {"body_worn_camera"} and all(d[1] == "USA" and not d[3] for d in got)


def test_no_ownership_but_access_is_kept() -> None:
    got = _deploy("The sheriff's office does not own a cell-site simulator, but deputies can access one "
                  "maintained by the U.S. Marshals Service.")
    assert ("cell_site_simulator", "USA") in {(d[0], d[1]) for d in got}


# -- suppliers ----------------------------------------------------------------------------------------------------
def test_parent_company_possessive_names_the_brand_as_supplier() -> None:
    got = _deploy("The Nogales Police Department bought in-car video systems from Motorola Solutions' WatchGuard.")
    suppliers = {d[2] for d in got}
    assert suppliers and all(s and "WatchGuard" in s for s in suppliers)


def test_a_company_alone_is_still_the_supplier() -> None:
    got = _deploy("The Nogales Police Department bought radios and body cameras from Motorola Solutions.")
    assert {d[2] for d in got} == {"Motorola Solutions"}


@pytest.mark.parametrize("text, tech", [
    ("The University of New Mexico Police Department contracted with Social Sentinel, a service that scans "
     "social media posts for threats.", "social_media_monitoring"),
    ("The University of Arizona Police Department uses body-worn cameras purchased from Axon.", "body_worn_camera"),
])
def test_campus_police_in_a_us_state_are_american(text: str, tech: str) -> None:
    got = _deploy(text)
    assert (tech, "USA") in {(d[0], d[1]) for d in got} and all(d[2] for d in got if d[0] == tech)


# -- financing titles -------------------------------------------------------------------------------------------
def test_a_country_that_grants_is_the_lender_and_the_city_stays_the_recipient() -> None:
    cs = extract("doc-t", "China grants RMB 100 million for the Safe City Project in Bishkek")
    fin = [c for c in cs if c.kind == "financing"]
    assert fin and fin[0].financier == "Government of China" and fin[0].flow_type == "grant"
    assert fin[0].country == "KGZ" and fin[0].technology == "safe_city"


def test_a_recipient_country_is_not_turned_into_a_lender() -> None:
    cs = extract("doc-t", "Kenya installs CCTV cameras in Nairobi with a loan from China Eximbank")
    fin = [c for c in cs if c.kind == "financing"]
    assert fin and fin[0].financier == "Export-Import Bank of China" and fin[0].country == "KEN"


# -- countries ----------------------------------------------------------------------------------------------------
def test_a_county_outside_the_us_does_not_make_the_document_american() -> None:
    text = ("The project will build a data centre and a Public Safe City in Machakos County. "
            "The site is located approximately 61 km from Nairobi.")
    countries = {d[1] for d in _deploy(text)}
    assert "USA" not in countries and "KEN" in countries


def test_a_county_with_no_foreign_name_is_still_american() -> None:
    assert {d[1] for d in _deploy("Cochise County uses automated license plate readers on patrol cars.")} == {"USA"}


def test_distance_from_a_city_is_not_a_supplier_home() -> None:
    got = _deploy("Police installed CCTV cameras at the border post, 40 km from Nairobi.")
    assert ("video_surveillance", "KEN") in {(d[0], d[1]) for d in got}


def test_a_loan_description_without_surveillance_claims_no_deployment() -> None:
    text = ("On July 28, 2015, a consortium of banks including Bank of China signed a $590 million syndicated loan "
            "agreement with a company based in India and Singapore for a copper mine. The loan was repaid in 2019.")
    assert [c for c in extract("doc-t", text) if c.kind == "deployment"] == []


# -- speed work: the same matches however the text is spaced, the cache gives the same gazetteer ------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["Kenyan", "police", "use", "Huawei", "CCTV", "cameras", "in", "Nairobi", ",",
                                 "body-worn", "Axon", "the", "U.S.", "drones", "’s", "Zürich"]), min_size=1, max_size=25),
       st.lists(st.sampled_from([" ", "  ", " \n ", "\t"]), min_size=25, max_size=25))
def test_mentions_map_back_exactly_with_or_without_space_runs(words: list[str], gaps: list[str]) -> None:
    text = "".join(w + g for w, g in zip(words, gaps))
    single = " ".join(words)
    got = [(" ".join(text[m.start:m.end].split()), m.entries) for m in gazetteer().find(text)]
    assert got == [(single[m.start:m.end], m.entries) for m in gazetteer().find(single)]
    assert all(m.surface == text[m.start:m.end] for m in gazetteer().find(text))
    n = normalise(text)
    assert len(n.norm) <= len(text)


def test_disk_cache_round_trip_and_refusal_of_untrusted_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from survindex.extract import cache

    monkeypatch.setenv(cache.ENV, str(tmp_path))
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    assert cache.cached("thing", build) == {"n": 1}
    assert cache.cached("thing", build) == {"n": 1} and len(calls) == 1  # loaded, not rebuilt
    [path] = list(tmp_path.glob("thing-*.pickle"))
    path.write_bytes(pickle.dumps({"n": 99}))
    os.chmod(path, 0o666)  # writable by others: never loaded
    assert cache.cached("thing", build) == {"n": 2}
    monkeypatch.setenv(cache.ENV, "off")
    assert cache.cached("thing", build) == {"n": 3}


def test_cached_gazetteer_matches_a_fresh_build() -> None:
    fresh = Gazetteer(all_entries())
    text = "Chinese firm Hikvision sold cameras to police in Kampala, Uganda, and to the Cochise County Sheriff."
    assert [(m.start, m.end, m.entries) for m in fresh.find(text)] == \
        [(m.start, m.end, m.entries) for m in gazetteer().find(text)]


def test_the_jsonl_fast_path_equals_claim_objects(shared: Path) -> None:
    import json

    from survindex.extract.pipeline import claim_dict, extract_document

    texts = [json.loads(line)["text"] for name in ("eff-border.jsonl", "gcdf-titles.jsonl")
             for line in (shared / "gold" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [p.read_text(encoding="utf-8") for p in sorted((shared / "seed").glob("*.txt"))]
    total = 0
    for i, text in enumerate(texts):
        fast = extract_document({"id": f"d{i}", "text": text})
        assert fast == [claim_dict(c) for c in extract(f"d{i}", text)]
        total += len(fast)
    assert total > 200


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("ab $0123456789.,;’'\n") + ["Huawei ", "China Eximbank ", "loan ", "Kenya ",
                                                                    "CCTV ", "grants ", "RMB ", "police "]),
                max_size=60).map("".join))
def test_fast_path_equals_claim_objects_on_random_text(text: str) -> None:
    from survindex.extract.pipeline import claim_dict, extract_document

    assert extract_document({"id": "r", "text": text}) == [claim_dict(c) for c in extract("r", text)]


@given(st.text(max_size=300))
def test_words_of_is_the_lower_case_letter_runs(text: str) -> None:
    import re

    from survindex.extract.cues import words_of

    assert words_of(text) == frozenset(re.findall(r"[a-z]+", text.lower()))


# -- wording families seen in campus-police summaries and loan titles (extractor 0.5.0) ------------------------
@pytest.mark.parametrize("text, tech, country", [
    ("The Ridgeview University Police Department signed an agreement with Axon covering Body 4 cameras for officers.",
     "body_worn_camera", "USA"),
    ("Detectives at the Lakeside Police Department ran searches during a free trial of Clearview AI in 2020.",
     "facial_recognition", "USA"),
    ("SFPD analysts used Amazon Rekognition on booking photos.", "facial_recognition", "USA"),
    ("The Carver County Sheriff's Office added cameras that can match faces against a watch list.",
     "facial_recognition", "USA"),
])
def test_campus_and_city_police_wording(text: str, tech: str, country: str) -> None:
    from survindex.extract.pipeline import extract_document

    claims = [c for c in extract_document({"id": "t", "text": text}) if c["kind"] == "deployment"]
    assert (country, tech) in {(c["country"], c["technology"]) for c in claims}


@pytest.mark.parametrize("text", [
    "The city council voted against a proposed pilot of gunshot detection sensors.",
    "The university abandoned a proposal in 2019 to run face recognition on its camera network.",
])
def test_plans_voted_down_or_abandoned_are_not_claimed(text: str) -> None:
    from survindex.extract.pipeline import extract_document

    techs = {c["technology"] for c in extract_document({"id": "t", "text": text}) if c["kind"] == "deployment"}
    assert not techs & {"gunshot_detection", "facial_recognition"}


@pytest.mark.parametrize("title, country", [
    ("China Eximbank provides $40 million loan for Police Radio and Command Dispatch System Project in Luanda", "AGO"),
    ("Chinese Government grants RMB 80 million for border surveillance and monitoring equipment to the Tajik "
     "Border Troops", "TJK"),
    ("China Eximbank provides loan for Dakar Urban Video Protection Project", "SEN"),
    ("China funds border security monitoring equipment at Bhutanese checkpoints on the Tibet frontier", "BTN"),
])
def test_loan_titles_for_command_dispatch_border_monitoring_and_video_protection(title: str, country: str) -> None:
    from survindex.extract.pipeline import extract_document

    claims = extract_document({"id": "t", "text": title})
    assert any(c["technology"] not in (None, "other") for c in claims)
    assert country in {c["country"] for c in claims}
