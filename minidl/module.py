"""The `Module` base class: forward, backward, parameters, modes, dtype and device."""

from torch import empty

FLOAT32 = empty(0).float().dtype
FLOAT64 = empty(0).double().dtype


class Module:
    """A differentiable block: `forward` computes, `backward` propagates gradients back.

    A subclass lists its parameter attribute names in `param_names`; each parameter
    `name` has its gradient in the attribute `grad_<name>` (same shape), which
    `backward` accumulates into. Composite modules override `children`.
    """

    param_names = ()

    def __init__(self):
        self.training = True

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

    def named_param(self, prefix=""):
        """List of `(name, parameter, gradient)` triples, this module's then its children's."""
        triples = [
            (prefix + name, getattr(self, name), getattr(self, "grad_" + name))
            for name in self.param_names
        ]
        for i, child in enumerate(self.children()):
            triples += child.named_param(f"{prefix}{i}.")
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
        return RuntimeError(f"{self!r}: backward called before forward")

    def _grad_shape_error(self, grad, shape):
        """The error for an incoming gradient whose shape is not the output's."""
        return ValueError(
            f"{self!r}: gradient wrt output has shape {tuple(grad.shape)}, "
            f"expected the output's shape {tuple(shape)}"
        )
