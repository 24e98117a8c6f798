# survindex: two commands matter. `make demo` builds the report from the embedded defaults; `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
VENDOR := src/survindex/report/static/vendor
OUT ?= build/site

.PHONY: demo test install assets bytecode compiled system-deps bench docs clean serve

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENDOR)/.stamp: assets/package.json assets/package-lock.json scripts/assets.sh
	bash scripts/system-deps.sh npm
	bash scripts/assets.sh

assets: $(VENDOR)/.stamp

install: $(STAMP) assets bytecode

# Compiled bytecode for the editable source tree, as a regular install has: a command then starts ~60 ms sooner
# (PYTHONDONTWRITEBYTECODE, set on some machines, would otherwise make every run compile every module again).
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src

system-deps:
	PY=$(PY) bash scripts/system-deps.sh all

# The optional compiled build (mypyc) of the extractor, beside the editable install rather than in it: the
# benchmarks run `survindex extract` both ways (PYTHONPATH=build/compiled picks the compiled package).
COMPILED := build/compiled
$(COMPILED)/.stamp: $(STAMP) setup.py $(wildcard src/survindex/extract/*.py)
	rm -rf $(COMPILED)
	SURVINDEX_COMPILE=1 $(BIN)/pip install -q --no-deps --target $(COMPILED) .
	touch $@

compiled: system-deps $(COMPILED)/.stamp

demo: install
	$(BIN)/survindex demo --db build/demo.db --out $(OUT)

test: install system-deps
	bash scripts/test.sh

bench: install system-deps compiled
	$(BIN)/pip install -q -e '.[bench]'
	SURVINDEX_BENCH_PG_URL=$$(bash scripts/pg.sh start) $(BIN)/python benchmarks/run_all.py; rc=$$?; bash scripts/pg.sh stop; exit $$rc

docs: install
	$(BIN)/python scripts/gen_docs.py

serve: install
	$(BIN)/survindex serve --db build/demo.db

clean:
	rm -rf build .pytest_cache
