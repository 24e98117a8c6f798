"""``python -m survindex.demo [--db DB]``: load the example evidence set and print its counts as JSON.

A thin entry point for ``make demo`` until the CLI grows a command for it; errors use the project's one shape
(``Error: <what>: <why>. <fix>``) and exit 1.
"""

from __future__ import annotations

import argparse
import json
import sys

from survindex import settings
from survindex.demo import DemoDataError, load_examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m survindex.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=settings.load().db,
                        help="SQLite file or database URL (default: SURVINDEX_DB or ./survindex.db)")
    args = parser.parse_args(argv)
    try:
        from survindex.store import open_store

        counts = load_examples(open_store(args.db))
    except DemoDataError as exc:
        print(f"Error: example evidence set: {exc}. Fix src/survindex/demo/examples.yaml or the reference registry.",
              file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - any store failure gets the one error shape
        print(f"Error: database {args.db}: {exc}. Check --db / SURVINDEX_DB.", file=sys.stderr)
        return 1
    print(json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
