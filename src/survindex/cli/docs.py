"""The CLI reference, generated from ``--help`` so it cannot drift (docs/cli.md)."""

from __future__ import annotations

import click


def _walk(cmd: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    out = [(path, cmd)]
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.commands):
            out.extend(_walk(cmd.commands[name], path + [name]))
    return out


def cli_reference(root: click.Group) -> str:
    """Markdown with the ``--help`` text of every command and subcommand."""
    lines = ["# survindex command-line reference", "",
             "Generated from `--help` by `make docs` (`python scripts/gen_docs.py`); a test fails when it is stale.", ""]
    for path, cmd in _walk(root, ["survindex"]):
        ctx = click.Context(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100,
                            help_option_names=["-h", "--help"])
        lines += [f"## `{' '.join(path)}`", "", "```text", cmd.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(lines)
