# Two commands set everything up on a fresh machine:
#   make serve   install, build the index if needed, serve on http://127.0.0.1:8000
#   make test    install (with test tools and Chromium), run the tests and the evaluation gate
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Stamps, as make does it: pip runs again only when pyproject.toml is newer than the last install.
INSTALLED := $(VENV)/.installed
INSTALLED_TEST := $(VENV)/.installed-test

.PHONY: serve test install install-test browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# The test install is a superset of the plain one: it renews both stamps.
$(INSTALLED_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[st,test]"
	touch $@ $(INSTALLED)

install: $(INSTALLED)

install-test: $(INSTALLED_TEST)

# Headless Chromium for the browser tests, and CJK fonts for its screenshots; no recommended extras
# (desktop notification, printing and GPU packages a headless browser never uses).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk; }

serve: install
	$(BIN)/clause-qa serve

test: install-test browser
	$(BIN)/python -m pytest
	$(BIN)/clause-qa eval --split test --out artifacts/eval --quiet --thresholds
