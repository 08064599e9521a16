# mnist-edge: train -> convert -> edge. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RECIPE ?= best
DATA ?=
DATA_FLAG := $(if $(DATA),--data $(DATA),)
PYTEST_ARGS ?=
EDGE_VENV := .venv-edge
EDGE_STAMP := $(EDGE_VENV)/.installed
SOURCE ?= samples/demo.mp4
BUNDLE := dist/mnist-edge-pi.tar.gz

.PHONY: help setup demo pi-bundle train train-notebook convert ship bench test clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(STAMP)  ## create .venv with requirements.txt (fast when nothing changed)

$(STAMP): requirements.txt requirements-edge.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

demo: $(EDGE_STAMP)  ## the device path alone (no TensorFlow): read SOURCE (default samples/demo.mp4; SOURCE=0 for a camera)
	$(EDGE_VENV)/bin/python -m edge run --source $(SOURCE) --record artifacts/demo/annotated.mp4 --snapshot artifacts/demo/snapshot.png
	@echo "wrote artifacts/demo/annotated.mp4 and artifacts/demo/snapshot.png"

$(EDGE_STAMP): requirements-edge.txt
	test -x $(EDGE_VENV)/bin/python || $(PYTHON) -m venv $(EDGE_VENV)
	$(EDGE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-edge.txt
	touch $@

pi-bundle:  ## dist/mnist-edge-pi.tar.gz: edge/, models/, the demo video, install script, systemd unit
	rm -rf dist/mnist-edge-pi && mkdir -p dist/mnist-edge-pi/samples
	cp -r edge models requirements-edge.txt pi/install.sh pi/mnist-edge.service dist/mnist-edge-pi/
	cp samples/demo.mp4 dist/mnist-edge-pi/samples/
	find dist/mnist-edge-pi -name __pycache__ -prune -exec rm -rf {} +
	tar -C dist -czf $(BUNDLE) mnist-edge-pi
	@echo "wrote $(BUNDLE)"

train: setup  ## train the MLP: RECIPE=best|notebook|european, DATA=mnist.npz (default: MNIST_NPZ, else the Keras download)
	$(PY) -m train --recipe $(RECIPE) $(DATA_FLAG)

train-notebook: setup  ## the original notebook's recipe (~1 min, ~98%)
	$(PY) -m train --recipe notebook $(DATA_FLAG)

convert: setup  ## quantize artifacts/train/RECIPE/model.keras to int8 TFLite and gate its accuracy
	$(PY) -m convert --model artifacts/train/$(RECIPE)/model.keras $(DATA_FLAG)

ship: setup  ## convert, gate and install the result into models/ (the shipped default)
	$(PY) -m convert --model artifacts/train/$(RECIPE)/model.keras $(DATA_FLAG) --install

bench: setup  ## size, accuracy, latency, fps, start-up and memory in one run -> artifacts/bench/ (QUICK=1: ~30 s)
	$(PY) -m bench $(if $(QUICK),--quick,) $(DATA_FLAG)

test: setup  ## run the test suite (set MNIST_NPZ to a local mnist.npz to run the MNIST tests offline)
	$(PY) -m pytest $(PYTEST_ARGS)

clean:  ## remove generated artifacts (keeps .venv and models/)
	rm -rf artifacts dist .pytest_cache .hypothesis
