"""Exact values at the edges that looser tests let through (found by mutation testing):
the slope of LeakyReLU at 0, messages of the abstract methods, nested reprs, and the
random draws of the pair augmentations (generator only, every offset, on any device)."""

import pytest
import torch

import minidl
from proj1.training import shift_images, swap_pairs


def test_leaky_relu_default_slope_and_its_gradient_at_zero_match_torch():
    layer = minidl.LeakyReLU()
    assert layer.negative_slope == 0.01 and repr(layer) == "LeakyReLU(negative_slope=0.01)"
    x = torch.tensor([-2.0, 0.0, 3.0])
    assert layer.forward(x).tolist() == pytest.approx([-0.02, 0.0, 3.0])
    # torch's LeakyReLU takes the negative slope at exactly 0
    reference = x.clone().requires_grad_()
    torch.nn.functional.leaky_relu(reference, 0.01).backward(torch.ones(3))
    assert (
        layer.backward(torch.ones(3)).tolist()
        == reference.grad.tolist()
        == [
            pytest.approx(0.01),
            pytest.approx(0.01),
            1.0,
        ]
    )


def test_relu_gradient_at_zero_is_zero_like_torch():
    layer = minidl.ReLU()
    layer.forward(torch.tensor([-1.0, 0.0, 2.0]))
    assert layer.backward(torch.ones(3)).tolist() == [0.0, 0.0, 1.0]


def test_abstract_methods_name_the_class():
    class Half(minidl.Module):
        pass

    class Unfinished(minidl.Loss):
        def forward(self, prediction, target):
            return prediction.sum()

    with pytest.raises(NotImplementedError, match="^Half does not implement forward$"):
        Half().forward(torch.zeros(1))
    with pytest.raises(NotImplementedError, match="^Half does not implement backward$"):
        Half().backward(torch.zeros(1))
    with pytest.raises(NotImplementedError, match="^Unfinished does not implement backward$"):
        Unfinished().backward()


def test_sequential_reprs_nest_and_empty():
    assert repr(minidl.Sequential()) == "Sequential()"
    inner = minidl.Sequential(minidl.Linear(2, 2), minidl.ReLU())
    outer = minidl.Sequential(inner, minidl.Tanh())
    assert repr(outer) == (
        "Sequential(\n"
        "  (0): Sequential(\n"
        "    (0): Linear(in_features=2, out_features=2, bias=True)\n"
        "    (1): ReLU()\n"
        "  )\n"
        "  (1): Tanh()\n"
        ")"
    )


def pairs(n, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 2, 14, 14, generator=g)
    classes = torch.randint(0, 10, (n, 2), generator=g)
    return x, (classes[:, 0] <= classes[:, 1]).long(), classes


def test_swap_draws_from_its_generator_only_about_half_the_pairs():
    x, t, c = pairs(1000)
    torch.manual_seed(1)
    a = swap_pairs(x, t, c, torch.Generator().manual_seed(5))
    torch.manual_seed(2)  # the global RNG plays no part
    b = swap_pairs(x, t, c, torch.Generator().manual_seed(5))
    assert all(torch.equal(u, v) for u, v in zip(a, b))
    flipped = (a[0] != x).flatten(1).any(1)
    assert 400 < int(flipped.sum()) < 600  # Binomial(1000, 1/2): 500 +- 16
    assert torch.equal(a[2][flipped], c[flipped].flip(1)) and torch.equal(
        a[2][~flipped], c[~flipped]
    )
    assert torch.equal(a[1], (a[2][:, 0] <= a[2][:, 1]).long())


def offsets_of(x, y, shift):
    """(dy, dx) of each image of y as a window of x edge-padded by `shift`."""
    found = []
    padded = torch.nn.functional.pad(x.flatten(0, 1)[:, None], (shift,) * 4, mode="replicate")
    for image, out in zip(padded[:, 0], y.flatten(0, 1)):
        size = 2 * shift + 1
        (match,) = [
            (dy, dx)
            for dy in range(size)
            for dx in range(size)
            if torch.equal(image[dy : dy + 14, dx : dx + 14], out)
        ]
        found.append(match)
    return found


@pytest.mark.parametrize("shift", [1, 2])
def test_shift_draws_every_offset_independently_per_image(shift):
    x = pairs(150)[0]  # 300 images, random pixels: each offset gives a different window
    y = shift_images(x, shift, torch.Generator().manual_seed(0))
    found = offsets_of(x, y, shift)
    size = 2 * shift + 1
    counts = torch.zeros(size, size)
    for dy, dx in found:
        counts[dy, dx] += 1
    assert (counts > 0).all()  # every (dy, dx) in [-shift, shift]^2 occurs, rows and columns apart
    assert counts.max() < 3 * 300 / size**2


def test_shift_draws_from_its_generator_only():
    x = pairs(20)[0]
    torch.manual_seed(1)
    a = shift_images(x, 1, torch.Generator().manual_seed(3))
    torch.manual_seed(2)
    assert torch.equal(a, shift_images(x, 1, torch.Generator().manual_seed(3)))


def test_augmentations_keep_their_tensors_on_the_inputs_device():
    # the meta device has no data: a tensor left on the CPU would fail to combine with it
    x, t, c = (v.to("meta") for v in pairs(4))
    sx, st, sc = swap_pairs(x, t, c, torch.Generator().manual_seed(0))
    assert sx.device.type == st.device.type == sc.device.type == "meta"
    assert shift_images(x, 1, torch.Generator().manual_seed(0)).device.type == "meta"


def test_gradcheck_report_table():
    from minidl.gradcheck import GradcheckReport, GradError

    report = GradcheckReport(
        [
            GradError("input[0]", (3, 2), 1.5e-9, 2.25e-7, (0, 1), 0.1, 0.1, True),
            GradError("0.bias", (), 0.5, 1.0, (), 1.0, 0.5, False),
        ]
    )
    assert str(report) == (
        "tensor             shape         max abs err  max rel err  ok\n"
        "input[0]           3x2              1.50e-09     2.25e-07  yes\n"
        "0.bias             scalar           5.00e-01     1.00e+00  NO"
    )
    assert (report.max_abs_error, report.max_rel_error) == (0.5, 1.0)
    assert GradcheckReport([]).max_abs_error == GradcheckReport([]).max_rel_error == 0.0


@pytest.mark.parametrize("init", ["xavier", "he"])
def test_linear_repr_names_a_non_default_init(init):
    assert repr(minidl.Linear(2, 3, init=init)) == (
        f"Linear(in_features=2, out_features=3, bias=True, init='{init}')"
    )
    assert repr(minidl.Linear(2, 3)) == "Linear(in_features=2, out_features=3, bias=True)"


def test_module_plumbing_reaches_nested_children():
    inner = minidl.Sequential(minidl.Linear(2, 3), minidl.Dropout(0.5))
    net = minidl.Sequential(minidl.Linear(3, 2), inner)
    assert [n for n, _, _ in net.named_param()] == ["0.weight", "0.bias", "1.0.weight", "1.0.bias"]
    assert [n for n, _, _ in inner.named_param("x.")] == ["x.0.weight", "x.0.bias"]
    for _, g in net.param():
        g.fill_(1.0)
    net.zero_grad()
    assert all(g.abs().sum() == 0 for _, g in net.param())
    net.eval()
    assert not net.training and not inner.training and not inner[1].training
    net.train()
    assert inner[1].training
    assert net.double() is net
    assert all(p.dtype == g.dtype == torch.float64 for _, p, g in net.named_param())
    assert net.float() is net
    assert all(p.dtype == g.dtype == torch.float32 for _, p, g in net.named_param())
    assert net.to(device="cpu") is net and net.param()[0][0].device.type == "cpu"
    x = torch.ones(4, 3)
    assert torch.equal(net.eval()(x), net.forward(x))  # eval: no dropout draws
    assert minidl.ReLU().param() == [] and minidl.ReLU().named_param() == []


def test_dropout_default_zero_and_generator():
    assert repr(minidl.Dropout()) == "Dropout(p=0.5)"
    g = torch.Generator().manual_seed(0)
    state = g.get_state()
    off = minidl.Dropout(0.0, generator=g)
    x = torch.arange(6.0).view(2, 3)
    assert torch.equal(off.forward(x), x) and torch.equal(g.get_state(), state)  # no draws
    assert torch.equal(off.backward(torch.ones(2, 3)), torch.ones(2, 3))
    torch.manual_seed(1)
    a = minidl.Dropout(0.5, generator=torch.Generator().manual_seed(4)).forward(torch.ones(100))
    torch.manual_seed(2)  # only the module's generator decides the mask
    b = minidl.Dropout(0.5, generator=torch.Generator().manual_seed(4)).forward(torch.ones(100))
    assert torch.equal(a, b) and set(a.tolist()) == {0.0, 2.0}


def test_dropout_gradient_of_the_wrong_shape_names_the_mask_shape():
    layer = minidl.Dropout(0.5, generator=torch.Generator().manual_seed(0))
    layer.forward(torch.ones(4, 2))
    with pytest.raises(
        ValueError, match=r"has shape \(4, 7\), expected the output's shape \(4, 2\)"
    ):
        layer.backward(torch.ones(4, 7))


def test_cross_entropy_names_the_bad_prediction_shape():
    with pytest.raises(
        ValueError, match=r"must be logits \(N, C\) or \(N, K, C\), got shape \(5,\)"
    ):
        minidl.LossCrossEntropy().forward(torch.zeros(5), torch.zeros(5, dtype=torch.long))


@pytest.mark.parametrize(
    "make", [minidl.ReLU, minidl.Tanh, minidl.Sigmoid, minidl.LeakyReLU, minidl.Dropout]
)
def test_a_fresh_module_refuses_backward_before_forward(make):
    with pytest.raises(RuntimeError, match="backward called before forward"):
        make().backward(torch.zeros(2))


def test_minibatches_default_to_100():
    sizes = [len(b[0]) for b in minidl.minibatches(torch.zeros(250), shuffle=False)]
    assert sizes == [100, 100, 50]
