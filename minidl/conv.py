"""`Conv2d`: the 2-D convolution of `torch.nn.Conv2d`, as one matrix product over patches."""

import math

from torch import empty

from .module import Module


class Conv2d(Module):
    """2-D convolution (a cross-correlation, as in torch): `(N, C, H, W)` -> `(N, O, OH, OW)`.

    `OH = (H + 2 padding - kernel_size) // stride + 1`, and alike for `OW`. The weight has
    shape `(out_channels, in_channels, kernel_size, kernel_size)` and the bias
    `(out_channels,)`, in that order in `param()`, both drawn like `torch.nn.Conv2d`'s
    (uniform in +-1/sqrt(in_channels * kernel_size**2)).

    `forward` copies every patch of the input into a row of a matrix (`Tensor.unfold`,
    "im2col") and multiplies it by the weight: one matrix product. It works channels-last
    (the channels are the last, contiguous dimension in memory) and returns a permuted
    view `(N, O, OH, OW)` of its `(N, OH, OW, O)` result, like torch's channels_last tensors.
    """

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        bias=True,
        *,
        generator=None,
        dtype=None,
        device=None,
    ):
        super().__init__()
        for name, value, low in (
            ("in_channels", in_channels, 1),
            ("out_channels", out_channels, 1),
            ("kernel_size", kernel_size, 1),
            ("stride", stride, 1),
            ("padding", padding, 0),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"Conv2d: {name} must be an integer >= {low}, got {value!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.param_names = ("weight", "bias") if bias else ("weight",)
        bound = 1 / math.sqrt(in_channels * kernel_size**2)
        shape = (out_channels, in_channels, kernel_size, kernel_size)
        self.weight = empty(shape, dtype=dtype, device=device)
        self.weight.uniform_(-bound, bound, generator=generator)
        self.grad_weight = self.weight.new_zeros(shape)
        self.bias = self.grad_bias = None
        if bias:
            self.bias = self.weight.new_empty(out_channels).uniform_(
                -bound, bound, generator=generator
            )
            self.grad_bias = self.weight.new_zeros(out_channels)

    def output_size(self, size):
        """The output height (or width) for an input height (or width) `size`."""
        return (size + 2 * self.padding - self.kernel_size) // self.stride + 1

    def _check_input(self, input):
        """Refuse an input that is not `(N, in_channels, H, W)` of the parameters' dtype."""
        smallest = max(1, self.kernel_size - 2 * self.padding)
        expected = f"(N, {self.in_channels}, H, W) with H, W >= {smallest}"
        if (
            input.dim() != 4
            or input.size(1) != self.in_channels
            or min(input.shape[2:]) + 2 * self.padding < self.kernel_size
        ):
            raise ValueError(f"{self!r}: input has shape {tuple(input.shape)}, expected {expected}")
        if input.dtype != self.weight.dtype:
            raise self._dtype_error(input)

    def forward(self, input):
        """`(N, in_channels, H, W)` -> `(N, out_channels, OH, OW)` (channels-last in memory)."""
        self._check_input(input)
        n, c, h, w = input.shape
        k, s, p = self.kernel_size, self.stride, self.padding
        x = input.permute(0, 2, 3, 1)  # (N, H, W, C): a view, no copy for channels-last input
        if p:
            padded = x.new_zeros(n, h + 2 * p, w + 2 * p, c)
            padded[:, p : p + h, p : p + w] = x
            x = padded
        oh, ow = self.output_size(h), self.output_size(w)
        # the patch of each output position, (N, OH, OW, k, k, C) as views, then one row each;
        # (kh, kw, C) is the order in which the copy reads memory fastest (C is contiguous)
        patches = x.unfold(1, k, s).unfold(2, k, s).permute(0, 1, 2, 4, 5, 3)
        patches = patches.reshape(n * oh * ow, k * k * c)
        weight = self._weight_matrix()
        if self.bias is None:
            output = patches.mm(weight.t())
        else:
            output = self.bias.addmm(patches, weight.t())
        self._save((patches, tuple(input.shape)))
        return output.view(n, oh, ow, self.out_channels).permute(0, 3, 1, 2)

    def _weight_matrix(self):
        """The weight as `(O, k * k * C)`, its columns in the patches' (kh, kw, C) order."""
        return self.weight.permute(0, 2, 3, 1).reshape(self.out_channels, -1)

    def backward(self, grad):
        """Accumulate dL/dW and dL/db from `grad` `(N, O, OH, OW)`; return dL/dx `(N, C, H, W)`.

        With G the gradient as a `(N*OH*OW, O)` matrix and P the patches: dL/dW = G^T P,
        dL/db = the column sums of G, and dL/dP = G W, whose every row is added back onto
        the input positions its patch came from (the adjoint of `unfold`).
        """
        patches, (n, c, h, w) = self._last_saved()
        k, s, p = self.kernel_size, self.stride, self.padding
        oh, ow = self.output_size(h), self.output_size(w)
        if tuple(grad.shape) != (n, self.out_channels, oh, ow):
            raise self._grad_shape_error(grad, (n, self.out_channels, oh, ow))
        self._saved.pop()
        g = grad.permute(0, 2, 3, 1).reshape(n * oh * ow, self.out_channels)
        grad_weight = g.t().mm(patches).view(self.out_channels, k, k, c)
        self.grad_weight.add_(grad_weight.permute(0, 3, 1, 2))
        if self.bias is not None:
            self.grad_bias.add_(g.sum(0))
        grad_patches = g.mm(self._weight_matrix()).view(n, oh, ow, k, k, c)
        grad_x = grad.new_zeros(n, h + 2 * p, w + 2 * p, c)
        for i in range(k):  # kernel row i of every patch lands on rows i, i + s, ...
            for j in range(k):
                grad_x[:, i : i + s * (oh - 1) + 1 : s, j : j + s * (ow - 1) + 1 : s] += (
                    grad_patches[:, :, :, i, j]
                )
        return grad_x[:, p : p + h, p : p + w].permute(0, 3, 1, 2)

    def extra_repr(self):
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        text += f", stride={self.stride}, padding={self.padding}"
        return text if self.bias is not None else text + ", bias=False"
