"""`Flatten`: every dimension but the first into one."""

import math

from .module import Module


class Flatten(Module):
    """`(N, d1, d2, ...)` -> `(N, d1 * d2 * ...)`, in row-major order (`torch.nn.Flatten()`)."""

    def forward(self, input):
        if input.dim() < 2:
            raise ValueError(f"Flatten: input has shape {tuple(input.shape)}, expected (N, ...)")
        self._save(tuple(input.shape))
        return input.reshape(input.size(0), -1)

    def backward(self, grad):
        """dL/dx: `grad` `(N, d1 * d2 * ...)` back in the input's shape."""
        shape = self._last_saved()
        expected = (shape[0], math.prod(shape[1:]))
        if tuple(grad.shape) != expected:
            raise self._grad_shape_error(grad, expected)
        self._saved.pop()
        return grad.reshape(shape)
