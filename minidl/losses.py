"""Losses: modules whose `forward(prediction, target)` returns a 0-dim tensor."""

from .module import Module


class Loss(Module):
    """A criterion: `forward(prediction, target)` -> 0-dim loss; `backward()` -> dL/dprediction."""

    def backward(self):
        raise NotImplementedError(f"{type(self).__name__} does not implement backward")


class LossMSE(Loss):
    """Mean squared error over all elements, like `torch.nn.MSELoss()`.

    `prediction` and `target` have the same shape, e.g. `(N, C)`.
    """

    def __init__(self):
        super().__init__()
        self._diff = None

    def forward(self, prediction, target):
        if prediction.shape != target.shape:
            raise ValueError(
                f"LossMSE: prediction has shape {tuple(prediction.shape)} but target has "
                f"shape {tuple(target.shape)}; they must be equal"
            )
        self._diff = diff = prediction - target
        return diff.square().mean()

    def backward(self):
        """2 (prediction - target) / numel, the shape of the prediction."""
        diff = self._diff
        if diff is None:
            raise self._no_forward_error()
        return diff * (2 / diff.numel())


class LossCrossEntropy(Loss):
    """Softmax cross entropy averaged over the batch, like `torch.nn.CrossEntropyLoss()`.

    `prediction`: logits `(N, C)`; `target`: int64 class indices `(N,)` in [0, C).
    Stable for large logits: the row maximum is subtracted before exponentiating.
    """

    def __init__(self):
        super().__init__()
        self._probabilities = self._target = None

    def forward(self, prediction, target):
        if prediction.dim() != 2:
            raise ValueError(
                f"LossCrossEntropy: prediction must be logits (N, C), got shape "
                f"{tuple(prediction.shape)}"
            )
        n, c = prediction.shape
        if target.shape != (n,) or target.is_floating_point() or target.is_complex():
            raise ValueError(
                f"LossCrossEntropy: target must be int64 class indices of shape ({n},), "
                f"got {target.dtype} of shape {tuple(target.shape)}"
            )
        if n and (target.min() < 0 or target.max() >= c):
            raise ValueError(
                f"LossCrossEntropy: target classes must lie in [0, {c}), "
                f"got values in [{int(target.min())}, {int(target.max())}]"
            )
        shifted = prediction - prediction.amax(dim=1, keepdim=True)
        exp = shifted.exp()
        total = exp.sum(dim=1, keepdim=True)
        self._probabilities, self._target = exp.div_(total), target
        picked = shifted.gather(1, target.unsqueeze(1))
        return (total.log_() - picked).mean()

    def backward(self):
        """(softmax(prediction) - one_hot(target)) / N, shape `(N, C)`."""
        probabilities = self._probabilities
        if probabilities is None:
            raise self._no_forward_error()
        grad = probabilities.clone()
        grad.scatter_add_(1, self._target.unsqueeze(1), grad.new_full((len(grad), 1), -1.0))
        return grad.div_(len(grad))
