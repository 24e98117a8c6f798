# survindex: two commands matter. `make demo` builds the report from the embedded defaults; `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
VENDOR := src/survindex/report/static/vendor
OUT ?= build/site

.PHONY: demo test install assets system-deps bench docs clean serve

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VENDOR)/.stamp: assets/package.json assets/package-lock.json scripts/assets.sh
	bash scripts/system-deps.sh npm
	bash scripts/assets.sh

assets: $(VENDOR)/.stamp

install: $(STAMP) assets

system-deps:
	bash scripts/system-deps.sh all

demo: install
	$(BIN)/survindex demo --db build/demo.db --out $(OUT)

test: install system-deps
	bash scripts/test.sh

bench: install system-deps
	$(BIN)/pip install -q -e '.[bench]'
	SURVINDEX_BENCH_PG_URL=$$(bash scripts/pg.sh start) $(BIN)/python benchmarks/run_all.py; rc=$$?; bash scripts/pg.sh stop; exit $$rc

docs: install
	$(BIN)/python scripts/gen_docs.py

serve: install
	$(BIN)/survindex serve --db build/demo.db

clean:
	rm -rf build .pytest_cache
