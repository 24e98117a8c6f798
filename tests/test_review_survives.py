"""Review work is the one thing no re-run can touch (issue 11, item 1): an import or extraction run again merges
into reviewers' decisions — statuses, reasons, corrected values (and what follows from them, such as the AIGS
category of a corrected technology) — and keeps the stated values beside them; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from survindex.cli import cli
from survindex.model import Claim, Document
from survindex.store import ClaimFilter, open_store

FIXTURES = Path(__file__).parent / "fixtures" / "import"
IMPORT = ["import", "table", str(FIXTURES / "country_table.csv"), "--country-column", "Country",
          "--column", "Safe city=safe_city", "--column", "Facial recognition=facial_recognition",
          "--column", "Smart policing=smart_policing", "--suppliers-column", "Suppliers", "--year", "2019"]


def _run(db: str, *args: str) -> None:
    result = CliRunner().invoke(cli, [*args, "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_reimport_keeps_corrections_rejections_and_their_consequences(any_db: str) -> None:
    _run(any_db, *IMPORT)
    store = open_store(any_db)
    claims = [c for c in store.claims(ClaimFilter(kind="deployment")) if c.technology == "safe_city"]
    fixed, rejected = claims[0], claims[1]
    store.update_claim(fixed.id, {"technology": "video_surveillance", "stage": "operational", "status": "accepted"},
                       "alice", 1, action="correct")
    store.update_claim(rejected.id, {"status": "rejected"}, "bob", 1, reason="a fictional listing")
    history = len(store.history())

    _run(any_db, *IMPORT)
    _run(any_db, *IMPORT)

    after, meta = store.get_claim(fixed.id)
    assert (after.technology, after.stage, after.status) == ("video_surveillance", "operational", "accepted")
    assert after.aigs_category is None  # follows the corrected technology, not the imported one
    assert after.original["technology"] == "safe_city" and after.original["stage"] == fixed.stage
    assert meta["version"] == 2  # nothing the source states changed: no new version
    gone, meta = store.get_claim(rejected.id)
    assert gone.status == "rejected" and meta["review_reason"] == "a fictional listing"
    assert len(store.history()) == history
    decision = store.review_of(fixed.id)
    assert decision is not None and decision["changes"] == {"technology": "video_surveillance", "stage": "operational"}


def test_reviewed_claim_restated_by_its_source_gets_a_version_and_an_audit_entry(any_db: str) -> None:
    store = open_store(any_db)
    doc = Document.from_text("Police in Kenya use Huawei cameras.")
    store.put_document(doc)
    claim = Claim(doc_id=doc.id, kind="deployment", quote=doc.text, extractor="x", extractor_version="1",
                  country="KEN", technology="video_surveillance", start=0, end=len(doc.text), confidence=0.6)
    store.put_claims([claim])
    store.update_claim(claim.id, {"stage": "installed", "status": "accepted"}, "alice", 1, action="correct")
    store.put_claims([claim.with_(id=claim.id, extractor_version="2", confidence=0.9, stage="operational")])
    now, meta = store.get_claim(claim.id)
    assert (now.stage, now.status, now.confidence, now.extractor_version) == ("installed", "accepted", 0.9, "2")
    assert now.original["stage"] == "operational"  # what the source now states, kept beside the correction
    assert meta["version"] == 3
    restated = store.history(claim.id)[0]
    assert restated["action"] == "restate" and restated["after"] == {"extractor_version": "2", "confidence": 0.9,
                                                                     "original": {"stage": "operational"}}


def test_extract_db_twice_keeps_review(any_db: str, tmp_path: Path) -> None:
    text = ("Police in Uganda installed Huawei cameras across Kampala in 2019 under the Safe City programme. "
            "The Uganda Police Force now operates a command centre with facial recognition.")
    src = tmp_path / "a.txt"
    src.write_text(text)
    _run(any_db, "ingest", str(src))
    _run(any_db, "extract")
    store = open_store(any_db)
    claims = list(store.claims(ClaimFilter(kind="deployment")))
    assert claims
    target = claims[0]
    store.update_claim(target.id, {"supplier": "ZTE", "supplier_country": "CHN", "status": "accepted"}, "alice", 1,
                       action="correct")
    _run(any_db, "extract", "--all")
    again = store.get_claim(target.id)[0]
    assert (again.supplier, again.supplier_country, again.status) == ("ZTE", "CHN", "accepted")
    assert store.count_claims() == len(claims) + 0


def test_extract_db_reads_only_documents_it_has_not_read(any_db: str, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Police in Kenya installed Huawei cameras in Nairobi in 2018.")
    _run(any_db, "ingest", str(tmp_path / "in"))
    first = CliRunner().invoke(cli, ["extract", "--db", any_db], catch_exceptions=False)
    assert "1 documents read" in first.output
    store = open_store(any_db)
    before = store.table_counts()
    again = CliRunner().invoke(cli, ["extract", "--db", any_db], catch_exceptions=False)
    assert "0 documents read, 0 new claims" in again.output and store.table_counts()["claims"] == before["claims"]
    (tmp_path / "in" / "b.txt").write_text("Uganda's police bought Hikvision cameras for Kampala in 2019.")
    _run(any_db, "ingest", str(tmp_path / "in"))
    third = CliRunner().invoke(cli, ["extract", "--db", any_db], catch_exceptions=False)
    assert "1 documents read" in third.output
    everything = CliRunner().invoke(cli, ["extract", "--db", any_db, "--all"], catch_exceptions=False)
    assert "2 documents read, 0 new claims" in everything.output


def test_newer_extractor_version_supersedes_and_review_moves_to_the_same_fact(any_db: str) -> None:
    from survindex.store.extractions import NO_SUCCESSOR, record

    store = open_store(any_db)
    text = "Police in Kenya installed Huawei cameras. They also fly drones. Kenya uses Huawei cameras."
    doc = Document.from_text(text)
    store.put_document(doc)

    def claim(tech: str, start: int, end: int, version: str) -> Claim:
        return Claim(doc_id=doc.id, kind="deployment", quote=text[start:end], extractor="x",
                     extractor_version=version, country="KEN", technology=tech, supplier="Huawei",
                     start=start, end=end)

    old_cameras, old_drones = claim("video_surveillance", 0, 41, "1"), claim("drone", 42, 63, "1")
    with store.transaction() as conn:
        record(store, conn, doc.id, "x", "1", [old_cameras, old_drones])
    store.update_claim(old_cameras.id, {"stage": "installed", "status": "accepted"}, "alice", 1, action="correct")
    new_cameras = claim("video_surveillance", 64, len(text), "2")
    with store.transaction() as conn:
        record(store, conn, doc.id, "x", "2", [new_cameras])

    assert [c.id for c in store.claims()] == [new_cameras.id]
    heir = store.get_claim(new_cameras.id)[0]
    assert (heir.status, heir.stage) == ("accepted", "installed")
    assert store.get_claim(old_cameras.id)[0].status == "accepted"  # the old id still resolves
    with store.engine.connect() as c:
        import sqlalchemy as sa

        fates = dict(c.execute(sa.text("SELECT id, superseded_by FROM claims")).all())
    assert fates == {old_cameras.id: new_cameras.id, old_drones.id: NO_SUCCESSOR, new_cameras.id: None}
    assert store.history(new_cameras.id)[0]["action"] == "inherit"


def test_corrected_technology_keeps_its_new_aigs_category_after_reimport(any_db: str) -> None:
    """A correction to a technology with another AIGS category (safe city -> smart policing) keeps that category
    through re-imports, in the claim and in every query by category."""
    _run(any_db, *IMPORT)
    store = open_store(any_db)
    try:
        claim = next(c for c in store.claims(ClaimFilter(kind="deployment")) if c.technology == "safe_city")
        store.update_claim(claim.id, {"technology": "smart_policing"}, "alice", 1, action="correct")
        _run(any_db, *IMPORT)
        after, _meta = store.get_claim(claim.id)
        assert (after.technology, after.aigs_category) == ("smart_policing", "smart_policing")
        by_category = {c.id for c in store.claims(ClaimFilter(aigs_category="safe_city"))}
        assert claim.id not in by_category
        assert claim.id in {c.id for c in store.claims(ClaimFilter(aigs_category="smart_policing"))}
    finally:
        store.close()
