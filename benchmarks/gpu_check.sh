#!/usr/bin/env bash
# The GPU check of proj1, for a machine with CUDA: the training tests on the GPU, then the
# default study (what `python proj1/test.py` runs) on cuda with 8 worker processes sharing the
# GPU, on 2 CPU cores (--jobs 2) for the comparison, and on cuda with 4 workers (the records
# must be those of 8); the seconds of each. Run from the repository root once the project's environment
# is installed (make creates .venv): bash benchmarks/gpu_check.sh [OUT]
# (PY=python3 bash benchmarks/gpu_check.sh OUT where torch is installed system-wide). OUT
# (default results/gpu_check) receives each study's printed tables.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${1:-results/gpu_check}
mkdir -p "$OUT"
$PY -c "import sys, torch; assert torch.cuda.is_available(), 'no CUDA device'
print(torch.cuda.get_device_name(0), '| torch', torch.__version__, '| python', sys.version.split()[0])"
PROJ1_TEST_DEVICE=cuda $PY -m pytest -q -p no:cacheprovider -o addopts="" tests/test_proj1_training.py
study() {  # device, jobs
  local start=$SECONDS
  $PY -m proj1 --device "$1" --jobs "$2" --no-save 2>/dev/null > "$OUT/study_$1_$2.txt"
  echo "== the default study on $1 with $2 jobs: $((SECONDS - start)) s"
}
study cuda 8
study cpu 2
cat "$OUT/study_cuda_8.txt"
study cuda 4
# the same records whatever the number of workers sharing the GPU (timings aside)
if $PY scripts/same_tables.py "$OUT/study_cuda_8.txt" "$OUT/study_cuda_4.txt" >/dev/null; then
  echo "cuda, 8 and 4 jobs: the same tables"
else
  echo "cuda, 8 and 4 jobs: the tables DIFFER"
fi
