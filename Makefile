# Two commands do all the set-up: `make book` and `make test` (see README.md).
# Needs only Python 3.11+ and make; everything else is installed into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SANITIZE := tests/sanitize.cfg
NBVAL_ARGS := --nbval --nbval-current-env --nbval-sanitize-with $(SANITIZE) --nbval-cell-timeout=600

.PHONY: help venv vendor browser fonts book pdf test lint unit nbval e2e lab notebooks translations assignments clean

help:
	@echo "make book       build the HTML book into _build/html (Chinese edition: _build/html/zh)"
	@echo "make test       lint, unit tests, strict nbval over every notebook, end-to-end tests"
	@echo "make pdf        the whole book as one PDF in _build/pdf (Debian's chromium)"
	@echo "make lint       ruff: lint and format check (fix: .venv/bin/ruff format . && .venv/bin/ruff check --fix .)"
	@echo "make unit       the package's unit tests and doctests (no npm, no browser)"
	@echo "make e2e        strict book build, the built book in chromium, a JupyterLab session"
	@echo "make lab        JupyterLab on the book, to run the notebooks yourself"
	@echo "make notebooks  re-execute every notebook in place (the one way outputs are made)"
	@echo "make translations  refresh the Chinese catalogues after editing English text (locale/)"
	@echo "make assignments  the exercises as an nbgrader course in _build/nbgrader (teachers)"
	@echo "make clean      remove the build, caches and .venv"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; this is " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# JupyterLab settings for this venv (no news pop-up, no update check): `make venv`/`make lab`
# copy them where JupyterLab reads a Python environment's defaults.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_OVERRIDES): tools/jupyterlab_overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	cp $< $@

venv: $(STAMP) $(LAB_OVERRIDES)

# The book serves MathJax, require.js and the widget manager itself (it works offline):
# pinned in package.json / package-lock.json, installed from the npm registry.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 18+) is needed for the book's offline JavaScript: sudo apt-get install nodejs npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

book/assets/vendor/.installed: node_modules/.installed $(STAMP) tools/vendor_assets.py tools/widgets-offline.js
	$(BIN)/python tools/vendor_assets.py
	@touch $@

vendor: book/assets/vendor/.installed

# Test-only Python packages: ruff (lint), joblib (the parallel experiments are tested).
$(VENV)/.installed-test: $(STAMP) requirements-test.txt requirements-teach.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	@touch $@

# End-to-end test packages (Playwright, to drive the browser).
$(VENV)/.installed-e2e: $(VENV)/.installed-test requirements-e2e.txt
	$(BIN)/python -m pip install --quiet -r requirements-e2e.txt
	@touch $@

# The browser tests drive Debian's chromium, and the Chinese pages need a CJK font
# (fonts-noto-cjk); as root we install them, else say how.
browser: $(VENV)/.installed-e2e
	@{ command -v chromium >/dev/null && fc-list :lang=zh family 2>/dev/null | grep -q .; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "The browser tests need chromium and a CJK font: sudo apt-get install chromium fonts-noto-cjk (they are skipped without chromium)"; \
	  fi; }

# Both editions: English in _build/html, Chinese (from book/zh) in _build/html/zh.
book: venv vendor
	rm -rf _build/html _build/.doctrees _build/zh
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	$(BIN)/jupyter-book build . --config book/zh/_config.yml --toc book/zh/_toc.yml \
	  --path-output _build/zh --warningiserror --nitpick --keep-going
	cp -R _build/zh/_build/html _build/html/zh
	@echo
	@echo "The book is ready. Open this page in a browser:"
	@echo "    file://$(CURDIR)/_build/html/index.html"

# The whole book as one PDF, printed by Debian's chromium (no browser download); the
# book's download button links to the copy tools/make_pdf.py puts in _build/html.
pdf: book browser
	$(BIN)/python tools/make_pdf.py --html _build/html --out _build/pdf/lstm-gru-course.pdf

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Fast: numpy, matplotlib and ipywidgets only; no npm packages, no browser.
unit: venv $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not e2e" tests
	$(BIN)/python -m pytest -p no:cacheprovider --doctest-modules lstm_gru_course -q

# The book built strictly, read in chromium, and a learner's JupyterLab session.
e2e: venv vendor browser
	$(BIN)/python -m pytest -m e2e tests

# The Chinese notebooks (book/zh) draw Chinese words in their figures: they need a CJK
# font, or matplotlib warns and draws boxes. As root we install Debian's fonts-noto-cjk.
fonts:
	@fc-list :lang=zh family 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; \
	  else \
	    echo "The Chinese notebooks' figures need a CJK font: sudo apt-get install fonts-noto-cjk"; \
	  fi; }

# Exercise progress goes to a throw-away folder so a run never touches a learner's own;
# one BLAS thread, as in `make notebooks`, so sums run in the same order and repeat.
nbval: venv fonts
	@tmp=$$(mktemp -d) && \
	LSTM_GRU_COURSE_PROGRESS=$$tmp/progress.json PYTHONHASHSEED=0 \
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
	$(BIN)/python -m pytest -p no:cacheprovider $(NBVAL_ARGS) book; \
	status=$$?; rm -rf $$tmp; exit $$status

test: lint unit nbval e2e

# As root (most containers) JupyterLab refuses to start without --allow-root.
lab: venv
	$(BIN)/jupyter lab book $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# book/zh is made from the English pages and the catalogues (locale/), then executed.
notebooks: venv fonts
	$(BIN)/python tools/i18n_book.py pages
	$(BIN)/python tools/run_notebooks.py

# After editing English text: refresh the catalogues (new messages show up untranslated,
# changed ones fuzzy; translate them, e.g. in Poedit), then `make notebooks`.
translations: venv
	$(BIN)/python tools/i18n_book.py update
	$(BIN)/python tools/i18n_package.py update
	$(BIN)/python tools/i18n_book.py status; $(BIN)/python tools/i18n_package.py status

# For teachers: nbgrader (requirements-teach.txt), then one assignment per chapter,
# made from the exercise definitions: _build/nbgrader/{source,release}/<chapter>/.
$(VENV)/.installed-teach: $(STAMP) requirements-teach.txt
	$(BIN)/python -m pip install --quiet -r requirements-teach.txt
	@touch $@

assignments: $(VENV)/.installed-teach
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/make_assignments.py --out _build/nbgrader

clean:
	rm -rf _build .venv .hypothesis .pytest_cache node_modules book/assets/vendor
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
