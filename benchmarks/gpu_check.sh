#!/usr/bin/env bash
# The GPU check of proj1, for a machine with CUDA: the training tests on the GPU, a short
# comparison on cuda and on cpu with seconds per round side by side, then the default study
# (what `python proj1/test.py` runs) on cuda. Run from the repository root once the project's
# environment is installed (make creates .venv): bash benchmarks/gpu_check.sh
# (PY=python3 bash benchmarks/gpu_check.sh where torch is installed system-wide).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
$PY -c "import sys, torch; assert torch.cuda.is_available(), 'no CUDA device'
print(torch.cuda.get_device_name(0), '| torch', torch.__version__, '| python', sys.version.split()[0])"
PROJ1_TEST_DEVICE=cuda $PY -m pytest -q -p no:cacheprovider -o addopts="" tests/test_proj1_training.py
for device in cuda cpu; do
  echo "== $device, 2 rounds x 5 epochs, one job"
  $PY -m proj1 --device "$device" --rounds 2 --epochs 5 --jobs 1 --no-save | sed -n '/^arch /,/^$/p'
done
echo "== cuda, the default study"
start=$(date +%s)
$PY -m proj1 --device cuda --no-save
echo "the default study on cuda took $(($(date +%s) - start)) s"
