"""`MaxPool2d`: the largest value of each window, windows side by side (stride = kernel)."""

from .module import Module


class MaxPool2d(Module):
    """Max pooling over k x k windows (k = `kernel_size`): `(N, C, H, W)` -> `(N, C, H//k, W//k)`.

    The stride is the kernel size, as `torch.nn.MaxPool2d(k)`'s default: the windows tile
    the image, and rows or columns left over at the bottom or right are dropped. Where a
    window holds its maximum more than once, the gradient goes to the first in row-major
    order, as in torch. Returns a channels-last view, like `Conv2d`.
    """

    def __init__(self, kernel_size):
        super().__init__()
        if not isinstance(kernel_size, int) or isinstance(kernel_size, bool) or kernel_size < 1:
            raise ValueError(f"MaxPool2d: kernel_size must be an integer >= 1, got {kernel_size!r}")
        self.kernel_size = kernel_size

    def forward(self, input):
        """`(N, C, H, W)` -> `(N, C, H // k, W // k)`."""
        k = self.kernel_size
        if input.dim() != 4 or min(input.shape[2:]) < k:
            raise ValueError(
                f"{self!r}: input has shape {tuple(input.shape)}, expected (N, C, H, W) with "
                f"H, W >= {k}"
            )
        n, c, h, w = input.shape
        x = input.permute(0, 2, 3, 1)  # (N, H, W, C)
        # (k * k, N, OH, OW, C): the windows' values, one slice per position in the window,
        # in row-major order; a reduction over this first dimension is fast, and it returns
        # no indices (the index-returning reductions are ten times slower)
        windows = x.new_empty(k * k, n, h // k, w // k, c)
        for m, rows, cols in self._positions(h, w):
            windows[m] = x[:, rows, cols]
        output = windows.amax(dim=0)
        self._save((windows, output, tuple(input.shape)))
        return output.permute(0, 3, 1, 2)

    def _positions(self, h, w):
        """(m, rows, cols) of each position m of the window: slices of the input's H and W."""
        k = self.kernel_size
        oh, ow = h // k, w // k
        return [
            (i * k + j, slice(i, oh * k, k), slice(j, ow * k, k))
            for i in range(k)
            for j in range(k)
        ]

    def backward(self, grad):
        """dL/dx `(N, C, H, W)`: each window's gradient on its first maximum, zero elsewhere."""
        windows, output, (n, c, h, w) = self._last_saved()
        k = self.kernel_size
        if tuple(grad.shape) != (n, c, h // k, w // k):
            raise self._grad_shape_error(grad, (n, c, h // k, w // k))
        self._saved.pop()
        # 1 where a value is its window's maximum, 0 below it (in place: `windows` is ours)
        first = windows.sub_(output).sign_().add_(1)
        free = 1 - first[0]  # 1 in the windows whose maximum is not found yet
        for m in range(1, k * k):
            first[m].mul_(free)  # a later tie is no maximum: the first one is
            if m < k * k - 1:
                free.sub_(first[m])
        first.mul_(grad.permute(0, 2, 3, 1))
        grad_x = first.new_zeros(n, h, w, c) if h % k or w % k else first.new_empty(n, h, w, c)
        for m, rows, cols in self._positions(h, w):
            grad_x[:, rows, cols] = first[m]
        return grad_x.permute(0, 3, 1, 2)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}"
