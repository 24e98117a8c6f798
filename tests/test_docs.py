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
