"""The vocabulary is data, loaded once; records validate their structure and have content-derived ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survindex.model import AIGS_CATEGORIES, TECHNOLOGY_KEYS, Claim, Document, InvalidClaim, vocabulary

ISSUE_KEYS = ("safe_city video_surveillance facial_recognition license_plate_recognition smart_policing "
              "social_media_monitoring body_worn_camera drone biometrics cell_site_simulator gunshot_detection "
              "spyware digital_forensics network_interception location_tracking other")


def test_taxonomy_keys_and_aigs_mapping() -> None:
    assert TECHNOLOGY_KEYS == tuple(ISSUE_KEYS.split())
    assert set(AIGS_CATEGORIES) == {"safe_city", "facial_recognition", "smart_policing", "social_media_surveillance"}
    v = vocabulary()
    assert v.aigs_for("social_media_monitoring") == "social_media_surveillance"
    assert v.aigs_for("drone") is None and v.aigs_for(None) is None
    assert all(t.description for t in v.technologies.values())
    assert v.targeted_categories == {"spyware": "Spyware", "digital_forensics": "Digital forensics"}
    assert v.targeted_for("spyware") == "spyware" and v.targeted_for("network_interception") is None


def test_claim_rejects_unknown_vocabulary() -> None:
    with pytest.raises(InvalidClaim, match="unknown technology"):
        Claim(doc_id="doc-x", kind="deployment", quote="q", extractor="t", extractor_version="1", technology="laser")
    with pytest.raises(InvalidClaim, match="unknown claim kind"):
        Claim(doc_id="doc-x", kind="rumour", quote="q", extractor="t", extractor_version="1")


@given(st.text())
def test_document_id_is_content_address(text: str) -> None:
    a, b = Document.from_text(text), Document.from_text(text, title="other metadata")
    assert a.id == b.id and a.id.startswith("doc-") and len(a.id) == 68


def test_claim_id_ignores_review_state_but_not_content() -> None:
    c = Claim(doc_id="doc-x", kind="deployment", quote="q", extractor="t", extractor_version="1", country="KEN")
    assert c.with_(status="accepted", confidence=0.2, extractor_version="2").id == c.id
    assert c.with_(country="UGA").id != c.id
    assert Claim.from_dict(c.to_dict()) == c


def test_number_types_are_canonical_so_ids_survive_a_database() -> None:
    a = Claim(doc_id="d", kind="financing", quote="q", extractor="t", extractor_version="1", amount=850, year=2010.0)  # type: ignore[arg-type]
    b = Claim(doc_id="d", kind="financing", quote="q", extractor="t", extractor_version="1", amount=850.0, year=2010)
    assert a.id == b.id and isinstance(a.amount, float) and isinstance(a.year, int)
