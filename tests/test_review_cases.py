"""Reviewing a whole case at once (survindex.review): one decision for every claim of a deployment, refused when
the case changed since the reviewer opened it, and taken back exactly by undo."""

from __future__ import annotations

import pytest

from survindex import review
from survindex.store import ConflictError, open_store
from survindex.store import cases as store_cases
from tests.test_cases import _case_of, _doc_claims


def _kenya(store: object) -> tuple[str, list[str]]:
    a = _doc_claims(store, "Huawei built Kenya's safe city.", "Reuters", country="KEN", technology="safe_city",
                    supplier="Huawei", supplier_country="CHN", stage="installed")
    b = _doc_claims(store, "Kenya's police watch Huawei cameras.", "BBC", country="KEN",
                    technology="video_surveillance", supplier="Huawei", supplier_country="CHN")
    store.refresh_cases()  # type: ignore[attr-defined]
    return _case_of(store, a.id), [a.id, b.id]


def test_accepting_a_case_accepts_its_claims_and_undo_takes_it_back(any_db: str) -> None:
    store = open_store(any_db)
    case_id, ids = _kenya(store)
    done = review.review_case(store, case_id, {"action": "accept", "token": review.case_token(store, case_id)},
                              "alice")
    assert set(done["claims"]) == set(ids)
    assert store_cases.get_case(store, case_id)["status"] == "accepted"
    assert all(store.get_claim(i)[0].status == "accepted" for i in ids)
    review.undo(store, done["undo"], "alice")
    assert all(store.get_claim(i)[0].status == "unreviewed" and store.review_of(i) is None for i in ids)
    assert store_cases.get_case(store, case_id)["status"] == "unreviewed"


def test_a_correction_applies_to_every_claim_and_keeps_what_was_stated(db_path: str) -> None:
    store = open_store(db_path)
    case_id, ids = _kenya(store)
    review.review_case(store, case_id, {"action": "correct", "stage": "operational", "supplier": "Hikvision",
                                        "token": review.case_token(store, case_id)}, "alice")
    for i in ids:
        claim = store.get_claim(i)[0]
        assert claim.stage == "operational" and claim.supplier == "Hikvision" and claim.supplier_country == "CHN"
    assert store.get_claim(ids[0])[0].original["stage"] == "installed"


def test_a_case_changed_since_it_was_opened_is_refused(db_path: str) -> None:
    store = open_store(db_path)
    case_id, ids = _kenya(store)
    token = review.case_token(store, case_id)
    store.update_claim(ids[1], {"status": "rejected"}, "bob", 1, reason="another project")
    with pytest.raises(ConflictError, match="changed since"):
        review.review_case(store, case_id, {"action": "accept", "token": token}, "alice")
    assert store.get_claim(ids[0])[0].status == "unreviewed"


def test_rejecting_needs_a_reason_and_bad_corrections_name_the_field(db_path: str) -> None:
    store = open_store(db_path)
    case_id, _ = _kenya(store)
    token = review.case_token(store, case_id)
    with pytest.raises(review.ReviewError, match="reason"):
        review.review_case(store, case_id, {"action": "reject", "token": token}, "alice")
    with pytest.raises(review.ReviewError) as exc:
        review.review_case(store, case_id, {"action": "correct", "year": "20", "token": token}, "alice")
    assert exc.value.errors == [{"param": "year", "msg": "expected a year between 1900 and 2100"}]


def test_undo_after_someone_else_changed_a_claim_undoes_nothing(db_path: str) -> None:
    store = open_store(db_path)
    case_id, ids = _kenya(store)
    done = review.review_case(store, case_id, {"action": "accept", "token": review.case_token(store, case_id)},
                              "alice")
    store.update_claim(ids[0], {"stage": "operational"}, "bob", done["claims"][ids[0]])
    with pytest.raises(ConflictError):
        review.undo(store, done["undo"], "alice")
    assert store.get_claim(ids[1])[0].status == "accepted"
