# The two commands of the README: `make demo` and `make test`.
# Each creates .venv on first use and installs what it needs from the package registries.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
OUT := out

.PHONY: demo test install install-dev docs bench clean screenshots

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
	@# The room: Geneva under one-text, agents in three delegation seats; the envoy and the Government are
	@# people. Made once (its links are kept in out/geneva-room.json); run again, it reopens where it was left.
	test -f $(OUT)/geneva-room.json || ( $(BIN)/accord room create examples/geneva-2017.yaml --protocol one-text \
		--agents "High Negotiations Committee=boulware,Moscow platform=boulware,Cairo platform=boulware" \
		--db sqlite:///$(OUT)/geneva-room.db --json > $(OUT)/geneva-room.json.part \
		&& mv $(OUT)/geneva-room.json.part $(OUT)/geneva-room.json )
	@$(BIN)/python -c 'import json; room = json.load(open("$(OUT)/geneva-room.json")); \
		link = lambda seat: "http://127.0.0.1:8000/join/" + room["seats"][seat]["token"]; \
		print("The envoy'"'"'s console:          ", link("UN Special Envoy")); \
		print("The Government'"'"'s delegation desk:", link("Government"))'
	$(BIN)/accord serve --db sqlite:///$(OUT)/geneva-room.db --host 127.0.0.1 --port 8000

test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest

# The README's screenshots of the envoy's console and a delegation desk, from the browser tests.
screenshots: $(VENV)/.installed-dev
	ACCORD_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/browser/test_one_text_session.py

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
