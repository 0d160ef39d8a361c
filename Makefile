# The two commands of the README: `make demo` and `make test`.
# Each creates .venv on first use and installs what it needs from the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT := out

.PHONY: demo test install install-dev docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	mkdir -p $(OUT)
	$(BIN)/accord analyze examples/geneva-2017.yaml --plot $(OUT)/geneva-2017-utility-space.png
	$(BIN)/accord run examples/geneva-2017.yaml --protocol one-text --seed 1 --report $(OUT)/geneva-2017-one-text.html
	$(BIN)/accord forecast examples/geneva-2017.yaml --model expected-utility --samples 200 --seed 1 \
		--plot $(OUT)/geneva-2017-forecast.png

test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest

# The documentation site, into site/ (the reference pages are generated from the code).
docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

$(VENV)/.installed-docs: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@ $(VENV)/.installed

bench: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/pareto_frontier.py
	$(BIN)/python bench/exact_frontier_at_scale.py
	$(BIN)/python bench/sessions.py

clean:
	rm -rf $(VENV) $(OUT) site .pytest_cache .mypy_cache .ruff_cache
