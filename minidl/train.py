"""Training and evaluation loops: `fit`, `predict`, `error_rate`."""

from .data import minibatches


def print_epoch(epoch, loss):
    """The default `fit` callback: one line per epoch."""
    print(f"epoch {epoch:3d}  loss {loss:.6f}")


def fit(
    model,
    criterion,
    optimizer,
    inputs,
    targets,
    *,
    epochs=25,
    batch_size=100,
    generator=None,
    on_epoch=print_epoch,
):
    """Train `model` on `(inputs, targets)` with shuffled minibatches; return the loss log.

    Every epoch ends with `on_epoch(epoch, mean_loss)` (printing by default, None for
    silence); the returned list holds each epoch's mean minibatch loss.
    """
    model.train()
    history = []
    for epoch in range(1, epochs + 1):
        total = count = 0
        for x, t in minibatches(inputs, targets, batch_size=batch_size, generator=generator):
            loss = criterion.forward(model.forward(x), t)
            optimizer.zero_grad()
            model.backward(criterion.backward())
            optimizer.step()
            total, count = total + loss, count + 1  # a tensor sum: no per-step sync
        history.append(float(total) / count)
        if on_epoch is not None:
            on_epoch(epoch, history[-1])
    return history


def predict(model, inputs, batch_size=1000):
    """Predicted classes `(N,)` int64: the argmax of the output, computed in evaluation mode."""
    was_training = model.training
    model.eval()
    try:
        classes = inputs.new_empty(len(inputs)).long()
        for i in range(0, len(inputs), batch_size):
            classes[i : i + batch_size] = model.forward(inputs[i : i + batch_size]).argmax(dim=1)
        return classes
    finally:
        model.train(was_training)


def error_rate(model, inputs, labels, batch_size=1000):
    """Fraction of `labels` `(N,)` that `predict(model, inputs)` gets wrong, a float."""
    if len(inputs) != len(labels):
        raise ValueError(f"error_rate: {len(inputs)} inputs but {len(labels)} labels")
    return float((predict(model, inputs, batch_size) != labels).double().mean())
