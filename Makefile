# make run | make test | make test-portable | make test-vm | make student | make lab | make bench -- each creates .venv when it is missing.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Other CPUs, emulated on this one: trained numbers differ in their last digits from CPU to CPU
# (vector width of torch's own kernels, oneDNN's convolutions, MKL's BLAS), so the notebooks run
# again with all three restricted:
# * AVX2: an AVX2 machine without AVX-512 (MKL also in its reproducible AVX2 branch); every
#   notebook, as fast as the native run.
# * OLD: the oldest kernels torch offers (ATen's `default`, oneDNN's SSE4.1, MKL's compatible
#   branch), as on a pre-AVX2 CPU; only 01-04, the notebooks that compare floating-point results
#   to a tolerance (gradients, finite differences, trained disk nets): the pair-network notebooks
#   05-08 compare trained results only through their margins, and running them twice more would
#   take CI past its time.
# Checked on the AMD EPYC (AVX-512) of this project's machines, each variable alone against none,
# by the hash of a convnet's weights after 20 Adam steps: ATEN_CPU_CAPABILITY (default or avx2),
# ONEDNN_MAX_CPU_ISA (SSE41 or AVX2) and MKL_CBWR=COMPATIBLE each change them; MKL_CBWR=AVX2 and
# MKL_ENABLE_INSTRUCTIONS change nothing there (MKL takes no AVX-512 path on AMD CPUs) and are
# kept for Intel CPUs, where they do.
PORTABLE := ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 MKL_CBWR=AVX2
OLD := ATEN_CPU_CAPABILITY=default ONEDNN_MAX_CPU_ISA=SSE41 MKL_ENABLE_INSTRUCTIONS=SSE4_2 MKL_CBWR=COMPATIBLE
OLD_NOTEBOOKS := notebooks/01_*.ipynb notebooks/02_*.ipynb notebooks/03_*.ipynb notebooks/04_*.ipynb

.PHONY: run test test-portable test-vm student lint lab bench mutation clean
.DELETE_ON_ERROR:  # a run that fails leaves no output behind to be compared

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -r requirements.txt
	$(PY) -m pip install --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(PY) minidl/test.py
	@if [ -f proj1/test.py ]; then $(PY) proj1/test.py; fi

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint
	$(PY) -m pytest -n 2 --dist loadfile  # two workers, one notebook per worker at a time

test-portable: $(STAMP)
	$(PORTABLE) $(PY) -c "import torch; print('torch CPU capability:', torch.backends.cpu.get_cpu_capability())"
	$(PORTABLE) $(PY) -m pytest -n 2 --dist loadfile notebooks
	$(OLD) $(PY) -c "import torch; print('torch CPU capability:', torch.backends.cpu.get_cpu_capability())"
	$(OLD) $(PY) -m pytest -n 2 --dist loadfile $(OLD_NOTEBOOKS)

# The course's VM has torch alone: .venv-vm holds requirements-vm.txt and nothing else (not even
# this repository, which test.py finds from its own path). Both test.py run there, whole (the
# study's jobs in the standard library's process pool, without joblib). The full set then runs
# minidl/test.py whole and, for proj1, the two plain baselines of the study's first table over
# the same ten rounds (a full second study would double the target's time): their lines must be
# the VM's, timings aside (scripts/same_tables.py; that a record does not depend on how the jobs
# were run is `make test`'s). The VM's stderr (its one-line notices of what it does without)
# goes to build/test-vm/*.err.
VM_VENV  := .venv-vm
VM_STAMP := $(VM_VENV)/.installed
VM_OUT   := build/test-vm

$(VM_STAMP): requirements-vm.txt
	test -x $(VM_VENV)/bin/python || python3 -m venv $(VM_VENV)
	$(VM_VENV)/bin/python -m pip install -r requirements-vm.txt
	touch $(VM_STAMP)

test-vm: $(STAMP) $(VM_STAMP)
	rm -rf $(VM_OUT) && mkdir -p $(VM_OUT)
	for p in minidl proj1; do \
	  $(VM_VENV)/bin/python $$p/test.py > $(VM_OUT)/vm-$$p.txt 2> $(VM_OUT)/vm-$$p.err \
	    || { cat $(VM_OUT)/vm-$$p.err; exit 1; }; done
	@grep -h "is not installed" $(VM_OUT)/vm-*.err | sort -u
	$(PY) minidl/test.py > $(VM_OUT)/full-minidl.txt
	$(PY) scripts/same_tables.py $(VM_OUT)/full-minidl.txt $(VM_OUT)/vm-minidl.txt
	$(PY) -m proj1 --no-save --tables best --archs mlp cnn > $(VM_OUT)/full-proj1.txt 2>/dev/null
	$(PY) scripts/same_tables.py --within $(VM_OUT)/full-proj1.txt $(VM_OUT)/vm-proj1.txt

# The student edition (git-ignored): each exercise's solution replaced by a stub that raises
# NotImplementedError with its hint, outputs cleared.
student: $(STAMP)
	$(PY) scripts/student.py notebooks student

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

# Mutation testing with mutmut (not in CI: 3,447 mutants, 43 minutes from a fresh clone on 2 cores
# shared with other work, the venv included; `.venv/bin/mutmut run NAME...` then reruns a few): every mutant of minidl/ and
# proj1/ (but the orchestration listed in pyproject's [tool.mutmut]) against the unit tests,
# from scratch, then the kill rate per module and the survivors (scripts/mutation_report.py).
# joblib runs in-process so that no mutant leaves worker processes behind; one torch thread per
# mutant: two mutants at a time with two OpenMP threads each spin on the 2 cores (the training
# tests took 6x the CPU time on a busy machine). No `nice`: with autogroup scheduling it does not
# yield to other sessions anyway.
mutation: $(STAMP)
	rm -rf mutants && mkdir mutants
	JOBLIB_MULTIPROCESSING=0 OMP_NUM_THREADS=1 $(VENV)/bin/mutmut run --max-children 2 \
	  > mutants/run.log 2>&1 || { tail -c 3000 mutants/run.log; exit 1; }
	$(PY) scripts/mutation_report.py

clean:
	rm -rf $(VENV) $(VM_VENV) build .pytest_cache .ruff_cache .hypothesis
