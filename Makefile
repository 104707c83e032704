# Two commands on a fresh machine: `make demo` and `make test`. Each sets itself up in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= out/demo

.PHONY: install demo test bench lint clean browser

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $(STAMP)

demo: install
	$(BIN)/goanalyzer walkthrough fixtures/traefik-2.5.2 -o $(DEMO_OUT) \
	  --link-base 'https://github.com/traefik/traefik/blob/v2.5.2/{path}#L{line}'

test: install
	$(BIN)/pytest

# Debian's chromium + chromedriver for the browser tests (root; `apt-get update` first, once).
browser:
	apt-get update -qq
	apt-get install -y --no-install-recommends chromium chromium-driver

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out .pytest_cache build *.egg-info
