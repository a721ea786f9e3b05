"""gradcheck catches wrong backward passes and reports where."""

import random

import pytest
import torch

import minidl
from minidl.gradcheck import GradError


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


class ScaledSum(minidl.Loss):
    """L = sum(scale * prediction); its backward adds `error` to the true gradient `scale`."""

    def __init__(self, scale, error):
        super().__init__()
        self.scale, self.error = scale, error

    def forward(self, prediction, target):
        return (self.scale * prediction).sum()

    def backward(self):
        return self.scale + self.error


def check(scale, error, **options):
    x = torch.zeros(scale.shape, dtype=torch.float64)
    return minidl.gradcheck(ScaledSum(scale, error), x, torch.zeros(1), **options)


def test_the_worst_element_is_the_one_furthest_over_its_tolerance():
    # (0, 0): 1e-3 off a slope of 100, within 1e-5 + 1e-4 * 100; (1, 1): 5e-4 off a slope of
    # 0, over 1e-5: the larger error is not the worst one
    scale = torch.tensor([[100.0, 0.0, 1.0], [2.0, 0.0, 5.0]], dtype=torch.float64)
    error = torch.zeros(2, 3, dtype=torch.float64)
    error[0, 0], error[1, 1] = 1e-3, 5e-4
    with pytest.raises(minidl.GradcheckError) as info:
        check(scale, error)
    report = check(scale, error, raise_on_error=False)
    (e,) = report.errors
    assert (e.name, e.shape, e.worst_index, e.analytic, e.numeric, e.ok) == (
        "input[0]",
        (2, 3),
        (1, 1),
        5e-4,
        0.0,
        False,
    )
    assert e.max_abs_error == pytest.approx(1e-3, rel=1e-6)
    assert e.max_rel_error == pytest.approx(5e-4 / 1e-8)
    assert str(info.value) == (
        "gradcheck failed for ScaledSum: gradient wrt input[0] at index (1, 1) is 0.0005 "
        "analytically but 0 by finite differences (abs error 1.00e-03, rel error 5.00e+04)\n"
        f"{report}"
    )
    error = torch.zeros(2, 3, dtype=torch.float64)
    error[0, 2] = 1e-3  # the last column of the first row: (0, 2), flat index 2
    assert check(scale * 0, error, raise_on_error=False).errors[0].worst_index == (0, 2)
    assert str(report).splitlines() == [
        "tensor             shape         max abs err  max rel err  ok",
        "input[0]           2x3              1.00e-03     5.00e+04  NO",
    ]


def test_an_error_equal_to_the_tolerance_passes_and_exact_slopes_are_exact():
    error = torch.tensor([1e-5, 0.0], dtype=torch.float64)  # atol + rtol * 0, exactly
    report = check(torch.tensor([0.0, 0.1], dtype=torch.float64), error)
    assert report.errors[0].ok and report.max_abs_error == 1e-5
    exact = check(torch.full((3,), 0.1, dtype=torch.float64), torch.zeros(3, dtype=torch.float64))
    assert exact.max_abs_error < 1e-12  # float64 differences of a linear function


def test_empty_tensors_have_nothing_to_check():
    layer = minidl.Linear(3, 2, generator=torch.Generator().manual_seed(0))
    report = minidl.gradcheck(layer, torch.zeros(0, 3))
    assert report.errors[0] == GradError("input[0]", (0, 3), 0.0, 0.0, (), 0.0, 0.0, True)
    assert [e.ok for e in report.errors] == [True, True, True]


class Product(minidl.Module):
    """Two inputs: a * b, with both gradients."""

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        return grad * self.b, grad * self.a


def test_every_input_of_a_module_with_several_is_checked():
    a, b = torch.randn(2, 3, generator=torch.Generator().manual_seed(1)).unbind(0)
    report = minidl.gradcheck(Product(), a, b)
    assert [e.name for e in report.errors] == ["input[0]", "input[1]"]
    assert report.max_abs_error < 1e-9


def test_the_default_seed_is_0_and_a_sequential_is_left_as_it_was():
    net = minidl.Sequential(
        minidl.Linear(3, 2, generator=torch.Generator().manual_seed(0)), minidl.Tanh()
    )
    before = [p.clone() for p, _ in net.param()]
    assert minidl.gradcheck(net, x()).errors == minidl.gradcheck(net, x(), seed=0).errors
    assert minidl.gradcheck(net, x()).errors != minidl.gradcheck(net, x(), seed=1).errors
    after = [p for p, _ in net.param()]
    assert all(p.dtype == torch.float32 and torch.equal(p, q) for p, q in zip(after, before))


def test_a_module_is_weighted_by_standard_normal_draws_from_its_seed():
    x = torch.rand(2, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64) + 1
    rng = random.Random(7)
    weight = [rng.gauss(0.0, 1.0) for _ in range(6)]  # dL/dx of L = sum(w * relu(x)), x > 0
    (e,) = minidl.gradcheck(minidl.ReLU(), x, seed=7).errors
    assert e.analytic == weight[3 * e.worst_index[0] + e.worst_index[1]]
