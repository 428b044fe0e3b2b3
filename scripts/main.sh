#!/usr/bin/env bash
# The main job: installs dependencies, builds, and runs the default example (SGD vs SME vs
# gradient flow for the Huber loss on a tanh student) into runs/sgd-sme-gd/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build
bash examples/sgd-sme-gd/run.sh build/dmft runs/sgd-sme-gd
