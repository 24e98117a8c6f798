"""Suppliers: a company's own technology, names as the text writes them, vendors outside the registry, funders."""

from __future__ import annotations

import pytest

from survindex.extract import extract
from survindex.model import vocabulary
from survindex.reference.organisations import companies, company, resolve_company


def _facts(text: str) -> set[tuple[str, str | None, str | None, str | None]]:
    return {(c.kind, c.country, c.technology, c.supplier) for c in extract("doc-test", text)}


def _suppliers(text: str) -> set[str]:
    return {c.supplier for c in extract("doc-test", text) if c.supplier}


def test_registry_technologies_are_vocabulary_keys_and_parents_exist() -> None:
    keys = set(vocabulary().technologies)
    names = {c.canonical for c in companies()}
    assert all(c.technology in keys for c in companies() if c.technology)
    assert all(c.parent in names for c in companies() if c.parent)


@pytest.mark.parametrize("text,tech,supplier", [
    ("The Plano Police Department used Clearview AI in a trial last year.", "facial_recognition", "Clearview AI"),
    ("Campus police at the university subscribed to Social Sentinel in 2016.", "social_media_monitoring",
     "Social Sentinel"),
    ("The sheriff's office tested Cellebrite to unlock seized phones.", "digital_forensics", "Cellebrite"),
    ("Detectives in the police department trialled NtechLab in 2019.", "facial_recognition", "NtechLab"),
    ("The Denver Police Department uses Palantir to search its records.", "smart_policing", "Palantir Technologies"),
    ("Ohio State University signed a contract with Geofeedia in 2015.", "social_media_monitoring", "Geofeedia"),
])
def test_company_implies_its_technology(text: str, tech: str, supplier: str) -> None:
    assert (tech, supplier) in {(t, s) for _, _, t, s in _facts(text)}


@pytest.mark.parametrize("text", [
    "China Eximbank provides $30 million loan for 11kV Ring Main Unit Rehabilitation Project",
    "Chinese Government donates Canon cameras and printers to the Ministry of Information",
    "China Development Bank provides loan for Vigilant Coastal Radar Project",
    "Chinese Government provides grant for Aware Youth Programme in Lusaka",
])
def test_common_word_company_in_a_title_implies_nothing(text: str) -> None:
    assert not [c for c in extract("doc-test", text) if c.technology and c.technology != "other"]


def test_face_is_not_face_plus_plus() -> None:
    assert _suppliers("Face recognition software is used by the Tulsa Police Department.") == set()
    assert _suppliers("The Tulsa Police Department tested Face++ in 2018.") == {"Face++"}


@pytest.mark.parametrize("written,canonical,parent", [
    ("SoundThinking", "SoundThinking", None), ("ShotSpotter", "ShotSpotter", "SoundThinking"),
    ("PredPol", "PredPol", "Geolitica"), ("Geolitica", "Geolitica", None),
    ("L3Harris", "L3Harris Technologies", None), ("Harris Corporation", "Harris Corporation", "L3Harris Technologies"),
    ("TASER International", "TASER International", "Axon Enterprise"), ("Axon", "Axon Enterprise", None),
    ("Face++", "Face++", "Megvii"), ("FindFace", "FindFace", "NtechLab"), ("CityIQ", "CityIQ", "General Electric"),
])
def test_renamed_companies_and_brands_keep_the_written_name(written: str, canonical: str, parent: str | None) -> None:
    found = resolve_company(written)
    assert found is not None and found.canonical == canonical and found.parent == parent


def test_renamed_vendor_is_emitted_as_written() -> None:
    assert _suppliers("The Fresno Police Department signed a contract with SoundThinking in 2022.") == {
        "SoundThinking"}
    assert _suppliers("The Modesto Police Department used PredPol until 2019.") == {"PredPol"}
    assert company("Quanergy Systems").kind == "lidar" and company("Canon").kind != "video surveillance"


@pytest.mark.parametrize("text,supplier", [
    ("The county sheriff's office flies Autel EVO II drones for search and rescue.", "Autel EVO II"),
    ("The university police bought two Brinc Lemur drones last year.", "Brinc Lemur"),
    ("The sheriff relies on Veritone software for facial recognition on booking photos.", "Veritone"),
    ("The interior ministry contracted Safaricom to build a camera network for the police in Nairobi.", "Safaricom"),
    ("Police in Rosario use facial recognition cameras installed by the city through a local contractor, Danaide.",
     "Danaide"),
])
def test_vendor_outside_the_registry(text: str, supplier: str) -> None:
    assert supplier in _suppliers(text)


@pytest.mark.parametrize("text,not_supplier", [
    ("The police department began using Motorola Solutions' CommandCentral Aware software in 2018.", "CommandCentral"),
    ("U.S. Customs and Border Protection has flown Predator B drones since 2012.", "Predator B"),
    ("The police department signed a contract with Flock Safety for 30 Falcon cameras.", "30 Falcon"),
    ("The police department signed a contract with Flock Safety for 30 Falcon cameras.", "Falcon"),
    ("Several cameras were installed by the police department downtown.", "Several"),
    ("The city council approved the Real-Time Crime Center software for the police.", "Real-Time Crime Center"),
    ("The police department hired Officer Jones to run the CCTV cameras.", "Officer Jones"),
])
def test_not_a_vendor(text: str, not_supplier: str) -> None:
    assert not_supplier not in _suppliers(text)


def test_builders_stay_suppliers_of_a_financed_project() -> None:
    cs = extract("doc-test", "Quito's ECU-911 system, built by China's CEIEC and Huawei and financed by Chinese loans, "
                             "links 4,300 cameras to monitoring centres.")
    fin = [c for c in cs if c.kind == "financing"]
    assert fin and all(c.financier not in ("CEIEC", "Huawei") for c in fin)
    assert {"CEIEC", "Huawei"} <= {c.supplier for c in cs if c.kind == "deployment"}


@pytest.mark.parametrize("text,funder", [
    ("ZTE grants $3.5 million for the Safe City project in Bamako.", "ZTE"),
    ("Huawei has donated surveillance cameras worth $2 million to the police in Lusaka.", "Huawei"),
])
def test_company_as_subject_of_the_finance_verb_funds(text: str, funder: str) -> None:
    assert funder in {c.financier for c in extract("doc-test", text) if c.kind == "financing"}


def test_maker_near_the_word_grant_is_not_the_funder() -> None:
    cs = extract("doc-test", "Mesa police officers now have twelve Axon body-worn cameras thanks to a $12,000 grant.")
    assert not any(c.financier == "Axon Enterprise" for c in cs if c.kind == "financing")
    assert "Axon Enterprise" in {c.supplier for c in cs}


@pytest.mark.parametrize("text, pairs", [
    ("Dahua installed cameras for police in Nairobi, and Hikvision supplied cameras to police in Kampala.",
     {("KEN", "Dahua Technology"), ("UGA", "Hikvision")}),
    ("Huawei and ZTE supplied surveillance cameras to police in Kenya and Uganda.",
     {("KEN", "Huawei"), ("KEN", "ZTE"), ("UGA", "Huawei"), ("UGA", "ZTE")}),
])
def test_suppliers_pair_with_the_countries_of_their_own_clause(text: str, pairs: set[tuple[str, str]]) -> None:
    from survindex.extract.pipeline import extract_document

    got = {(c["country"], c["supplier"]) for c in extract_document({"id": "t", "text": text})
           if c["kind"] == "deployment"}
    assert got == pairs
