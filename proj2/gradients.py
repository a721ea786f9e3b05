"""The gradient check of every minidl module: analytic gradients against central finite
differences in float64 (`minidl.gradcheck`), wrt the input and every parameter."""

import torch

import minidl
from minidl.disk import network

BATCH = 8


def cases(generator: torch.Generator) -> list[tuple[str, minidl.Module, tuple]]:
    """(label, module, inputs) for each module of the framework, inputs drawn from `generator`
    (standard normal, float64); `Dropout` in evaluation mode, where it is a function. `LossSum`
    takes tuples, which `gradcheck` does not perturb: its tests compare it with autograd."""

    def normal(*shape):
        return torch.empty(*shape, dtype=torch.float64).normal_(generator=generator)

    classes = torch.empty(BATCH, dtype=torch.int64).random_(3, generator=generator)
    encoder = minidl.Sequential(
        minidl.Conv2d(1, 3, 3, generator=generator), minidl.MaxPool2d(2), minidl.ReLU(),
        minidl.Flatten(), minidl.Linear(12, 4, generator=generator),
    )  # fmt: skip
    head = minidl.Sequential(minidl.Flatten(), minidl.Linear(8, 2, generator=generator))
    return [
        ("Linear(3, 4)", minidl.Linear(3, 4, generator=generator), (normal(BATCH, 3),)),
        ("ReLU()", minidl.ReLU(), (normal(BATCH, 4),)),
        ("LeakyReLU(0.01)", minidl.LeakyReLU(0.01), (normal(BATCH, 4),)),
        ("Tanh()", minidl.Tanh(), (normal(BATCH, 4),)),
        ("Sigmoid()", minidl.Sigmoid(), (normal(BATCH, 4),)),
        ("Dropout(0.5), evaluation", minidl.Dropout(0.5).eval(), (normal(BATCH, 4),)),
        ("the assignment's net", network(generator), (normal(BATCH, 2),)),
        ("LossMSE()", minidl.LossMSE(), (normal(BATCH, 2), normal(BATCH, 2))),
        ("LossCrossEntropy()", minidl.LossCrossEntropy(), (normal(BATCH, 3), classes)),
        ("Conv2d(2, 3, 3, stride=2, padding=1)",
         minidl.Conv2d(2, 3, 3, stride=2, padding=1, generator=generator),
         (normal(2, 2, 7, 7),)),
        ("MaxPool2d(2)", minidl.MaxPool2d(2), (normal(2, 3, 6, 6),)),
        ("Flatten()", minidl.Flatten(), (normal(BATCH, 2, 3),)),
        ("Softmax()", minidl.Softmax(), (normal(BATCH, 4),)),
        ("Siamese: a conv encoder on both images", minidl.Siamese(encoder, head),
         (normal(2, 2, 6, 6),)),
    ]  # fmt: skip


def gradient_check(seed: int = 0) -> list[dict]:
    """One row per module: `module`, the `tensors` checked (input first), the largest
    absolute and relative errors over them and whether every one is within tolerance."""
    rows = []
    for label, module, inputs in cases(torch.Generator().manual_seed(seed)):
        report = minidl.gradcheck(module, *inputs, seed=seed, raise_on_error=False)
        rows.append(
            {
                "module": label,
                "tensors": len(report.errors),
                "values": sum(torch.Size(e.shape).numel() for e in report.errors),
                "max_abs_error": report.max_abs_error,
                "max_rel_error": report.max_rel_error,
                "ok": all(e.ok for e in report.errors),
            }
        )
    return rows
