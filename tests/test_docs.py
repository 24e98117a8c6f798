"""Docs that cannot drift: the CLI reference is generated from --help and must be current."""

from __future__ import annotations

from tests.conftest import ROOT

from survindex.cli import cli
from survindex.cli.docs import cli_reference


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert current == cli_reference(cli), "docs/cli.md is stale: run `make docs` and commit it"


def test_every_command_is_in_the_readme_or_docs() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    for name in cli.commands:
        assert f"survindex {name}" in text, f"README.md does not show `survindex {name}`"


def test_vocabulary_reference_is_current() -> None:
    from survindex.model.jsonschema import vocabulary_markdown

    current = (ROOT / "docs" / "vocabulary.md").read_text("utf-8")
    assert current == vocabulary_markdown(), "docs/vocabulary.md is stale: run `make docs` and commit it"


def test_claim_schema_accepts_a_real_claim() -> None:
    import jsonschema

    from survindex.model import Claim
    from survindex.model.jsonschema import claim_schema

    c = Claim(doc_id="doc-x", kind="deployment", quote="q", extractor="t", extractor_version="1", country="KEN",
              technology="facial_recognition")
    jsonschema.validate(c.to_dict(), claim_schema())
