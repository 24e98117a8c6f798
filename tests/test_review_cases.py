"""Reviewing a whole case at once (survindex.review): one decision for every claim of a deployment, refused when
the case changed since the reviewer opened it, and taken back exactly by undo."""

from __future__ import annotations

import pytest

from survindex import review
from survindex.store import ConflictError, NotFound, open_store
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


# -- undo of grouping decisions ------------------------------------------------------------------------------------
def _decisions(store: object) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from survindex.store import schema as s

    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        return [(r.kind, r.claim_a) for r in conn.execute(select(s.case_decisions))]


def test_a_split_is_undone_like_a_review(any_db: str) -> None:
    store = open_store(any_db)
    case_id, ids = _kenya(store)
    done = review.split(store, ids[1], "alice", "another project")
    assert done["case"] != case_id and _case_of(store, ids[1]) == done["case"]
    moved = review.undo(store, done["undo"], "bob")
    assert moved == {ids[1]: store.get_claim(ids[1])[1]["version"]}
    assert _case_of(store, ids[1]) == case_id and _decisions(store) == []
    assert store_cases.get_case(store, done["case"])["id"] == case_id  # the split case's id leads back
    entry = store.history(ids[1], limit=1)[0]
    assert entry["action"] == "undo" and entry["actor"] == "bob" and entry["before"]["undone"] == done["undo"]
    assert entry["before"]["decision"]["kind"] == "split"
    with pytest.raises(NotFound):
        review.undo(store, done["undo"], "bob")  # once only


def test_a_merge_is_undone_and_later_decisions_stay(db_path: str) -> None:
    store = open_store(db_path)
    case_id, ids = _kenya(store)
    drone = _doc_claims(store, "Kenya flies DJI drones.", "Nation", country="KEN", technology="drone",
                        supplier="DJI", supplier_country="CHN")
    store.refresh_cases()
    drone_case = _case_of(store, drone.id)
    merged = review.merge(store, case_id, drone_case, "alice")
    assert _case_of(store, drone.id) == _case_of(store, ids[0]) == merged["case"]
    split = review.split(store, ids[1], "alice")
    review.undo(store, merged["undo"], "alice")
    assert _case_of(store, drone.id) == drone_case and _case_of(store, ids[0]) == case_id
    assert _case_of(store, ids[1]) == split["case"] != case_id  # the later split is still applied
    assert _decisions(store) == [("split", ids[1])]
    review.undo(store, split["undo"], "alice")
    assert _case_of(store, ids[1]) == case_id and _decisions(store) == []


def test_web_undo_takes_back_a_split(db_path: str) -> None:
    from tests.test_web_support import app_for, login, seed, store_of

    seed(db_path)
    app = app_for(db_path)
    store = store_of(app)
    case_id, ids = _kenya(store)
    done = review.split(store, ids[1], "eddie")
    editor, csrf = login(app, "eddie")
    r = editor.post(f"/review/undo/{done['undo']}.json", data={"csrf": csrf})
    assert r.status_code == 200, r.text
    assert r.json()["claims"] == {ids[1]: 1} and case_id in r.json()["cases"]
    assert _case_of(store, ids[1]) == case_id
    assert editor.post(f"/review/undo/{done['undo']}.json", data={"csrf": csrf}).status_code == 404
