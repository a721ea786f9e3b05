"""`Linear`: the fully connected layer y = x W^T + b."""

import math

from torch import empty

from .module import Module

# Bound of the uniform weight distribution for each initialisation scheme.
_WEIGHT_BOUNDS = {
    "default": lambda fan_in, fan_out: 1 / math.sqrt(fan_in),  # torch.nn.Linear's
    "xavier": lambda fan_in, fan_out: math.sqrt(6 / (fan_in + fan_out)),  # Glorot, for tanh
    "he": lambda fan_in, fan_out: math.sqrt(6 / fan_in),  # Kaiming, for ReLU
}


class Linear(Module):
    """Fully connected layer: input `(N, in_features)` -> output `(N, out_features)`.

    The weight has shape `(out_features, in_features)` and the bias `(out_features,)`,
    in that order in `param()`, like `torch.nn.Linear`. `init` picks the weight
    distribution: "default" (torch's, bias drawn alike), "xavier" or "he" (zero bias);
    `generator` (a `torch.Generator`) makes it reproducible.
    """

    def __init__(
        self,
        in_features,
        out_features,
        bias=True,
        *,
        init="default",
        generator=None,
        dtype=None,
        device=None,
    ):
        super().__init__()
        if init not in _WEIGHT_BOUNDS:
            raise ValueError(
                f"Linear: unknown init {init!r}, expected one of {list(_WEIGHT_BOUNDS)}"
            )
        self.in_features, self.out_features, self.init = in_features, out_features, init
        self.param_names = ("weight", "bias") if bias else ("weight",)
        bound = _WEIGHT_BOUNDS[init](in_features, out_features)
        self.weight = empty(out_features, in_features, dtype=dtype, device=device)
        self.weight.uniform_(-bound, bound, generator=generator)
        self.grad_weight = self.weight.new_zeros(self.weight.shape)
        self.bias = self.grad_bias = None
        if bias:
            self.bias = self.weight.new_zeros(out_features)
            if init == "default":
                self.bias.uniform_(-bound, bound, generator=generator)
            self.grad_bias = self.weight.new_zeros(out_features)
        self._ones = None  # (N,) ones: the bias gradient is one matrix-vector product

    # The shapes are checked only when a product fails (it fails for every wrong shape, before
    # anything is saved or accumulated): on the seed's small net, checking first cost 2 % of
    # the training step.
    def forward(self, input):
        """`(N, in_features)` -> `(N, out_features)`."""
        try:
            if self.bias is None:
                output = input.mm(self.weight.t())
            else:
                output = self.bias.addmm(input, self.weight.t())
        except RuntimeError:
            self._check_input(input)
            raise
        self._save(input)
        return output

    def _check_input(self, input):
        """Raise the clear error for an input of the wrong shape or dtype."""
        if input.dim() != 2 or input.size(1) != self.in_features:
            raise ValueError(
                f"{self!r}: input has shape {tuple(input.shape)}, expected (N, {self.in_features})"
            ) from None
        if input.dtype != self.weight.dtype:
            raise self._dtype_error(input) from None

    def backward(self, grad):
        """Accumulate dL/dW and dL/db from `grad` `(N, out_features)`; return dL/dx `(N, in)`."""
        input = self._last_saved()
        try:
            grad_t = grad.t()
            self.grad_weight.addmm_(grad_t, input)
        except RuntimeError:
            expected = (input.size(0), self.out_features)
            if tuple(grad.shape) != expected:
                raise self._grad_shape_error(grad, expected) from None
            raise
        self._saved.pop()
        if self.bias is not None:
            n, ones = grad.size(0), self._ones
            if ones is None or ones.size(0) != n:  # not len(): Tensor.__len__ is slow Python
                ones = self._ones = grad.new_ones(n)
            self.grad_bias.addmv_(grad_t, ones)
        return grad.mm(self.weight)

    def to(self, dtype=None, device=None):
        self._ones = None
        return super().to(dtype=dtype, device=device)

    def extra_repr(self):
        text = f"in_features={self.in_features}, out_features={self.out_features}"
        text += f", bias={self.bias is not None}"
        return text if self.init == "default" else text + f", init={self.init!r}"
