"""Regenerate the reference docs that tests keep current: CLI, vocabulary, settings, web routes."""

from pathlib import Path

from survindex.cli import cli
from survindex.cli.docs import cli_reference
from survindex.model.jsonschema import vocabulary_markdown
from survindex.settings import settings_markdown


def web_markdown() -> str:
    import tempfile

    from survindex.web.app import create_app
    from survindex.web.routes_doc import routes_markdown

    with tempfile.TemporaryDirectory() as tmp:
        return routes_markdown(create_app(str(Path(tmp) / "docs.db"), secret="docs"))


docs = Path(__file__).resolve().parents[1] / "docs"
for name, text in {"cli.md": cli_reference(cli), "vocabulary.md": vocabulary_markdown(),
                   "settings.md": settings_markdown(), "web.md": web_markdown()}.items():
    (docs / name).write_text(text, "utf-8")
    print(f"wrote docs/{name}")
