# The two entry points a newcomer needs: `make run` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint browser bench clean

# Re-install only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The Telegram bot when TELEGRAM_BOT_TOKEN is set, the terminal chat otherwise.
run: $(VENV)/.installed
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then $(BIN)/python -m bot telegram; else $(BIN)/python -m bot chat; fi

lint: $(VENV)/.installed
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy
	$(BIN)/python -m bot validate

# Debian's chromium for the one test that opens the operator's report in a real browser.
browser:
	@sh tests/install-chromium.sh

test: lint browser
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
