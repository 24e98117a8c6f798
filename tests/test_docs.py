"""Docs that cannot drift: the CLI reference is generated from --help and must be current."""

from __future__ import annotations

from pathlib import Path

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


def test_every_setting_is_documented() -> None:
    import re

    from survindex.settings import VARIABLES, settings_markdown

    used = set()
    for path in (ROOT / "src" / "survindex").rglob("*.py"):
        used.update(re.findall(r"SURVINDEX_[A-Z_]+[A-Z]", path.read_text("utf-8")))
    assert used <= set(VARIABLES), f"undocumented settings: {sorted(used - set(VARIABLES))}"
    assert (ROOT / "docs" / "settings.md").read_text("utf-8") == settings_markdown(), "run `make docs`"


def test_every_web_route_is_documented(tmp_path: Path) -> None:
    from survindex.web.app import create_app
    from survindex.web.routes_doc import routes_markdown

    current = (ROOT / "docs" / "web.md").read_text("utf-8")
    assert current == routes_markdown(create_app(str(tmp_path / "d.db"), secret="docs")), "run `make docs`"
