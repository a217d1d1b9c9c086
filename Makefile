# Two commands set everything up on a fresh machine:
#   make serve   install, build the index if needed, serve on http://127.0.0.1:8000
#   make test    install (with test tools and Chromium), run the tests and the evaluation gate
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test install install-test browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[st,test]"

browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk; }

serve: install
	$(BIN)/clause-qa serve

test: install-test browser
	$(BIN)/python -m pytest
	$(BIN)/clause-qa eval --split test --out artifacts/eval --quiet --thresholds
