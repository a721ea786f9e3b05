"""The `Module` base class: forward, backward, parameters, modes, dtype and device.

How modules compose (reuse, nesting, sharing), as in `torch.nn`:

* A module may appear several times in a network (the same `ReLU` twice in a
  `Sequential`, one encoder applied to both images of a pair): each `forward` pushes what
  its `backward` needs onto the module's own stack, and each `backward` pops the latest,
  so backward runs the uses in reverse order (as `Sequential` and autograd do) and a
  parameter's gradient accumulates the contributions of every use. `param()` lists a
  shared parameter once.
* What a stack holds is bounded by one *pass*: a pass is a forward called from outside
  every composite module's forward (a top-level call), or a `with one_pass():` block; a
  module forgets what it saved in earlier passes the first time it runs in a new one. So
  evaluation loops (forward without backward) hold one pass's tensors, not one per call.
  To backpropagate through several uses of a module, make them in one pass: inside a
  composite module's `forward` (a module whose class overrides `children`), or at top
  level inside `with one_pass():`.
* A `backward` without a forward left to match (before any forward, twice for one forward,
  or for a use made in an earlier pass) is a clear error, never a silent reuse.
"""

import functools

from torch import empty

FLOAT32 = empty(0).float().dtype
FLOAT64 = empty(0).double().dtype


class _Passes:
    """The pass counter, and how deep in composite forwards (or `one_pass` blocks) we are."""

    def __init__(self):
        self.number = 0
        self.depth = 0

    def __enter__(self):
        if not self.depth:
            self.number += 1
        self.depth += 1

    def __exit__(self, *exception):
        self.depth -= 1


_PASSES = _Passes()


def one_pass():
    """A `with` block whose top-level forwards form one pass (see above), e.g. a module
    applied to two inputs, then backward through both uses in reverse order."""
    return _PASSES


def _in_one_pass(forward):
    """Wrap a composite's `forward`: its children's forwards join its pass."""

    @functools.wraps(forward)
    def wrapper(self, *input):
        with _PASSES:
            return forward(self, *input)

    return wrapper


class Module:
    """A differentiable block: `forward` computes, `backward` propagates gradients back.

    A subclass lists its parameter attribute names in `param_names`; each parameter
    `name` has its gradient in the attribute `grad_<name>` (same shape), which
    `backward` accumulates into. Composite modules override `children`. A `forward`
    keeps what `backward` needs with `_save`; `backward` reads it back with
    `_last_saved`, checks its gradient against it, then pops it (`self._saved.pop()`):
    see the module docstring for why it is a stack.
    """

    param_names = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "forward" in vars(cls) and cls.children is not Module.children:
            cls.forward = _in_one_pass(vars(cls)["forward"])

    def __init__(self):
        self.training = True
        self._saved = []  # what each forward of the current pass saved, the latest last
        self._pass = -1  # the pass they belong to

    # -- what forward keeps for backward ---------------------------------------------
    def _save(self, saved):
        """Push `saved` (what this forward's backward will need)."""
        passes = _PASSES
        if passes.depth:
            if self._pass == passes.number:  # used again in this pass
                self._saved.append(saved)
                return
        else:  # called from outside any composite: a pass of its own
            passes.number += 1
        self._pass = passes.number  # the first use in this pass: forget the earlier ones
        self._saved = [saved]

    def _last_saved(self):
        """What the latest forward not yet matched by a backward saved."""
        saved = self._saved
        if not saved:
            raise self._no_forward_error()
        return saved[-1]

    # -- the computation -------------------------------------------------------------
    def forward(self, *input):
        """Compute the output from the input(s), keeping what `backward` needs."""
        raise NotImplementedError(f"{type(self).__name__} does not implement forward")

    def backward(self, *gradwrtoutput):
        """Accumulate parameter gradients; return the gradient wrt the input."""
        raise NotImplementedError(f"{type(self).__name__} does not implement backward")

    def __call__(self, *input):
        return self.forward(*input)

    # -- parameters ------------------------------------------------------------------
    def children(self):
        """The direct submodules, in order."""
        return []

    def named_children(self):
        """`(name, submodule)` pairs, the names prefixing parameter names: "0", "1", ..."""
        return [(str(i), child) for i, child in enumerate(self.children())]

    def named_param(self, prefix=""):
        """List of `(name, parameter, gradient)` triples, this module's then its children's.

        A parameter reached several times (a module used twice) is listed once, under
        its first name, as `torch.nn.Module.named_parameters` does.
        """
        triples, seen = [], set()
        for triple in self._all_named_param(prefix):
            if id(triple[1]) not in seen:
                seen.add(id(triple[1]))
                triples.append(triple)
        return triples

    def _all_named_param(self, prefix):
        triples = [
            (prefix + name, getattr(self, name), getattr(self, "grad_" + name))
            for name in self.param_names
        ]
        for name, child in self.named_children():
            triples += child._all_named_param(f"{prefix}{name}.")
        return triples

    def param(self):
        """List of `(parameter, gradient)` pairs of equal shape; empty without parameters."""
        return [(p, g) for _, p, g in self.named_param()]

    def zero_grad(self):
        """Set every parameter gradient to zero."""
        for _, g in self.param():
            g.zero_()

    # -- modes -----------------------------------------------------------------------
    def train(self, mode=True):
        """Switch this module and its children to training mode (or evaluation); return self."""
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        """Switch to evaluation mode (e.g. `Dropout` becomes the identity); return self."""
        return self.train(False)

    # -- dtype and device ------------------------------------------------------------
    def to(self, dtype=None, device=None):
        """Convert parameters and gradients in place (like `torch.nn.Module.to`); return self.

        Build optimisers after converting: they hold the tensors they were given.
        """
        for name in self.param_names:
            for attr in (name, "grad_" + name):
                setattr(self, attr, getattr(self, attr).to(dtype=dtype, device=device))
        for child in self.children():
            child.to(dtype=dtype, device=device)
        return self

    def double(self):
        """Convert to float64 in place; return self."""
        return self.to(dtype=FLOAT64)

    def float(self):
        """Convert to float32 in place; return self."""
        return self.to(dtype=FLOAT32)

    # -- display and checks ----------------------------------------------------------
    def extra_repr(self):
        """The text inside the parentheses of `repr`."""
        return ""

    def __repr__(self):
        return f"{type(self).__name__}({self.extra_repr()})"

    def _no_forward_error(self):
        """The error for `backward` called before any `forward`."""
        return RuntimeError(
            f"{self!r}: backward called before forward (each backward consumes one forward "
            "of the current pass, and none is left)"
        )

    def _dtype_error(self, input):
        """The error for an input whose dtype is not the parameters' (`self.weight`'s)."""
        return TypeError(
            f"{self!r}: input is {input.dtype} but the parameters are {self.weight.dtype}; "
            "convert one of them (module.double() / module.float() or input.to(...))"
        )

    def _grad_shape_error(self, grad, shape):
        """The error for an incoming gradient whose shape is not the output's."""
        return ValueError(
            f"{self!r}: gradient wrt output has shape {tuple(grad.shape)}, "
            f"expected the output's shape {tuple(shape)}"
        )
