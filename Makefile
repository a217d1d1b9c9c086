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

.PHONY: serve test install install-test browser calibrate

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

# Two test processes (pytest-xdist), a test file each at a time, so that a module's fixtures (a layout
# corpus's index, a served app) are built once: much of the suite waits on a browser, a server or Python,
# not on both cores (measured 2026-12-03: 408 s against 575 s in one process).
test: install-test browser
	$(BIN)/python -m pytest -n 2 --dist loadfile
	$(BIN)/clause-qa eval --split test --out artifacts/eval --quiet --thresholds

# Refit the answer layer (qa/calibration.json) on every dev split: the seed's, and five layout gold sets,
# each on its own corpus of layout test documents (copied out: tests/data/layouts is not a corpus).
LAYOUTS := tests/data/layouts
LAYOUT_GOLD_DOCS := qinghe-2024-trailing luting-2023-tab-table lanyu-2025-unit-sections \
	beitang-2024-labelled-lines jiangzhu-2024-yishi fengdu-2024-cell-lines xiaotang-2024-paren-items
LAYOUT_DEV_DOCS := yanbo-2023-leader-sections.txt liuting-2024-inline-labels.txt luwan-2024-pipe-table.md \
	nanyu-2023-progress.html xiuchuan-2022-hexagon-brackets.txt huichuan-2022-opinion-issuer.txt \
	weitang-2024-restart-rule.txt luyu-2024-unnumbered-rows.txt hetang-2023-news-lead.txt \
	yuecheng-2020-zhuzhua-rule.txt 桐溪区2024年重点工作分工.txt zhangyu-2008-hanzi-date.txt
LAYOUT_DEV2_DOCS := huailing-2023-meta-block.txt jichuan-2021-traditional.txt liugang-2023-gb18030.txt \
	wangchuan-2023-extract.txt xingwan-2023-bar-cells.txt yuze-2024-annex-list.txt zhetang-2024-bracketed-notice.txt \
	yunchuan-songling-2024-pair.txt qingyu-2024-group-notes.txt tanjing-2025-wrapped-title-tail.txt
LAYOUT_DEV3_DOCS := yupu-2025-notice-segments.txt jialong-2024-shishi-table.txt zhuao-2024-three-level.txt \
	cangli-2025-implementation.txt yaomei-2025-web-labels.txt
LAYOUT_DEV4_DOCS := tanwu-2025-circled-steps.txt yuanfu-2024-labels-before-text.txt kezhou-2024-parts-leader-notes.txt \
	shenping-2024-you-lead-first.txt hejing-2024-space-row-table.txt
calibrate: install-test
	rm -rf var/calibrate-docs && mkdir -p var/calibrate-docs/layouts var/calibrate-docs/layouts-dev \
		var/calibrate-docs/layouts-dev2 var/calibrate-docs/layouts-dev3 var/calibrate-docs/layouts-dev4
	cp $(foreach d,$(LAYOUT_GOLD_DOCS),$(LAYOUTS)/$(d).txt) var/calibrate-docs/layouts/
	cp $(foreach d,$(LAYOUT_DEV_DOCS),$(LAYOUTS)/$(d)) var/calibrate-docs/layouts-dev/
	cp $(foreach d,$(LAYOUT_DEV2_DOCS),$(LAYOUTS)/$(d)) var/calibrate-docs/layouts-dev2/
	cp $(foreach d,$(LAYOUT_DEV3_DOCS),$(LAYOUTS)/$(d)) var/calibrate-docs/layouts-dev3/
	cp $(foreach d,$(LAYOUT_DEV4_DOCS),$(LAYOUTS)/$(d)) var/calibrate-docs/layouts-dev4/
	$(BIN)/python -m evaluation.calibrate --write \
		--also evaluation/gold-layouts.jsonl=var/calibrate-docs/layouts \
		--also evaluation/gold-layouts-dev.jsonl=var/calibrate-docs/layouts-dev \
		--also evaluation/gold-layouts-dev2.jsonl=var/calibrate-docs/layouts-dev2 \
		--also evaluation/gold-layouts-dev3.jsonl=var/calibrate-docs/layouts-dev3 \
		--also evaluation/gold-layouts-dev4.jsonl=var/calibrate-docs/layouts-dev4
