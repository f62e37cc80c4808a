# Maître AO — every command sets itself up: `make run` and `make test` install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
endif
PY := $(BIN)/python
STAMP := $(VENV)/.installed
LOCK := requirements/requirements.lock
CHECKED := app local_store sync server ui

.PHONY: install run test lint imports typecheck pytest bench score server fuzz render tour package lock clean

install: $(STAMP)

$(STAMP): $(LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: install
	$(BIN)/maitre-ao

lint: install
	$(BIN)/ruff check app ui sync local_store server tests bench packaging
	$(BIN)/ruff format --check app ui sync local_store server tests bench packaging

typecheck: install
	$(BIN)/mypy $(CHECKED)

# The house walls of ARCHITECTURE.md (contracts in pyproject.toml, [tool.importlinter]).
imports: install
	$(BIN)/lint-imports

pytest: install
	# python -m pytest puts the project folder on sys.path first: the CI-only plugin (tests.server.ci_postgres,
	# given with -p by .ci/run) is imported before pytest would add it.
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

test: lint imports typecheck pytest

bench: install
	@for b in bench/*.py; do echo "== $$b"; QT_QPA_PLATFORM=offscreen $(PY) $$b || exit 1; done

# Offline analysis scored against every truth file of ../shared/corpus/truth (skips without it).
score: install
	$(PY) bench/score.py $(if $(VERBOSE),--verbose)

server: install
	$(BIN)/maitre-ao-server migrate && $(BIN)/maitre-ao-server serve

fuzz: install
	$(PY) -m tests.server.fuzz

# make render DIR=out : renders DIR/memoire.docx to PDF with LibreOffice and prints its page count
render: install
	$(PY) -m app.export.render $(DIR)

# make tour DIR=build/tour : a PNG of every screen and tab, light and dark (how the UI gets reviewed);
# SIZE=1920x1080 SCALE=1.5 for another screen, CHECK=1 to list clipped text, codes and English words
tour: install
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.tour $(or $(DIR),build/tour) --size $(or $(SIZE),1280x800) \
		--scale $(or $(SCALE),1) $(if $(CHECK),--check)

package: install
	$(BIN)/pyinstaller --noconfirm --clean packaging/maitre_ao.spec
	$(PY) bench/package.py

# Refresh the lock after editing requirements/requirements.in (needs network to PyPI).
lock:
	$(PYTHON) -m pip install --quiet uv && $(PYTHON) -m uv pip compile --universal --python-version 3.11 \
	  --generate-hashes requirements/requirements.in -o $(LOCK)

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
