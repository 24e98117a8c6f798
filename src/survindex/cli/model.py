"""``survindex vocabulary`` and ``survindex schema``: the vocabulary and the claim JSON Schema."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from survindex.model import vocabulary
from survindex.model.jsonschema import claim_schema, vocabulary_markdown


def register(group: click.Group) -> None:
    group.add_command(vocabulary_cmd)
    group.add_command(schema_cmd)


@click.command("vocabulary")
@click.option("--json", "as_json", is_flag=True, help="Print the vocabulary as JSON.")
@click.option("--markdown", is_flag=True, help="Print the Markdown reference (docs/vocabulary.md).")
def vocabulary_cmd(as_json: bool, markdown: bool) -> None:
    """Technology taxonomy, claim kinds, stages and statuses."""
    v = vocabulary()
    if markdown:
        click.echo(vocabulary_markdown(), nl=False)
    elif as_json:
        click.echo(json.dumps(asdict(v), indent=1, ensure_ascii=False))
    else:
        for t in v.technologies.values():
            click.echo(f"{t.key:26} {t.aigs or '-':26} {t.label}")


@click.command("schema")
def schema_cmd() -> None:
    """JSON Schema of a claim line (the output of `survindex extract`)."""
    click.echo(json.dumps(claim_schema(), indent=1))
