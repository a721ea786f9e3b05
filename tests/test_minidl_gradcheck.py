"""gradcheck catches wrong backward passes and reports where."""

import pytest
import torch

import minidl


class DoubledReLU(minidl.ReLU):
    def slope(self, output):
        return 2 * output.sign()


class LinearForgetsBiasGradient(minidl.Linear):
    def backward(self, grad):
        saved = self.grad_bias.clone()
        result = super().backward(grad)
        self.grad_bias.copy_(saved)
        return result


def x():
    return torch.randn(4, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)


def test_backward_wrong_by_a_factor_two_fails_naming_the_input():
    with pytest.raises(minidl.GradcheckError, match=r"wrt input\[0\] at index \(\d, \d\)"):
        minidl.gradcheck(DoubledReLU(), x())


def test_wrong_parameter_gradient_fails_naming_the_parameter():
    net = minidl.Sequential(minidl.Linear(3, 2), LinearForgetsBiasGradient(2, 2))
    with pytest.raises(minidl.GradcheckError, match=r"wrt 1\.bias"):
        minidl.gradcheck(net, x())


def test_report_lists_every_tensor_and_leaves_the_module_untouched():
    layer = minidl.Linear(3, 2)
    before = layer.weight.clone()
    report = minidl.gradcheck(layer, x().float())
    assert [e.name for e in report.errors] == ["input[0]", "weight", "bias"]
    assert all(e.ok for e in report.errors) and report.max_rel_error < 1e-5
    assert layer.weight.dtype == torch.float32 and torch.equal(layer.weight, before)
    assert "max abs err" in str(report)


def test_report_without_raising():
    report = minidl.gradcheck(DoubledReLU(), x(), raise_on_error=False)
    assert not report.errors[0].ok and report.max_rel_error == pytest.approx(1.0, rel=1e-4)
