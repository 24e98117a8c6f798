"""``survindex evaluate`` prints exactly what the reference scorer prints, and the dev targets hold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from survindex.cli import cli
from survindex.extract.evaluate import render_json, score

GOLD = ("eff-border.jsonl", "gcdf-titles.jsonl")


def _run_evaluate(path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["evaluate", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("name", GOLD)
def test_evaluate_json_equals_reference_scorer(shared: Path, tmp_path: Path, name: str) -> None:
    gold = shared / "gold" / name
    claims = tmp_path / "claims.jsonl"
    docs = "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n"
                   for d in map(json.loads, gold.read_text(encoding="utf-8").splitlines()) if d)
    (tmp_path / "docs.jsonl").write_text(docs, encoding="utf-8")
    out = CliRunner().invoke(cli, ["extract", "-i", str(tmp_path / "docs.jsonl"), "-o", str(claims)])
    assert out.exit_code == 0, out.output
    reference = subprocess.run([sys.executable, str(shared / "tools" / "score_claims.py"), str(gold), str(claims)],
                               capture_output=True, text=True, check=True).stdout
    assert _run_evaluate(gold, "--json") == reference


def test_port_matches_reference_on_hand_made_claims(shared: Path, tmp_path: Path) -> None:
    """Edge cases the extractor may never produce: aliases, suffixes, missing fields, unknown documents."""
    gold_path = shared / "gold" / "gcdf-titles.jsonl"
    gold = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    claims = [
        {"doc_id": gold[0]["id"], "kind": "financing", "financier": "China Exim Bank", "flow_type": "loan",
         "technology": "safe_city", "country": "PAK"},
        {"doc_id": gold[1]["id"], "kind": "deployment", "technology": "other"},
        {"doc_id": gold[2]["id"], "kind": "deployment", "technology": "video_surveillance", "country": None},
        {"doc_id": "not-in-gold", "kind": "deployment", "technology": "drone"},
    ]
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    reference = subprocess.run([sys.executable, str(shared / "tools" / "score_claims.py"), str(gold_path),
                                str(path)], capture_output=True, text=True, check=True).stdout
    assert render_json(score(gold, claims)) + "\n" == reference


def test_dev_targets(shared: Path) -> None:
    eff = json.loads(_run_evaluate(shared / "gold" / "eff-border.jsonl", "--json"))
    assert eff["technology"]["f1"] >= 0.92
    assert eff["supplier"]["f1"] >= 0.85
    assert eff["country"]["f1"] >= 0.95
    gcdf = json.loads(_run_evaluate(shared / "gold" / "gcdf-titles.jsonl", "--json"))
    assert gcdf["surveillance_relevance"]["f1"] >= 0.92
    assert gcdf["financier_accuracy"] >= 0.95 and gcdf["flow_type_accuracy"] >= 0.95
    assert gcdf["technology_accuracy"] >= 0.90 and gcdf["country_accuracy_when_named"] >= 0.95


def test_evaluate_table_and_errors(shared: Path, tmp_path: Path) -> None:
    table = _run_evaluate(shared / "gold" / "gcdf-titles.jsonl")
    assert "surveillance_relevance" in table and "precision" in table
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot read")
