"""Print docs/cli.md: the --help text of every survindex command."""

from survindex.cli import cli
from survindex.cli.docs import cli_reference

print(cli_reference(cli), end="")
