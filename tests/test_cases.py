"""Cases: claims of many sources grouped into one record per deployment (pure grouping, then the store)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from survindex.cases import Decision, Member, group_country
from survindex.cli import cli
from survindex.model import Claim, Document
from survindex.store import open_store
from survindex.store import cases as store_cases


def m(cid: str, tech: str = "safe_city", supplier: str | None = "Huawei", source: str = "a", **kw: object) -> Member:
    return Member(claim_id=cid, kind=kw.pop("kind", "deployment"), country="PAK", technology=tech,  # type: ignore[arg-type]
                  supplier=supplier, source=source, **kw)  # type: ignore[arg-type]


def _of(cases: list, cid: str) -> str:
    return next(c.id for c in cases if cid in c.claims)


def test_one_deployment_reported_by_many_sources_is_one_case_with_its_loan() -> None:
    members = [
        m("c1", source="dawn", year=2016, stage="contracted", date="2016-05-20", deployer="Safe City Islamabad"),
        m("c2", "video_surveillance", source="reuters", date="2018-01-02", stage="installed"),
        m("c3", "facial_recognition", supplier=None, source="csis", date="2019-11", stage="operational"),
        m("c4", kind="financing", supplier=None, financier="Export-Import Bank of China", flow_type="loan",
          year=2013, source="aiddata", quote="Safe City Islamabad Project loan"),
        m("c5", "drone", supplier="DJI", source="dawn"),
    ]
    cases = group_country(members)
    assert len(cases) == 2
    city = next(c for c in cases if "c1" in c.claims)
    assert set(city.claims) == {"c1", "c2", "c3", "c4"}
    assert city.technology == "safe_city" and city.supplier == "Huawei" and city.deployer == "Safe City Islamabad"
    assert city.sources == ("aiddata", "csis", "dawn", "reuters")
    assert [s["stage"] for s in city.stages] == ["contracted", "installed", "operational"]
    assert city.stage == "operational" and city.first_reported == "2016-05-20"
    assert city.financing[0]["financier"] == "Export-Import Bank of China"


def test_different_bodies_and_suppliers_stay_apart() -> None:
    members = [m("a", "facial_recognition", "Innefu Labs", deployer="Delhi Police"),
               m("b", "facial_recognition", None, deployer="Indian Railways"),
               m("c", "facial_recognition", "NEC", deployer="the Delhi police")]
    cases = group_country(members)
    assert len({_of(cases, x) for x in "abc"}) == 3


def test_names_of_one_body_written_differently_are_one() -> None:
    cases = group_country([m("a", deployer="Uganda Police Force"), m("b", deployer="the Uganda police force"),
                           m("c")])
    assert len(cases) == 1


def test_loan_for_a_project_nobody_reported_is_a_case_of_its_own() -> None:
    cases = group_country([m("f", kind="financing", supplier=None, financier="China Development Bank", year=2019)])
    assert len(cases) == 1 and cases[0].financing and cases[0].supplier is None


def test_corroboration_raises_confidence_and_review_decides() -> None:
    one = group_country([m("a", confidence=0.6)])[0]
    two = group_country([m("a", confidence=0.6), m("b", confidence=0.6, source="b")])[0]
    copies = group_country([m("a", confidence=0.6), m("b", confidence=0.6, source="a")])[0]
    assert one.confidence == 0.6 and two.confidence == 0.84 and copies.confidence == 0.6
    assert group_country([m("a", status="accepted"), m("b")])[0].status == "accepted"
    assert group_country([m("a", status="rejected")])[0].status == "rejected"


def test_reviewers_split_and_merge_apply_in_order() -> None:
    members = [m("a"), m("b", "video_surveillance"), m("d", "drone", "DJI")]
    split = group_country(members, [Decision("split", "b")])
    assert _of(split, "a") != _of(split, "b")
    merged = group_country(members, [Decision("split", "b"), Decision("merge", "a", "d")])
    assert _of(merged, "a") == _of(merged, "d") != _of(merged, "b")


members_st = st.lists(st.builds(
    lambda i, t, sup, dep, src: m(f"c{i}", t, sup, src, deployer=dep),
    st.integers(0, 40), st.sampled_from(["safe_city", "video_surveillance", "drone", "spyware"]),
    st.sampled_from([None, "Huawei", "ZTE"]), st.sampled_from([None, "Lahore police", "Karachi city"]),
    st.sampled_from(["a", "b", "c"])), unique_by=lambda x: x.claim_id, max_size=25)


@settings(max_examples=150, deadline=None)
@given(members_st, st.randoms())
def test_grouping_is_a_partition_independent_of_order(members: list[Member], rnd: object) -> None:
    cases = group_country(members)
    ids = [cid for c in cases for cid in c.claims]
    assert sorted(ids) == sorted(x.claim_id for x in members)
    shuffled = list(members)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert {c.id: c.claims for c in group_country(shuffled)} == {c.id: c.claims for c in cases}


@settings(max_examples=150, deadline=None)
@given(members_st)
def test_another_source_of_a_case_keeps_its_id(members: list[Member]) -> None:
    cases = group_country(members)
    for case in cases:
        first = next(x for x in members if x.claim_id == case.claims[0])
        again = group_country([*members, dataclasses.replace(first, claim_id="zz-new", source="new")])
        assert _of(again, "zz-new") == case.id


# -- the store ----------------------------------------------------------------------------------------------------
def _doc_claims(store: object, text: str, publisher: str, **kw: object) -> Claim:
    doc = Document.from_text(text, publisher=publisher, published="2019-01-01")
    store.put_document(doc)  # type: ignore[attr-defined]
    claim = Claim(doc_id=doc.id, kind="deployment", quote=text, extractor="t", extractor_version="1",
                  start=0, end=len(text), **kw)  # type: ignore[arg-type]
    store.put_claims([claim])  # type: ignore[attr-defined]
    return claim


def test_store_keeps_cases_current_and_decisions_survive(any_db: str) -> None:
    store = open_store(any_db)
    a = _doc_claims(store, "Huawei built Kenya's safe city.", "Reuters", country="KEN", technology="safe_city",
                    supplier="Huawei", supplier_country="CHN")
    b = _doc_claims(store, "Kenya's police watch Huawei cameras.", "BBC", country="KEN",
                    technology="video_surveillance", supplier="Huawei", supplier_country="CHN")
    store.refresh_cases()
    case = store_cases.get_case(store, _case_of(store, a.id))
    assert case["sources"] == 2 and set(case["claim_ids"]) == {a.id, b.id} and case["status"] == "unreviewed"
    new = store_cases.split(store, b.id, "alice", "cameras are a different project")
    assert new != case["id"] and store_cases.get_case(store, case["id"])["claim_ids"] == [a.id]
    store.put_claims([a, b])  # a re-run
    store.refresh_cases(everything=True)
    assert _case_of(store, b.id) == new
    merged = store_cases.merge(store, case["id"], new, "alice")
    assert _case_of(store, a.id) == _case_of(store, b.id) == merged
    store.update_claim(a.id, {"status": "accepted"}, "alice", 1)
    store.refresh_cases()
    assert store_cases.get_case(store, merged)["status"] == "accepted"


def _case_of(store: object, claim_id: str) -> str:
    import sqlalchemy as sa

    from survindex.store import schema

    with store.engine.connect() as c:  # type: ignore[attr-defined]
        return str(c.execute(sa.select(schema.claims.c.case_id).where(schema.claims.c.id == claim_id)).scalar_one())


def test_an_old_case_id_leads_to_the_case_its_claims_joined(db_path: str) -> None:
    store = open_store(db_path)
    a = _doc_claims(store, "Cameras watch Nairobi for the police of Kenya.", "Nation", country="KEN",
                    technology="video_surveillance")
    store.refresh_cases()
    old = _case_of(store, a.id)
    _doc_claims(store, "Huawei supplied Kenya's police cameras.", "Reuters", country="KEN",
                technology="video_surveillance", supplier="Huawei")
    store.refresh_cases()
    now = _case_of(store, a.id)
    assert now != old and store_cases.get_case(store, old)["id"] == now


def test_cases_command_prints_one_json_object_a_line(db_path: str) -> None:
    store = open_store(db_path)
    a = _doc_claims(store, "Huawei built Kenya's safe city.", "Reuters", country="KEN", technology="safe_city",
                    supplier="Huawei")
    store.update_claim(a.id, {"status": "accepted"}, "alice", 1)
    result = CliRunner().invoke(cli, ["cases", "--json", "--db", db_path, "--country", "KEN"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.output.splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert {"id", "country", "technology", "supplier", "stage", "first_reported", "last_reported", "sources",
            "claims", "status"} <= set(row)
    assert row["claims"] == [a.id] and row["sources"] == 1 and row["status"] == "accepted"
    assert CliRunner().invoke(cli, ["cases", "--json", "--db", db_path, "--status", "unreviewed"]).output == ""
    bad = CliRunner().invoke(cli, ["cases", "--db", db_path, "--country", "Kenya"])
    assert bad.exit_code != 0 and "ISO 3166" in bad.output


def test_demo_has_a_corroborated_case_with_its_loan(tmp_path: Path) -> None:
    from survindex.demo import load_examples

    store = open_store(str(tmp_path / "demo.db"))
    load_examples(store)
    best = store_cases.list_cases(store, store_cases.CaseFilter(country="PAK"))[0]
    assert best["sources"] >= 3 and best["supplier"] == "Huawei" and best["financing"]


# -- grouping rules: prime contractors, one body named several ways, the government in general, no country ----------
def _n(cases: list) -> int:  # type: ignore[type-arg]
    return len(cases)


def test_a_prime_contractor_and_its_maker_of_one_project_are_one_case_shown_under_the_maker() -> None:
    members = [m("a", supplier="Safaricom", supplier_country="KEN", deployer="National Police Service", year=2014),
               m("b", supplier="Safaricom", supplier_country="KEN", deployer="National Police Service", year=2015),
               m("c", supplier="Huawei", supplier_country="CHN", deployer="National Police Service", year=2015)]
    cases = group_country(members)
    assert _n(cases) == 1 and cases[0].supplier == "Huawei" and cases[0].supplier_country == "CHN"


def test_a_contractor_stays_apart_from_makers_of_other_projects_or_times() -> None:
    two_makers = [m("a", supplier="CEIEC", deployer="ECU 911"), m("b", supplier="Huawei", deployer="Police"),
                  m("c", supplier="ZTE", deployer="Army")]
    assert len({_of(group_country(two_makers), x) for x in "abc"}) == 3
    years_apart = [m("a", supplier="Safaricom", deployer="National Police Service", year=2005),
                   m("b", supplier="Huawei", deployer="National Police Service", year=2015)]
    assert _n(group_country(years_apart)) == 2


def test_one_public_body_named_several_ways_is_one_deployer() -> None:
    names = ["Secretariat of National Defense", "Secretaria da Defesa Nacional (Sedena)", "Mexican Army",
             "Ministry of Defense (Sedena)", "SEDENA"]
    members = [Member(claim_id=f"c{i}", kind="deployment", country="MEX", technology="spyware", supplier="NSO Group",
                      deployer=n, year=2019) for i, n in enumerate(names)]
    assert _n(group_country(members)) == 1


def test_the_government_in_general_joins_the_one_specific_deployer_of_its_time() -> None:
    def uga(cid: str, deployer: str, year: int) -> Member:
        return Member(claim_id=cid, kind="deployment", country="UGA", technology="video_surveillance",
                      supplier="Huawei", deployer=deployer, year=year)

    assert _n(group_country([uga("a", "Uganda Police Force", 2019), uga("b", "Government of Uganda", 2018),
                             uga("c", "the Ugandan government", 2019), uga("d", "the Museveni government", 2019),
                             uga("e", "Ugandan authorities", 2020)])) == 1
    assert _n(group_country([uga("a", "Uganda Police Force", 2019), uga("b", "Ugandan government", 2014)])) == 2
    assert _n(group_country([uga("a", "Uganda Police Force", 2019), uga("b", "Kampala Capital City Authority", 2019),
                             uga("c", "Government of Uganda", 2019)])) == 3


def test_claims_without_a_country_are_never_grouped_automatically() -> None:
    members = [Member(claim_id=f"c{i}", kind=k, country=None, technology="safe_city", supplier=s, deployer=d)
               for i, (k, s, d) in enumerate([("deployment", "Huawei", None), ("deployment", "Huawei", None),
                                              ("deployment", None, None), ("financing", None, "Safe City")])]
    cases = group_country(members)
    assert _n(cases) == 4 and all(len(c.claims) == 1 for c in cases)
    merged = group_country(members, [Decision("merge", "c0", "c1")])
    assert _of(merged, "c0") == _of(merged, "c1") and _n(merged) == 3


def test_every_prime_contractor_cites_a_source_and_names_known_makers() -> None:
    from survindex.reference import company
    from survindex.reference.contractors import contractors

    for c in contractors():
        assert c.source.startswith("http") and c.makers
        for maker in c.makers:
            assert company(maker).canonical == maker


def test_store_gives_each_claim_without_a_country_a_case_of_its_own(db_path: str) -> None:
    store = open_store(db_path)
    a = _doc_claims(store, "Huawei sells safe city systems.", "Reuters", technology="safe_city", supplier="Huawei")
    b = _doc_claims(store, "Huawei's safe city platform is sold widely.", "BBC", technology="safe_city",
                    supplier="Huawei")
    store.refresh_cases(everything=True)
    assert _case_of(store, a.id) != _case_of(store, b.id)
    assert store_cases.count_cases(store, store_cases.CaseFilter()) >= 2


def test_a_review_resummarises_its_case_without_regrouping_the_country(any_db: str) -> None:
    """Accepting or rejecting a claim never moves it between cases: only its case is summarised again (the country
    is not marked for a rebuild), and the case reads as a full rebuild would write it."""
    import sqlalchemy as sa

    from survindex.store import schema

    store = open_store(any_db)
    a = _doc_claims(store, "Huawei built Kenya's safe city.", "Reuters", country="KEN", technology="safe_city",
                    supplier="Huawei", supplier_country="CHN", stage="installed")
    b = _doc_claims(store, "Kenya's safe city by Huawei is running.", "BBC", country="KEN", technology="safe_city",
                    supplier="Huawei", supplier_country="CHN", stage="operational")
    store.refresh_cases()
    case = _case_of(store, a.id)
    assert _case_of(store, b.id) == case

    def row() -> dict[str, object]:
        with store.engine.connect() as c:
            found = dict(c.execute(sa.select(schema.cases).where(schema.cases.c.id == case)).one()._mapping)
        return {k: v for k, v in found.items() if k != "updated_at"}

    store.update_claim(a.id, {"status": "accepted"}, "alice", 1)
    store.update_claim(b.id, {"status": "rejected"}, "alice", 1, reason="duplicate")
    from survindex.store import cases as store_cases

    assert store_cases.pending(store) == 0  # no country waits for a rebuild
    after_review = row()
    assert after_review["status"] == "accepted" and after_review["unreviewed"] == 0
    store.refresh_cases(everything=True)
    assert row() == after_review
