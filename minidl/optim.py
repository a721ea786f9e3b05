"""Optimisers taking the same steps as `torch.optim.SGD` and `torch.optim.Adam`."""

import math
from numbers import Real

from .flat import flat_chunks


def _is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


class Optimizer:
    """Updates a list of `(parameter, gradient)` pairs, as returned by `Module.param()`.

    Pairs that lie back to back in one buffer (a `Sequential`'s do) are updated as a
    single flat tensor. Hyperparameters are checked as `torch.optim` checks them, and a
    little more: NaN and infinity are refused too.
    """

    def __init__(self, pairs, lr):
        pairs = list(pairs)
        self._check("lr", lr, lambda v: v > 0, "a finite number > 0")
        seen = {}
        for i, pair in enumerate(pairs):
            if len(pair) != 2 or pair[0].shape != pair[1].shape:
                raise ValueError(
                    f"{type(self).__name__}: item {i} must be a (parameter, gradient) pair of "
                    "equal shapes, as returned by Module.param()"
                )
            if id(pair[0]) in seen:
                raise ValueError(
                    f"{type(self).__name__}: item {i} repeats the parameter of item "
                    f"{seen[id(pair[0])]}, which would be updated twice per step; pass each "
                    "parameter once (Module.param() lists a shared one once)"
                )
            seen[id(pair[0])] = i
        self.lr = lr
        self.chunks = flat_chunks(pairs)

    def _check(self, name, value, ok, expected):
        """Refuse a hyperparameter that is not a finite number `v` with `ok(v)`."""
        if not (_is_number(value) and math.isfinite(value) and ok(value)):
            raise ValueError(f"{type(self).__name__}: {name} must be {expected}, got {value!r}")

    def zero_grad(self):
        """Set every gradient to zero."""
        for _, grad in self.chunks:
            grad.zero_()

    def step(self):
        """Update every parameter from its gradient."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with momentum, dampening, Nesterov and weight decay.

    `momentum` and `dampening` lie in [0, 1] (torch accepts any momentum >= 0 and any
    dampening, which diverge or reverse the step), `weight_decay` >= 0.
    """

    def __init__(self, pairs, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(pairs, lr)
        self._check("momentum", momentum, lambda v: 0 <= v <= 1, "in [0, 1]")
        self._check("dampening", dampening, lambda v: 0 <= v <= 1, "in [0, 1]")
        self._check("weight_decay", weight_decay, lambda v: v >= 0, "a finite number >= 0")
        if not isinstance(nesterov, bool):
            raise ValueError(f"SGD: nesterov must be True or False, got {nesterov!r}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires a momentum and zero dampening")
        self.momentum, self.dampening = momentum, dampening
        self.weight_decay, self.nesterov = weight_decay, nesterov
        self.buffers = [None] * len(self.chunks)

    def step(self):
        for i, (param, grad) in enumerate(self.chunks):
            if self.weight_decay:
                grad = grad.add(param, alpha=self.weight_decay)
            if self.momentum:
                buf = self.buffers[i]
                if buf is None:  # torch starts the momentum buffer at the first gradient
                    buf = self.buffers[i] = grad.clone()
                else:
                    buf.mul_(self.momentum).add_(grad, alpha=1 - self.dampening)
                grad = grad.add(buf, alpha=self.momentum) if self.nesterov else buf
            param.add_(grad, alpha=-self.lr)


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias correction and L2 weight decay, as `torch.optim.Adam`.

    `betas` is a pair in [0, 1) (a beta of 1 would divide by zero in the bias correction),
    `eps` >= 0 and `weight_decay` >= 0, as torch requires.
    """

    def __init__(self, pairs, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(pairs, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            self._check(f"betas[{i}]", beta, lambda v: 0 <= v < 1, "in [0, 1)")
        self._check("eps", eps, lambda v: v >= 0, "a finite number >= 0")
        self._check("weight_decay", weight_decay, lambda v: v >= 0, "a finite number >= 0")
        self.betas, self.eps, self.weight_decay = tuple(betas), eps, weight_decay
        self.steps = 0
        self.first = [p.new_zeros(p.shape) for p, _ in self.chunks]
        self.second = [p.new_zeros(p.shape) for p, _ in self.chunks]

    def step(self):
        beta1, beta2 = self.betas
        self.steps += 1
        step_size = self.lr / (1 - beta1**self.steps)
        root_correction = math.sqrt(1 - beta2**self.steps)
        for (param, grad), m, v in zip(self.chunks, self.first, self.second):
            if self.weight_decay:
                grad = grad.add(param, alpha=self.weight_decay)
            m.lerp_(grad, 1 - beta1)
            v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = (v.sqrt() / root_correction).add_(self.eps)
            param.addcdiv_(m, denom, value=-step_size)
