"""Long-form news (issue 8): document structure, who deploys, what is not a deployment, one claim per fact.

The sentences here are made up for the rule they test (none is a line of the gold sets); the gold sets are run at
the end when ../shared is beside the checkout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survindex.extract import extract
from survindex.extract.structure import find_date, published_date, structure

# A paragraph of filler long enough to make any text a long document (news mode starts at 700 characters).
FILLER = " ".join(["The weather in the region stayed mild for most of the season and the markets opened on time."] * 8)


def facts(sentence: str) -> set[tuple[str | None, str | None, str | None]]:
    text = f"Report\n\n{sentence}\n\n{FILLER}\n"
    return {(c.country, c.technology, c.supplier) for c in extract("t", text) if c.kind == "deployment"}


# -- document structure --------------------------------------------------------------------------------------
def test_inline_link_keeps_the_sentence_whole() -> None:
    text = ("Title line\n\nThe interior ministry of Bolivia\n[bought](https://example.org/a?b=c)\nspyware from "
            "[NSO Group](https://example.org/nso) in 2020.\n\n" + FILLER)
    mask = structure(text).mask
    assert len(mask) == len(text)
    assert "bought" in mask and "https" not in mask
    [claim] = [c for c in extract("d", text) if c.kind == "deployment"]
    assert claim.quote == text[claim.start:claim.end] and "bought" in claim.quote and "NSO Group" in claim.quote


@pytest.mark.parametrize("text, iso", [
    ("---\ntitle: x\ndate: 2024-03-05T10:00:00Z\n---\nBody text.", "2024-03-05"),
    ("Headline\n\nDate: 7 February 2023\n\nBody text.", "2023-02-07"),
    ("Headline\n\nBody text.\n\n[Posted on January 27, 2026 at 7:01 AM](https://blog.example/x)", "2026-01-27"),
    ('<meta property="article:published_time" content="2021-11-30T08:00:00+00:00">\nBody', "2021-11-30"),
    ("Headline\n\nBy Jane Roe | March 3, 2020\n\nBody text.", "2020-03-03"),
])
def test_published_date_from_front_matter_date_lines_and_metadata(text: str, iso: str) -> None:
    assert structure(text).published == iso
    assert published_date(text) == iso


def test_find_date_reads_three_writings() -> None:
    assert find_date("on 2019-12-31 at noon") == "2019-12-31"
    assert find_date("Sept. 4, 2018") == "2018-09-04"
    assert find_date("4th September 2018") == "2018-09-04"
    assert find_date("no date here") is None


_PROSE = st.sampled_from([
    "Ruritanian police bought spyware from NSO Group in 2020.",
    "The interior ministry of Freedonia installed 500 CCTV cameras supplied by Hikvision.",
    "Officials in Sylvania said the weather was fine.",
    "Analysts wrote about markets and harvests across the region.",
])
_FURNITURE = st.sampled_from([
    "Tags: [spyware](https://x.example/t/s) , [Ruritania](https://x.example/t/r)",
    "[Posted on May 2, 2024 at 9:00 AM](https://x.example/p) • [3 Comments](https://x.example/c)",
    "![Ruritanian police bought spyware from NSO Group](https://x.example/i.jpg)",
    "Photo: Freedonian police installed CCTV cameras supplied by Hikvision.",
    "[Freedonian police deploy facial recognition cameras](https://x.example/a)\n"
    "[Sylvanian army buys Pegasus spyware](https://x.example/b)",
    "Related stories\n\n[Ruritania buys spyware](https://x.example/r)\n\n[Freedonia installs cameras](https://x.example/f)",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PROSE, _FURNITURE), min_size=1, max_size=8))
def test_furniture_never_yields_claims_and_spans_quote_the_text(blocks: list[str]) -> None:
    text = "Headline of the page\n\n" + "\n\n".join(blocks) + "\n\n" + FILLER
    shape = structure(text)
    assert len(shape.mask) == len(text)
    for c in extract("p", text):
        assert text[c.start:c.end] == c.quote
        for e in c.evidence:
            assert text[e["start"]:e["end"]] == e["quote"]
        spans = [(c.start, c.end)] + [(e["start"], e["end"]) for e in c.evidence]
        for a, b in shape.furniture:
            assert all(y <= a or x >= b for x, y in spans), (c.quote, text[a:b])


# -- who deploys ---------------------------------------------------------------------------------------------
def test_a_named_public_body_resolves_to_its_state() -> None:
    assert ("USA", "digital_forensics", "Grayshift") in facts("The FBI used a GrayKey device to open the phone.")


def test_a_demonym_before_an_actor_noun_is_the_deployer() -> None:
    assert facts("Zambian police bought Pegasus spyware in 2021.") == {("ZMB", "spyware", "NSO Group")}


def test_a_city_possessive_puts_the_cameras_in_its_country() -> None:
    assert ("ZMB", "video_surveillance", None) in facts("Lusaka's 900 CCTV cameras are watched by the police.")


def test_the_recipient_of_a_sale_is_the_deployer_not_the_seller() -> None:
    assert facts("A vendor sold interception equipment to Peru's national police last year.") == {
        ("PER", "network_interception", None)}


def test_the_agent_of_a_purchase_is_the_deployer() -> None:
    assert facts("Spyware was bought by Paraguay in 2019.") == {("PRY", "spyware", None)}


def test_a_leaders_government_resolves_to_the_state() -> None:
    assert facts("The Orbán government deployed Pegasus against reporters.") == {("HUN", "spyware", "NSO Group")}


def test_the_country_that_acts_is_the_deployer_not_the_target() -> None:
    assert {c for c, _, _ in facts("Israel's intelligence hacked traffic cameras in Tehran.")} == {"ISR"}


def test_a_victims_or_researchers_country_is_no_deployer() -> None:
    assert facts("Researchers at a university in Canada found spyware on phones of reporters in Togo.") == set()


def test_an_actor_that_only_speaks_is_a_source() -> None:
    assert "NLD" not in {c for c, _, _ in facts("Dutch officials said the crooks used spyware on victims.")}


# -- is it a deployment ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "The Zambian government was sued in court over its facial recognition cameras.",       # lawsuit
    "The United States sanctioned the makers of Predator spyware.",                      # sanctions
    "Lawmakers in Peru proposed a bill that would ban facial recognition by police.",      # proposal
    "The ministry denied that Bolivian police use facial recognition cameras.",            # denial
    "Journalists used facial recognition software to identify soldiers from Ruritania.",   # someone else's use
    "Six hackers were arrested by Nigerian authorities for selling spyware.",              # arrests
])
def test_frames_that_report_no_deployment(sentence: str) -> None:
    assert facts(sentence) == set()


# -- suppliers ---------------------------------------------------------------------------------------------------
def test_a_product_name_gives_its_vendor() -> None:
    assert ("MAR", "spyware", "NSO Group") in facts("Moroccan authorities used Pegasus against reporters.")


def test_an_ngo_is_never_the_supplier() -> None:
    got = facts("Amnesty International said Moroccan authorities used Pegasus against reporters.")
    assert got == {("MAR", "spyware", "NSO Group")}


# -- one claim per fact ------------------------------------------------------------------------------------------
def test_one_claim_per_fact_with_the_other_sentences_as_evidence() -> None:
    text = ("Report\n\nGhanaian police installed CCTV cameras in the capital in 2019.\n\n" + FILLER +
            "\n\nThe Ghanaian police later added more CCTV cameras along the coast.\n\n"
            "Ghanaian police CCTV cameras now cover every district.\n")
    claims = [c for c in extract("m", text) if c.kind == "deployment"]
    assert [(c.country, c.technology) for c in claims] == [("GHA", "video_surveillance")]
    assert len(claims[0].evidence) == 2
    assert all(text[e["start"]:e["end"]] == e["quote"] for e in claims[0].evidence)


# -- the gold sets ---------------------------------------------------------------------------------------------
THRESHOLDS = {  # a little below what the extractor reaches (README: news-dev numbers)
    "news-dev-a.jsonl": {"fact_recall": 0.8, "precision": 0.78, "false_alarm_rate": 0.06, "claims_per_fact": 1.3,
                         "supplier_f1": 0.8},
    "news-dev-b.jsonl": {"fact_recall": 0.9, "precision": 0.78, "false_alarm_rate": 0.1, "claims_per_fact": 1.2,
                         "supplier_f1": 0.78},
}


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_news_dev_sets_meet_their_targets(shared: Path, tmp_path: Path, name: str) -> None:
    from click.testing import CliRunner

    from survindex.cli import cli

    gold = shared / "gold" / name
    if not gold.exists():
        pytest.skip(f"{gold} is absent: the news gold sets come with ../shared")
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n"
                            for d in map(json.loads, gold.read_text(encoding="utf-8").splitlines()) if d),
                    encoding="utf-8")
    claims = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(cli, ["extract", "-i", str(docs), "-o", str(claims)])
    assert result.exit_code == 0, result.output
    out = subprocess.run([sys.executable, str(shared / "tools" / "score_facts.py"), str(gold), str(claims)],
                         capture_output=True, text=True, check=True).stdout
    got = json.loads(out)
    want = THRESHOLDS[name]
    assert got["fact_recall"] >= want["fact_recall"], got
    assert got["precision"] >= want["precision"], got
    assert got["false_alarm_rate"] <= want["false_alarm_rate"], got
    assert got["claims_per_fact"] <= want["claims_per_fact"], got
    assert got["supplier"]["f1"] >= want["supplier_f1"], got
    evaluated = CliRunner().invoke(cli, ["evaluate", str(gold), "--json"])
    assert evaluated.exit_code == 0 and json.loads(evaluated.output) == got  # the project's evaluate agrees
