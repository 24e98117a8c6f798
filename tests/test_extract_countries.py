"""Deployment country roles and negation scope (real extraction, no mocks)."""

from __future__ import annotations

import pytest

from survindex.extract.pipeline import extract_document


def _deployments(text: str, title: str | None = None) -> set[tuple[str | None, str | None]]:
    claims = extract_document({"id": "t", "text": text, "title": title})
    return {(c["country"], c["technology"]) for c in claims if c["kind"] == "deployment"}


def _countries(text: str, title: str | None = None) -> set[str]:
    return {c for c, _ in _deployments(text, title) if c}


@pytest.mark.parametrize("text, expected", [
    ("Bank of China lends US$80 million for a Safe City Project in Lahore", {"PAK"}),
    ("Dahua installed CCTV cameras for police in Nairobi. The US has sanctioned the firm.", {"KEN"}),
    ("Police in Lahore use Hikvision cameras. The company is blacklisted in the US.", {"PAK"}),
    ("The contract for police cameras in Kampala was worth 20 million US dollars.", {"UGA"}),
])
def test_currency_and_us_asides_keep_city_country(text: str, expected: set[str]) -> None:
    assert _countries(text) == expected


@pytest.mark.parametrize("title, expected", [
    ("China donates CCTV cameras to Ghana Ministry of Interior", "GHA"),
    ("Chinese Government provides surveillance equipment and CCTV cameras to Kenyan Government", "KEN"),
    ("China grants video surveillance system to the Lao PDR Ministry of Public Security", "LAO"),
])
def test_recipient_government_is_deployment_country(title: str, expected: str) -> None:
    claims = extract_document({"id": "t", "text": title, "title": title})
    assert {c["country"] for c in claims} == {expected}


def test_funder_before_verb_stays_financier() -> None:
    claims = extract_document({"id": "t", "text": "Chinese Government provides CCTV cameras to Zambia Police"})
    fin = [c for c in claims if c["kind"] == "financing"]
    assert fin and fin[0]["financier"] and "China" in fin[0]["financier"]
    assert {c["country"] for c in claims} == {"ZMB"}


@pytest.mark.parametrize("text, expected", [
    ("Hikvision sold cameras to police in Ghana and Togo.", {"GHA", "TGO"}),
    ("The ALPR cameras point across the border into Canada, the Sheriff's Office said.", {"USA"}),
    ("The Tulsa Police Department uses Clearview AI facial recognition, which was fined by regulators in "
     "Greece and Sweden.", {"USA"}),
])
def test_coordination_and_adjuncts(text: str, expected: set[str]) -> None:
    assert _countries(text) == expected


def test_ambiguous_place_reads_biggest_namesake() -> None:
    assert _countries("Police in London use live facial recognition vans.") == {"GBR"}
    assert _countries("The Salem Police Department uses body-worn cameras.") == {"USA"}


@pytest.mark.parametrize("text", [
    "Police in Accra denied that the cameras use facial recognition.",
    "The sheriff's office does not currently use body-worn cameras.",
    "The university police department has no plans to purchase drones.",
    "Hikvision said it does not supply facial recognition to police in Bolivia.",
    "The city council refused to buy drones through the federal grant program.",
])
def test_denied_or_refused_deployments_are_not_claimed(text: str) -> None:
    assert _deployments(text) == set()


def test_refusal_scoped_to_its_technology() -> None:
    got = _deployments("Zambia's government said it did not use facial recognition in the Lusaka CCTV network "
                       "built by Huawei.")
    assert ("ZMB", "video_surveillance") in got
    assert all(t != "facial_recognition" for _, t in got)


def test_access_in_contrastive_clause_keeps_deployment() -> None:
    got = _deployments("While the Pima County Sheriff's Office does not own a cell-site simulator, deputies can "
                       "access one maintained by the FBI.")
    assert ("USA", "cell_site_simulator") in got


@pytest.mark.parametrize("text, stage", [
    ("The Oakland Police Department ended its contract with ShotSpotter.", "cancelled"),
    ("The campus police decided not to renew the ShotSpotter contract.", "cancelled"),
    ("The Dayton Police Department stopped using Clearview AI facial recognition.", "cancelled"),
    ("Neither firm said whether police in Quito used facial recognition.", "announced"),
])
def test_stage_cues(text: str, stage: str) -> None:
    claims = [c for c in extract_document({"id": "t", "text": text}) if c["kind"] == "deployment"]
    assert claims and {c["stage"] for c in claims} == {stage}


@pytest.mark.parametrize("text", [
    "The Department of Campus Safety at Ridgeview College bought six drones for event security in 2019.",
    "Ridgeview University's campus security office tested body-worn cameras before issuing them to patrol officers.",
])
def test_campus_safety_offices_are_american_when_no_other_country_is_named(text: str) -> None:
    assert _countries(text) == {"USA"}


def test_campus_security_abroad_keeps_its_country() -> None:
    text = "Campus security at the University of Nairobi installed Hikvision cameras in Kenya last year."
    assert _countries(text) == {"KEN"}


@pytest.mark.parametrize("title, expected", [
    ("China Eximbank provides loan for Border Surveillance System Project (CCTV and scanners) at Tajikistan border "
     "posts", {"TJK"}),
])
def test_the_only_country_named_at_a_border_is_the_recipient(title: str, expected: set[str]) -> None:
    claims = extract_document({"id": "t", "text": title})
    assert {c["country"] for c in claims if c["country"]} == expected


def test_a_us_agency_along_the_mexico_border_stays_american() -> None:
    text = "The Border Patrol installed surveillance towers with cameras along the Mexico border near Nogales."
    assert _countries(text) == {"USA"}


@pytest.mark.parametrize("text", [
    "In 2021 the university abandoned a proposal to use face recognition on campus after student protests.",
    "The city council shelved its plan to buy police drones.",
    "The department dropped a bid for license plate readers.",
])
def test_an_abandoned_plan_is_not_a_deployment(text: str) -> None:
    assert not _deployments(text)


def test_an_abandoned_program_that_ran_is_still_a_cancelled_deployment() -> None:
    claims = extract_document({"id": "t", "text": "Police in Oakland County abandoned the ShotSpotter program in 2020."})
    assert {(c["technology"], c["stage"]) for c in claims if c["kind"] == "deployment"} == {
        ("gunshot_detection", "cancelled")}


@pytest.mark.parametrize("text", [
    "A proposal to add facial recognition to the city's cameras was rejected by the council in 2020.",
    "Plans for police drones were voted down by residents.",
])
def test_a_rejected_proposal_in_the_passive_is_not_a_deployment(text: str) -> None:
    assert not [t for _, t in _deployments(text) if t in ("facial_recognition", "drone")]
