"""`Dropout`: zero inputs at random while training, the identity in evaluation."""

from .module import Module


class Dropout(Module):
    """Zero each element with probability `p` and scale the rest by 1/(1-p) (any shape).

    In evaluation mode (`eval()`) it is the identity. `generator` makes the masks
    reproducible.
    """

    def __init__(self, p=0.5, *, generator=None):
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"Dropout: p must be in [0, 1), got {p}")
        self.p, self.generator = p, generator

    def forward(self, input):
        if not self.training or self.p == 0:
            self._save(1.0)
            return input
        keep = 1 - self.p
        mask = input.new_empty(input.shape).bernoulli_(keep, generator=self.generator)
        self._save(mask.div_(keep))
        return input * mask

    def backward(self, grad):
        """dL/dx = dL/dy * mask (the mask of the matching forward)."""
        mask = self._last_saved()
        if not isinstance(mask, float) and grad.shape != mask.shape:
            raise self._grad_shape_error(grad, mask.shape)
        self._saved.pop()
        return grad * mask

    def extra_repr(self):
        return f"p={self.p}"
