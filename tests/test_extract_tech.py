"""Technology detection beyond the phrase lexicon: head-noun and verb–object patterns, coordination ellipsis,
generic cameras beside a specific technology or in a government's hands, Safe <Place> projects, and a technology
carried to a new country by "the app" / "the system"."""

from __future__ import annotations

import pytest

from survindex.extract import extract


def _techs(text: str) -> set[str]:
    return {c.technology for c in extract("doc-t", text) if c.technology}


def _relevant(title: str) -> bool:
    return any(c.technology and c.technology != "other" for c in extract("doc-t", title))


@pytest.mark.parametrize(("text", "key"), [
    ("The Campus Police Department runs acoustic sensors that pinpoint gunfire near dormitories.", "gunshot_detection"),
    ("The county sheriff installed sensors that detect and locate gunshots downtown.", "gunshot_detection"),
    ("University police receive plate-reading alerts from cameras at every campus gate.", "license_plate_recognition"),
    ("The police department stores licence plate scans for 30 days.", "license_plate_recognition"),
    ("Patrol cars carry cameras that capture the number plates of passing cars, the police department said.",
     "license_plate_recognition"),
    ("The university police department tracks Instagram and TikTok accounts of student groups.",
     "social_media_monitoring"),
    ("The sheriff's office uses open-source intelligence tools during protests.", "social_media_monitoring"),
    ("The police department bought software that forecasts where crimes are likely to occur.", "smart_policing"),
    ("The city police adopted crime-prediction software in 2019.", "smart_policing"),
    ("The department opened a real-time intelligence center staffed by analysts.", "smart_policing"),
    ("The sheriff's office owns a portable device that impersonates a cell tower.", "cell_site_simulator"),
    ("Residents can register their home cameras with the campus police department.", "video_surveillance"),
    ("Campus police officers now wear cameras on every shift.", "body_worn_camera"),
    ("The police department purchased two small unmanned aircraft for search and rescue.", "drone"),
])
def test_paraphrases_name_the_technology(text: str, key: str) -> None:
    assert key in _techs(text)


@pytest.mark.parametrize("text", [
    "Officers at the University Police Department responded to reports of gunfire near the stadium.",
    "The campus police department posted a safety alert on Twitter and Facebook.",
    "The police department said crime fell by 10 percent last year.",
    "A stolen license plate was found in the parking garage, the university police department said.",
])
def test_words_of_the_domain_alone_name_no_technology(text: str) -> None:
    assert not _techs(text) & {"gunshot_detection", "social_media_monitoring", "smart_policing",
                               "license_plate_recognition"}


@pytest.mark.parametrize(("text", "keys"), [
    ("The Kampala police installed cameras with face and number plate recognition along the main roads.",
     {"facial_recognition", "license_plate_recognition", "video_surveillance"}),
    ("The interior ministry says the platform combines iris and facial recognition at border posts.",
     {"biometrics", "facial_recognition"}),
])
def test_coordinated_recognition_names_each_technology(text: str, keys: set[str]) -> None:
    assert keys <= _techs(text)


@pytest.mark.parametrize(("text", "present", "absent"), [
    # cameras beside a technology that is not a camera are a camera network of their own
    ("Under its Safe City project, the Kenyan police installed 1,800 cameras in Nairobi.",
     {"safe_city", "video_surveillance"}, set()),
    ("The city connects cameras at gas stations to the police department's real-time crime center.",
     {"smart_policing", "video_surveillance"}, set()),
    # but not the cameras a crime centre merely watches, a camera technology's own cameras, or camera feeds
    ("Analysts at the police department's real-time crime center watch feeds from 500 cameras.",
     {"smart_policing"}, {"video_surveillance"}),
    ("The police department installed license plate reader cameras at ten intersections.",
     {"license_plate_recognition"}, {"video_surveillance"}),
    ("Police in Belgrade began using live facial recognition cameras in 2020.",
     {"facial_recognition"}, {"video_surveillance"}),
    ("The police department's facial recognition software searches still images from surveillance video.",
     {"facial_recognition"}, {"video_surveillance"}),
])
def test_generic_cameras_beside_a_specific_technology(text: str, present: set[str], absent: set[str]) -> None:
    got = _techs(text)
    assert present <= got and not (absent & got)


@pytest.mark.parametrize(("title", "relevant"), [
    ("Chinese Government donates 200 cameras to the Ministry of the Interior of Tajikistan", True),
    ("Chinese Government donates 200 cameras to the Gendarmerie of Cameroon", True),
    ("Ghana's government installed 2,000 cameras across Accra", True),
    ("Chinese Government donates surveillance equipment to the Cambodian National Police", True),
    ("Chinese Government provides grant for Police Command Center Construction Project", True),
    ("China Eximbank provides loan for Integrated Command and Control Centre Project in Karachi", True),
    ("Chinese Government provides grant for E-Police System Project", True),
    ("China Eximbank provides loan for Safe Nairobi Initiative", True),
    ("Chinese Government donates cameras and printers to the Ministry of Information", False),
    ("Chinese Government donates video conferencing equipment to the Ministry of Foreign Affairs", False),
    ("Chinese Government provides RMB 30 million grant for Safe Drinking Water Project", False),
    ("China Eximbank provides $60 million loan for Safe Water Supply Project in Kampala", False),
    ("Chinese Government provides grant for Safe Motherhood Programme", False),
    ("Chinese Government provides grant for Smart City Water Management Project in Kigali", False),
])
def test_title_relevance(title: str, relevant: bool) -> None:
    assert _relevant(title) is relevant


def test_the_app_carries_its_technology_to_a_new_country() -> None:
    got = {(c.technology, c.country) for c in extract(
        "doc-t", "Swedish police used Clearview AI's facial recognition app without approval. "
                 "Police in Norway also admitted that officers had tried the app.") if c.kind == "deployment"}
    assert ("facial_recognition", "NOR") in got


def test_no_carry_without_a_new_country() -> None:
    got = [c for c in extract("doc-t", "Swedish police used Clearview AI's facial recognition app. "
                                       "The app was later withdrawn.") if c.kind == "deployment"]
    assert {c.country for c in got} <= {"SWE"}


@pytest.mark.parametrize("title", [
    "China Eximbank provides $120 million loan for Integrated Public Security Centre Project in Maputo",
    "Huawei to build an integrated security platform for the national police of Zambia",
])
def test_integrated_security_centres_are_safe_city(title: str) -> None:
    assert "safe_city" in _techs(title)


def test_integrated_water_system_is_not_safe_city() -> None:
    assert "safe_city" not in _techs("China grants RMB 50 million for Integrated Water Supply System Project")


@pytest.mark.parametrize(("text", "key"), [
    ("Rwanda's intelligence service bought lawful interception software from a European vendor in 2017.",
     "network_interception"),
    ("Investigators found that the Mexican government had used spyware against journalists.", "spyware"),
    ("Police in Serbia used Cellebrite forensic extraction tools on a journalist's phone.", "digital_forensics"),
    ("The FBI bought location data from a broker instead of getting a warrant.", "location_tracking"),
])
def test_targeted_surveillance_has_its_own_keys(text: str, key: str) -> None:
    assert key in _techs(text)


def test_cameras_equipped_later_in_the_sentence_are_a_camera_network_too() -> None:
    text = ("Police in Lusaka installed 600 cameras at junctions across the capital, most of them equipped with "
            "licence plate recognition.")
    assert {"video_surveillance", "license_plate_recognition"} <= _techs(text)
