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
    """Softmax cross entropy averaged over the rows, like `torch.nn.CrossEntropyLoss()`.

    `prediction`: logits `(N, C)`, or `(N, K, C)` for K classifications of each sample (the
    two digits of a pair: `(N, 2, 10)`); `target`: int64 class indices `(N,)` or `(N, K)` in
    [0, C). The classes are on the last dimension, and the mean runs over all N*K rows:
    `torch.nn.functional.cross_entropy(prediction.flatten(0, 1), target.flatten())`
    (torch's own K-dimensional form puts the classes on dimension 1 instead). Stable for
    large logits: the row maximum is subtracted before exponentiating.
    """

    def forward(self, prediction, target):
        if prediction.dim() not in (2, 3):
            raise ValueError(
                f"LossCrossEntropy: prediction must be logits (N, C) or (N, K, C), got shape "
                f"{tuple(prediction.shape)}"
            )
        rows, c = tuple(prediction.shape[:-1]), prediction.size(-1)
        if tuple(target.shape) != rows or target.is_floating_point() or target.is_complex():
            raise ValueError(
                f"LossCrossEntropy: target must be int64 class indices of shape {rows}, "
                f"got {target.dtype} of shape {tuple(target.shape)}"
            )
        if target.numel() and (target.min() < 0 or target.max() >= c):
            raise ValueError(
                f"LossCrossEntropy: target classes must lie in [0, {c}), "
                f"got values in [{int(target.min())}, {int(target.max())}]"
            )
        logits, target = prediction.reshape(-1, c), target.reshape(-1, 1)
        shifted = logits - logits.amax(dim=1, keepdim=True)
        exp = shifted.exp()
        total = exp.sum(dim=1, keepdim=True)
        self._save((exp.div_(total), target, prediction.shape))
        picked = shifted.gather(1, target)
        return (total.log_() - picked).mean()

    def backward(self):
        """(softmax(prediction) - one_hot(target)) / rows, the shape of the prediction."""
        probabilities, target, shape = self._take_saved()
        grad = probabilities.clone()
        grad.scatter_add_(1, target, grad.new_full((len(grad), 1), -1.0))
        return grad.div_(len(grad)).view(shape)


class LossSum(Loss):
    """A weighted sum of losses, each on its own output: sum_i w_i L_i(prediction_i, target_i).

    For a model with several outputs, e.g. Project 1's auxiliary loss on a `Siamese` model:
    `LossSum(LossCrossEntropy(), LossCrossEntropy(), weights=(1.0, 2.0))`, then
    `forward((comparison, digits), (target, classes))` -> 0-dim loss and `backward()` -> the
    tuple of gradients wrt each prediction, to pass on as `model.backward(*grads)`.
    """

    def __init__(self, *losses, weights=None):
        super().__init__()
        weights = (1.0,) * len(losses) if weights is None else tuple(weights)
        if not losses or not all(isinstance(loss, Loss) for loss in losses):
            raise TypeError(f"LossSum: expected one or more minidl losses, got {losses!r}")
        if len(weights) != len(losses):
            raise ValueError(f"LossSum: {len(losses)} losses but {len(weights)} weights")
        if any(isinstance(w, bool) or not isinstance(w, (int, float)) for w in weights):
            raise ValueError(f"LossSum: weights must be numbers, got {weights!r}")
        self.losses, self.weights = list(losses), weights

    def children(self):
        return self.losses

    def forward(self, predictions, targets):
        """`predictions` and `targets`: one of each per loss (tuples) -> the 0-dim weighted sum."""
        count = len(self.losses)
        if len(predictions) != count or len(targets) != count:
            raise ValueError(
                f"LossSum: {count} losses, got {len(predictions)} predictions and "
                f"{len(targets)} targets"
            )
        total = None
        for loss, weight, prediction, target in zip(
            self.losses, self.weights, predictions, targets
        ):
            term = loss.forward(prediction, target) * weight
            total = term if total is None else total + term
        return total

    def backward(self):
        """The tuple of w_i dL_i/dprediction_i, in the order of the losses."""
        # the last loss first: one criterion used twice pops its latest use first
        grads = [loss.backward() * w for loss, w in zip(self.losses[::-1], self.weights[::-1])]
        return tuple(grads[::-1])

    def extra_repr(self):
        return ", ".join(f"{w} * {loss!r}" for loss, w in zip(self.losses, self.weights))
