# Two commands for a newcomer: `make demo` and `make test`. Each creates (or reuses) .venv.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint unit bench lab clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mailops demo

lint: $(STAMP)
	$(BIN)/ruff check mailops tests bench
	$(BIN)/ruff format --check mailops tests bench
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint unit

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH)

# JupyterLab in Spanish, without the "news" prompt, opened on the notebooks
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

lab: $(STAMP)
	mkdir -p $(LAB_SETTINGS)
	printf '%s\n' '{"@jupyterlab/translation-extension:plugin": {"locale": "es_ES"},' \
	  ' "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	  > $(LAB_SETTINGS)/overrides.json
	$(BIN)/jupyter lab notebooks

clean:
	rm -rf $(VENV) .mailops .mypy_cache .ruff_cache .pytest_cache
