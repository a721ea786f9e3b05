"""Element-wise activations: `ReLU`, `LeakyReLU`, `Tanh`, `Sigmoid` (any input shape)."""

from .module import Module


class _Activation(Module):
    """Element-wise map; `backward` multiplies the incoming gradient by the local slope."""

    def backward(self, grad):
        """dL/dx = dL/dy * f'(x), same shape as the input."""
        saved = self._last_saved()  # what `slope` needs: the input or the output
        if grad.shape != saved.shape:
            raise self._grad_shape_error(grad, saved.shape)
        self._saved.pop()
        return self.slope(saved).mul_(grad)  # the slope is a fresh tensor: no second one

    def slope(self, saved):
        """f'(x) from the tensor `forward` saved, as a new tensor."""
        raise NotImplementedError


class ReLU(_Activation):
    """max(0, x)."""

    def forward(self, input):
        output = input.relu()
        self._save(output)
        return output

    def slope(self, output):
        return output.sign()  # 0 or 1; much faster than multiplying by a bool mask


class LeakyReLU(_Activation):
    """x for x > 0, `negative_slope` * x otherwise."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, input):
        self._save(input)
        return input.where(input > 0, input * self.negative_slope)

    def slope(self, input):
        return (input > 0).to(input.dtype).mul_(1 - self.negative_slope).add_(self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class Tanh(_Activation):
    """tanh(x); its slope 1 - tanh(x)^2 comes from the saved output."""

    def forward(self, input):
        output = input.tanh()
        self._save(output)
        return output

    def slope(self, output):
        return 1 - output * output


class Sigmoid(_Activation):
    """1 / (1 + exp(-x)); its slope s (1 - s) comes from the saved output."""

    def forward(self, input):
        output = input.sigmoid()
        self._save(output)
        return output

    def slope(self, output):
        return output * (1 - output)
