# Two commands on a fresh machine: `make run` (install, prepare the model and the index, serve) and
# `make test` (install everything the tests need, then run them). Both install into .venv.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# llama.cpp's default -march=native build emits AMX code that crashes these CPUs (../shared/models.md)
export CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
PIP := $(BIN)/pip install -q --disable-pip-version-check
DEV_WRITERS := w1,w2,w5,w6
# the test tiers (markers in pyproject.toml, set in tests/conftest.py): test-fast leaves out every heavy one
FAST := not model and not slow and not browser and not milvus

.PHONY: run test test-fast lint install install-test venv browser model index bench clean

venv: $(BIN)/python
$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip

install: venv
	$(PIP) -e '.[llm,local-model,prepare]'
	$(BIN)/rag model prepare
	$(BIN)/rag index build

run: install
	$(BIN)/rag serve

install-test: venv browser
	$(PIP) -e '.[llm,local-model,prepare,st,milvus,docs,test]'
	$(BIN)/rag model prepare
	$(BIN)/rag index build

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here), and a CJK font
# so their screenshots show Chinese rather than empty boxes
browser:
	@{ command -v chromium && test -d /usr/share/fonts/truetype/wqy; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; fi; }

lint: install-test
	$(BIN)/ruff check rag ui bench
	$(BIN)/ruff format --check rag ui bench
	$(BIN)/mypy

test: install-test lint
	$(BIN)/pytest -q
	# each gate runs with the gated file's own writers left out of the question bank (rag/retrieval/question_bank.py),
	# so it measures questions the bank does not hold: qa.jsonl's ids have no writer prefix (writer "_")
	RAG_RETRIEVAL__BANK_EXCLUDE_WRITERS=_ $(BIN)/rag eval eval/qa.jsonl --retrieval-only --baseline eval/baseline.json \
	  --max-drop 0.02 --json test-output/eval-retrieval.json
	# questions in users' words (indirect, traditional, English, out of scope): answers and refusals, every category gated
	RAG_RETRIEVAL__BANK_EXCLUDE_WRITERS=$(DEV_WRITERS) RAG_LLM__BACKEND=none $(BIN)/rag eval eval/users-dev.jsonl --mode extractive --no-progress --baseline eval/baseline-users.json \
	  --max-drop 0.07 --gate-categories --json test-output/eval-users.json

# the unit tests without the real models, servers or browser (about a minute on two cores), for use while
# working; `make test` runs every tier, the lint and the evaluation gates
test-fast: $(BIN)/pytest
	$(BIN)/pytest -q -m "$(FAST)"

$(BIN)/pytest: | venv
	$(PIP) -e '.[milvus,docs,test]'

bench: venv
	$(BIN)/python bench/search_latency.py

clean:
	rm -rf $(VENV) index/build-* index/CURRENT
