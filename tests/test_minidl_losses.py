"""minidl losses against torch.nn's, including extreme logits and bad targets."""

import pytest
import torch

import minidl


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


def autograd_loss(loss_fn, prediction, target):
    with torch.enable_grad():
        prediction = prediction.clone().requires_grad_(True)
        value = loss_fn(prediction, target)
        value.backward()
    return value.detach(), prediction.grad


def test_mse_matches_torch():
    y = torch.randn(7, 3, generator=generator(1), dtype=torch.float64)
    t = torch.randn(7, 3, generator=generator(2), dtype=torch.float64)
    value, grad = autograd_loss(torch.nn.MSELoss(), y, t)
    loss = minidl.LossMSE()
    torch.testing.assert_close(loss(y, t), value)
    assert loss(y, t).dim() == 0
    torch.testing.assert_close(loss.backward(), grad)
    minidl.gradcheck(loss, y, t)


@pytest.mark.parametrize("scale", [1.0, 1e3, 1e5])
def test_cross_entropy_matches_torch_even_for_huge_logits(scale):
    logits = scale * torch.randn(9, 4, generator=generator(1), dtype=torch.float64)
    target = torch.randint(0, 4, (9,), generator=generator(2))
    value, grad = autograd_loss(torch.nn.CrossEntropyLoss(), logits, target)
    loss = minidl.LossCrossEntropy()
    got = loss(logits, target)
    assert torch.isfinite(got)
    torch.testing.assert_close(got, value)
    torch.testing.assert_close(loss.backward(), grad)


def test_cross_entropy_float32_huge_logits_stay_finite():
    logits = torch.tensor([[1e4, 0.0], [0.0, -1e4]])
    loss = minidl.LossCrossEntropy()
    value = loss(logits, torch.tensor([1, 0]))
    assert torch.isfinite(value) and value.item() == pytest.approx(5e3, rel=1e-6)  # (1e4 + 0) / 2
    assert torch.isfinite(loss.backward()).all()


def test_cross_entropy_gradcheck():
    logits = torch.randn(5, 3, generator=generator(1), dtype=torch.float64)
    minidl.gradcheck(minidl.LossCrossEntropy(), logits, torch.tensor([0, 2, 1, 1, 0]))


def test_mse_rejects_shape_mismatch():
    with pytest.raises(ValueError, match=r"LossMSE: prediction has shape \(4, 2\).*\(4,\)"):
        minidl.LossMSE()(torch.zeros(4, 2), torch.zeros(4))


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (torch.tensor([0.0, 1.0]), "int64 class indices"),
        (torch.tensor([0, 1, 1]), r"shape \(2,\)"),
        (torch.tensor([0, 3]), r"classes must lie in \[0, 3\)"),
        (torch.tensor([-1, 0]), r"classes must lie in \[0, 3\)"),
    ],
    ids=["float-targets", "too-many-targets", "class-too-large", "negative-class"],
)
def test_cross_entropy_rejects_bad_targets(target, message):
    with pytest.raises(ValueError, match=message):
        minidl.LossCrossEntropy()(torch.zeros(2, 3), target)


def test_loss_backward_before_forward():
    with pytest.raises(RuntimeError, match="backward called before forward"):
        minidl.LossMSE().backward()
    with pytest.raises(RuntimeError, match="backward called before forward"):
        minidl.LossCrossEntropy().backward()
