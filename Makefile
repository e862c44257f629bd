# oncofed: two set-up commands, `make demo` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
ONCOFED := $(VENV)/bin/oncofed
PATIENTS ?= 5000
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint typecheck pytest serve bench clean system-deps i18n compile

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c requirements.lock -e '.[dev]'
	@touch $@

## make compile: the notes readers compiled with mypyc into build/compiled/ (skipped without a C compiler;
# loaded only while their sources are unchanged, ONCOFED_PURE=1 forces pure Python: docs/DEVELOPING.md)
compile: $(VENV)/.installed
	$(PY) scripts/compile_readers.py

## make demo: install, build the demo network into var/oncofed.sqlite3, serve http://$(HOST):$(PORT)
demo: $(VENV)/.installed compile
	$(ONCOFED) demo --patients $(PATIENTS) --host $(HOST) --port $(PORT)

serve: $(VENV)/.installed
	$(ONCOFED) serve --host $(HOST) --port $(PORT)

system-deps:
	@bash scripts/ensure-system-deps.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

## make test: lint, type checks, and the whole suite on SQLite and a throw-away PostgreSQL
# PYTEST_DEBUG_TEMPROOT: this run's temporary folders in a folder of its own, so another pytest run of the same
# user (pytest keeps only the newest 3 `pytest-N` folders) never deletes the shared demo database under it
pytest: $(VENV)/.installed system-deps compile
	PYTEST_DEBUG_TEMPROOT=$$(mktemp -d -t oncofed-pytest.XXXXXX) bash scripts/with-postgres.sh $(VENV)/bin/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

## make i18n: extract every translatable text (templates, Python) and update the catalogues (docs/DEVELOPING.md)
LOCALE := src/oncofed/resources/locale
i18n: $(VENV)/.installed
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k NP_:1c,2 -k NN_:1,2 --add-comments=TRANSLATORS: --no-location \
		--project=oncofed --version=0.1.0 --copyright-holder="the oncofed contributors" -o $(LOCALE)/oncofed.pot .
	$(VENV)/bin/pybabel -q update -i $(LOCALE)/oncofed.pot -d $(LOCALE) -D oncofed --ignore-obsolete

bench: $(VENV)/.installed
	$(PY) -m benchmarks.run_all

clean:
	rm -rf $(VENV) var build .pytest_cache .mypy_cache .ruff_cache
