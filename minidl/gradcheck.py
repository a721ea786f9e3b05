"""`gradcheck`: analytic gradients against central finite differences, in float64."""

import copy
import random
from dataclasses import dataclass

from torch import empty

from .losses import Loss
from .module import FLOAT64


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with its finite-difference estimate."""


@dataclass
class GradError:
    """The largest disagreement found for one tensor (an input or a parameter)."""

    name: str
    shape: tuple
    max_abs_error: float
    max_rel_error: float
    worst_index: tuple
    analytic: float
    numeric: float
    ok: bool


@dataclass
class GradcheckReport:
    """What `gradcheck` measured: one `GradError` per checked tensor."""

    errors: list

    @property
    def max_abs_error(self):
        return max((e.max_abs_error for e in self.errors), default=0.0)

    @property
    def max_rel_error(self):
        return max((e.max_rel_error for e in self.errors), default=0.0)

    def __str__(self):
        rows = [f"{'tensor':<18} {'shape':<12} {'max abs err':>12} {'max rel err':>12}  ok"]
        for e in self.errors:
            shape = "x".join(map(str, e.shape)) or "scalar"
            rows.append(
                f"{e.name:<18} {shape:<12} {e.max_abs_error:12.2e} {e.max_rel_error:12.2e}  "
                f"{'yes' if e.ok else 'NO'}"
            )
        return "\n".join(rows)


def _analytic_grads(module, inputs, weights):
    """The analytic gradients of L = sum_k sum(weights[k] * output k) (or of the loss itself)
    wrt the inputs."""
    module.zero_grad()
    module.forward(*inputs)
    return _as_tuple(module.backward(*weights))


def _as_tuple(output):
    return output if isinstance(output, tuple) else (output,)


def _compare(name, tensor, analytic, evaluate, eps, atol, rtol):
    """Perturb each element of `tensor` in place by +-eps and compare the slopes."""
    if tensor.numel() == 0:  # nothing to perturb, nothing wrong
        return GradError(name, tuple(tensor.shape), 0.0, 0.0, (), 0.0, 0.0, True)
    numeric = empty(tensor.shape, dtype=FLOAT64)
    flat, flat_numeric = tensor.view(-1), numeric.view(-1)
    for i in range(flat.numel()):
        original = float(flat[i])
        flat[i] = original + eps
        plus = evaluate()
        flat[i] = original - eps
        minus = evaluate()
        flat[i] = original
        flat_numeric[i] = (plus - minus) / (2 * eps)
    abs_error = (analytic.to(FLOAT64).cpu() - numeric).abs()
    rel_error = abs_error / numeric.abs().clamp(min=1e-8)
    tolerance = atol + rtol * numeric.abs()
    worst = int((abs_error - tolerance).reshape(-1).argmax())
    return GradError(
        name=name,
        shape=tuple(tensor.shape),
        max_abs_error=float(abs_error.max()),
        max_rel_error=float(rel_error.max()),
        worst_index=tuple(int(k) for k in _unravel(worst, tensor.shape)),
        analytic=float(analytic.reshape(-1)[worst]),
        numeric=float(flat_numeric[worst]),
        ok=bool((abs_error <= tolerance).all()),
    )


def _unravel(flat_index, shape):
    index = []
    for size in reversed(shape):
        index.append(flat_index % size)
        flat_index //= size
    return reversed(index)


def gradcheck(module, *inputs, eps=1e-6, atol=1e-5, rtol=1e-4, seed=0, raise_on_error=True):
    """Check `module`'s gradients wrt every floating input and every parameter.

    Works on float64 copies of the module and inputs (the caller's are untouched). A
    plain module is reduced to the scalar L = sum(w * output) with a fixed random `w`
    (summed over the outputs of a module that returns a tuple, with one `w` for each);
    a `Loss` is its own scalar, checked wrt its prediction only (targets are data). The
    module must compute the same function at every call: check `Dropout` in `eval()`
    mode. Returns a `GradcheckReport`; raises `GradcheckError`
    naming the tensor and index of the worst mismatch when one exceeds
    `atol + rtol * |numeric|` (unless `raise_on_error=False`).
    """
    module = copy.deepcopy(module).double()
    inputs = [x.double() if x.is_floating_point() else x for x in inputs]
    probe = module.forward(*inputs)
    weights = []
    if not isinstance(module, Loss):
        rng = random.Random(seed)
        for output in _as_tuple(probe):
            values = [rng.gauss(0.0, 1.0) for _ in range(output.numel())]
            weights.append(output.new_tensor(values, dtype=FLOAT64).view(output.shape))
    analytic = _analytic_grads(module, inputs, weights)
    analytic_params = [g.clone() for _, g in module.param()]

    def evaluate():
        output = module.forward(*inputs)
        if not weights:
            return float(output)
        return sum(float((o * w).sum()) for o, w in zip(_as_tuple(output), weights))

    errors = []
    differentiable = [(i, x) for i, x in enumerate(inputs) if x.is_floating_point()]
    for (i, x), grad in zip(differentiable, analytic):
        errors.append(_compare(f"input[{i}]", x, grad, evaluate, eps, atol, rtol))
    for (name, p, _), grad in zip(module.named_param(), analytic_params):
        errors.append(_compare(name, p, grad, evaluate, eps, atol, rtol))
    report = GradcheckReport(errors)
    bad = [e for e in errors if not e.ok]
    if bad and raise_on_error:
        e = bad[0]
        raise GradcheckError(
            f"gradcheck failed for {type(module).__name__}: gradient wrt {e.name} at index "
            f"{e.worst_index} is {e.analytic:.6g} analytically but {e.numeric:.6g} by finite "
            f"differences (abs error {e.max_abs_error:.2e}, rel error {e.max_rel_error:.2e})\n"
            f"{report}"
        )
    return report
