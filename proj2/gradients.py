"""The gradient check of every minidl module: analytic gradients against central finite
differences in float64 (`minidl.gradcheck`), wrt the input and every parameter."""

import torch

import minidl
from minidl.disk import network

BATCH = 8


def cases(generator: torch.Generator) -> list[tuple[str, minidl.Module, tuple]]:
    """(label, module, inputs) for each module of the framework, inputs drawn from `generator`
    (standard normal, float64); `Dropout` in evaluation mode, where it is a function."""

    def normal(*shape):
        return torch.empty(*shape, dtype=torch.float64).normal_(generator=generator)

    classes = torch.empty(BATCH, dtype=torch.int64).random_(3, generator=generator)
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
    ]


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
