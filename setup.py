"""Optional compiled build: ``SURVINDEX_COMPILE=1 pip install .`` compiles the extraction modules with mypyc
(about 1.5x faster extraction; needs a C compiler and the Python headers). Without it the package is pure Python,
and an editable install always stays pure (a compiled module would shadow its edited source)."""

import os

from setuptools import setup

# The hot path of ``survindex extract``: pure functions over strings, typed under mypy --strict
# (tests/test_compiled.py compiles the same list and checks the output is identical to pure Python).
COMPILED_MODULES = ("text", "gazetteer", "facts", "rules", "cues", "orgs", "techpatterns", "pipeline", "emit", "reach",
                    "money")
COMPILED = [f"src/survindex/extract/{name}.py" for name in COMPILED_MODULES]

ext_modules = []
if os.environ.get("SURVINDEX_COMPILE", "").strip() in ("1", "true", "yes"):
    from mypyc.build import mypycify

    ext_modules = mypycify(["--config-file", "pyproject.toml", *COMPILED], opt_level="3")

setup(ext_modules=ext_modules)
