# Lede's two entry points (see README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
LEDE_INDEX_DIR ?= var/index
export PORT LEDE_INDEX_DIR

BIN := $(VENV)/bin

.PHONY: run test install install-test browser xapian vnu index bench-extraction clean-venv

## run: install into .venv, build the index from seeds/ if missing, serve on http://127.0.0.1:$(PORT)
run: install
	@test -s "$(LEDE_INDEX_DIR)/CURRENT" || $(BIN)/python -m index rebuild
	PATH="$(abspath $(BIN)):$$PATH" sh -c "$$(sed -n 's/^web: //p' Procfile)"

## test: install what the tests need (Chromium, the Xapian shard server and the Nu HTML checker included) and run the whole suite
test: install-test browser xapian vnu
	$(BIN)/python -m pytest

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

## browser: Debian's chromium and chromium-driver, when absent (uses sudo when not root)
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

## xapian: Debian's xapian-tools (xapian-tcpsrv, the shard server of LEDE_BACKEND=xapian), when absent
xapian:
	@if ! command -v xapian-tcpsrv >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq xapian-tools; \
	fi

## vnu: the Nu HTML checker (npm's vnu-jar, run with Debian's Java) for tests/test_checkers.py, when absent
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu: $(VNU_JAR)
$(VNU_JAR):
	@if ! command -v java >/dev/null || ! command -v npm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless npm; } \
	    || echo "Java or npm could not be installed: the Nu HTML checker test will be skipped"; \
	fi
	@if command -v npm >/dev/null; then \
	  npm install --no-save --no-audit --no-fund --ignore-scripts --prefix $(VENV)/vnu vnu-jar@26 >/dev/null \
	    || echo "vnu-jar could not be installed: the Nu HTML checker test will be skipped"; \
	else echo "npm not found: the Nu HTML checker test will be skipped"; fi

index: install
	$(BIN)/python -m index rebuild

clean-venv:
	rm -rf $(VENV)
