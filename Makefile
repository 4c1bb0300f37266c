# rightsdesk: `make run` serves the seeded catalogue on SQLite; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install tools lint bench clean

run: $(STAMP)
	$(BIN)/rightsdesk db upgrade
	$(BIN)/rightsdesk seed
	$(BIN)/rightsdesk serve --host $(HOST) --port $(PORT) --show-admin-key

test: $(STAMP) tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The caption parser is compiled with mypyc (setup.py), so changing its sources reinstalls.
# Extensions of an earlier build go first: RIGHTSDESK_PURE_PYTHON=1 builds none, and an old
# one would shadow its source.
$(STAMP): pyproject.toml setup.py $(wildcard captions/*.py) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	rm -f captions/*.so rightsdesk_captions__mypyc*.so
	@echo "installing rightsdesk; the caption parser is compiled with mypyc (about a minute)"
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# ExifTool is the reference reader the metadata tests compare against; Chromium drives the
# desk's browser tests (Playwright cannot download browsers here, it uses Debian's).
tools:
	@command -v exiftool >/dev/null 2>&1 || { \
	  echo "installing ExifTool (libimage-exiftool-perl) for the metadata tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q libimage-exiftool-perl >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null 2>&1 && \
	    $$SUDO apt-get install -y -q libimage-exiftool-perl >/dev/null 2>&1; } || \
	  echo "warning: could not install ExifTool; tests that compare with it will be skipped"; }
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Chromium for the desk's browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null 2>&1 && \
	    $$SUDO apt-get install -y -q chromium >/dev/null 2>&1; } || \
	  echo "warning: could not install Chromium; the desk's browser tests will be skipped"; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	for bench in benches/bench_*.py; do $(BIN)/python $$bench || exit 1; done

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .hypothesis
