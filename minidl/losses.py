"""Losses: modules whose `forward(prediction, target)` returns a 0-dim tensor."""

from .module import Module


class Loss(Module):
    """A criterion: `forward(prediction, target)` -> 0-dim loss; `backward()` -> dL/dprediction.

    `backward()` may be called again for the same forward (it takes no gradient, and
    returns the same one): it consumes the latest forward of the pass only while an
    earlier one remains, as when one criterion scores two outputs in one pass.
    """

    def backward(self):
        raise NotImplementedError(f"{type(self).__name__} does not implement backward")

    def _take_saved(self):
        """What the latest forward saved; dropped only when an earlier forward remains."""
        saved = self._last_saved()
        if len(self._saved) > 1:
            self._saved.pop()
        return saved


class LossMSE(Loss):
    """Mean squared error over all elements, like `torch.nn.MSELoss()`.

    `prediction` and `target` have the same shape, e.g. `(N, C)`.
    """

    def forward(self, prediction, target):
        if prediction.shape != target.shape:
            raise ValueError(
                f"LossMSE: prediction has shape {tuple(prediction.shape)} but target has "
                f"shape {tuple(target.shape)}; they must be equal"
            )
        diff = prediction - target
        self._save(diff)
        return diff.square().mean()

    def backward(self):
        """2 (prediction - target) / numel, the shape of the prediction."""
        diff = self._take_saved()
        return diff * (2 / diff.numel())


class LossCrossEntropy(Loss):
    """Softmax cross entropy averaged over the batch, like `torch.nn.CrossEntropyLoss()`.

    `prediction`: logits `(N, C)`; `target`: int64 class indices `(N,)` in [0, C).
    Stable for large logits: the row maximum is subtracted before exponentiating.
    """

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
        self._save((exp.div_(total), target))
        picked = shifted.gather(1, target.unsqueeze(1))
        return (total.log_() - picked).mean()

    def backward(self):
        """(softmax(prediction) - one_hot(target)) / N, shape `(N, C)`."""
        probabilities, target = self._take_saved()
        grad = probabilities.clone()
        grad.scatter_add_(1, target.unsqueeze(1), grad.new_full((len(grad), 1), -1.0))
        return grad.div_(len(grad))
