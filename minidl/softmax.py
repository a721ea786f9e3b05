"""`Softmax` over the last dimension."""

from .module import Module


class Softmax(Module):
    """exp(x_i) / sum_j exp(x_j) over the last dimension (`torch.nn.Softmax(-1)`), any shape.

    Stable for large inputs: the maximum is subtracted before exponentiating.
    """

    def forward(self, input):
        shifted = input - input.amax(dim=-1, keepdim=True)
        exp = shifted.exp_()
        output = exp.div_(exp.sum(dim=-1, keepdim=True))
        self._save(output)
        return output

    def backward(self, grad):
        """dL/dx = y * (g - sum(g * y)) along the last dimension, y the output."""
        output = self._last_saved()
        if grad.shape != output.shape:
            raise self._grad_shape_error(grad, output.shape)
        self._saved.pop()
        return output * (grad - (grad * output).sum(dim=-1, keepdim=True))

    def extra_repr(self):
        return "dim=-1"
