"""minidl modules: gradients against finite differences and against torch autograd."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minidl

SEED = 0


def generator(seed=SEED):
    return torch.Generator().manual_seed(seed)


# name -> factory: the modules are built inside each test, where a mutated constructor
# reaches them (built at import, they would be made before mutmut switches its mutant on)
ACTIVATIONS = {
    "ReLU": lambda: (minidl.ReLU(), torch.nn.ReLU()),
    "LeakyReLU(0.1)": lambda: (minidl.LeakyReLU(0.1), torch.nn.LeakyReLU(0.1)),
    "Tanh": lambda: (minidl.Tanh(), torch.nn.Tanh()),
    "Sigmoid": lambda: (minidl.Sigmoid(), torch.nn.Sigmoid()),
}


def linear_pair(i, o, bias=True, g=None):
    """A minidl Linear and a torch Linear holding the same parameters, in float64."""
    mine = minidl.Linear(i, o, bias=bias, generator=g or generator()).double()
    theirs = torch.nn.Linear(i, o, bias=bias).double()
    with torch.no_grad():
        theirs.weight.copy_(mine.weight)
        if bias:
            theirs.bias.copy_(mine.bias)
    return mine, theirs


def autograd(module, x, grad_out):
    """Input gradient and parameter gradients of a torch module, computed by autograd."""
    with torch.enable_grad():
        x = x.clone().requires_grad_(True)
        y = module(x)
        y.backward(grad_out)
    return y.detach(), x.grad, [p.grad for p in module.parameters()]


def assert_matches_torch(mine, theirs, x, grad_out):
    """Same output, input gradient and parameter gradients as the torch module."""
    y, grad_x, grads = autograd(theirs, x, grad_out)
    torch.testing.assert_close(mine(x), y)
    torch.testing.assert_close(mine.backward(grad_out), grad_x)
    assert len(mine.param()) == len(grads)
    for (_, got), expected in zip(mine.param(), grads):
        torch.testing.assert_close(got, expected)


GRADCHECKED = {
    "Linear": lambda: minidl.Linear(3, 4, generator=generator()),
    "Linear without bias": lambda: minidl.Linear(3, 4, bias=False, generator=generator()),
    "Linear xavier": lambda: minidl.Linear(3, 4, init="xavier", generator=generator()),
    "ReLU": minidl.ReLU,
    "LeakyReLU(0.2)": lambda: minidl.LeakyReLU(0.2),
    "Tanh": minidl.Tanh,
    "Sigmoid": minidl.Sigmoid,
    "Dropout(0.5) eval": lambda: minidl.Dropout(0.5).eval(),
    "Sequential": lambda: minidl.Sequential(
        minidl.Linear(3, 5, generator=generator()),
        minidl.Tanh(),
        minidl.Linear(5, 2, generator=generator()),
        minidl.Sigmoid(),
    ),
}


@pytest.mark.parametrize("name", GRADCHECKED)
def test_gradcheck_passes(name):
    module = GRADCHECKED[name]()
    x = torch.randn(6, 3, generator=generator(1), dtype=torch.float64)
    report = minidl.gradcheck(module, x)
    assert report.max_abs_error < 1e-6


def test_linear_bias_gradient_follows_the_batch_size():
    layer = minidl.Linear(2, 3, generator=generator()).double()
    for n in (4, 3, 3, 5):  # a new batch size after one seen before
        layer.zero_grad()
        layer(torch.ones(n, 2, dtype=torch.float64))
        layer.backward(torch.ones(n, 3, dtype=torch.float64))
        assert layer.grad_bias.tolist() == [float(n)] * 3


@pytest.mark.parametrize("shape", [(5, 3), (4,), (4, 2)], ids=["rows", "one-dim", "columns"])
def test_linear_gradient_of_the_wrong_shape(shape):
    layer = minidl.Linear(2, 3)
    layer(torch.zeros(4, 2))
    with pytest.raises(ValueError) as error:
        layer.backward(torch.zeros(shape))
    assert str(error.value) == (
        f"{layer!r}: gradient wrt output has shape {shape}, expected the output's shape (4, 3)"
    )


@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch(bias):
    mine, theirs = linear_pair(4, 3, bias)
    x = torch.randn(5, 4, generator=generator(1), dtype=torch.float64)
    grad_out = torch.randn(5, 3, generator=generator(2), dtype=torch.float64)
    assert_matches_torch(mine, theirs, x, grad_out)


@pytest.mark.parametrize("bias", [True, False])
def test_linear_makes_its_tensors_with_the_dtype_and_device_asked(bias):
    layer = minidl.Linear(3, 2, bias, dtype=torch.float64, device="meta")
    assert [(p.dtype, p.device.type) for pair in layer.param() for p in pair] == [
        (torch.float64, "meta")
    ] * (4 if bias else 2)


def test_sequential_moves_every_parameter_and_gradient_to_the_device_asked():
    net = minidl.Sequential(minidl.Linear(2, 3), minidl.ReLU(), minidl.Linear(3, 1))
    assert net.to(device="meta") is net
    assert {(p.device.type, p.dtype) for pair in net.param() for p in pair} == {
        ("meta", torch.float32)
    }


def test_linear_default_init_draws_what_torch_nn_linear_draws():
    mine = minidl.Linear(50, 20, generator=generator())
    theirs = torch.nn.Linear(50, 20)
    g = generator()
    with torch.no_grad():  # torch.nn.Linear.reset_parameters, with our generator
        torch.nn.init.kaiming_uniform_(theirs.weight, a=5**0.5, generator=g)
        torch.nn.init.uniform_(theirs.bias, -(50**-0.5), 50**-0.5, generator=g)
    assert torch.equal(mine.weight, theirs.weight) and torch.equal(mine.bias, theirs.bias)


@pytest.mark.parametrize(("init", "bound"), [("xavier", (6 / 70) ** 0.5), ("he", (6 / 50) ** 0.5)])
def test_linear_xavier_and_he_bounds(init, bound):
    layer = minidl.Linear(50, 20, init=init, generator=generator())
    assert 0.95 * bound < layer.weight.abs().max() <= bound
    assert layer.bias.abs().max() == 0


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_matches_torch(name):
    mine, theirs = ACTIVATIONS[name]()
    mine.double()
    x = torch.randn(4, 7, generator=generator(1), dtype=torch.float64)
    grad_out = torch.randn(4, 7, generator=generator(2), dtype=torch.float64)
    assert_matches_torch(mine, theirs, x, grad_out)


def test_gradients_accumulate_and_zero_grad_resets():
    mine, theirs = linear_pair(3, 2)
    x = torch.randn(4, 3, generator=generator(1), dtype=torch.float64)
    grad_out = torch.ones(4, 2, dtype=torch.float64)
    _, _, once = autograd(theirs, x, grad_out)
    with minidl.one_pass():  # two uses in one pass: each backward consumes one
        mine.forward(x)
        mine.forward(x)
    mine.backward(grad_out)
    mine.backward(grad_out)
    for (_, g), expected in zip(mine.param(), once):
        torch.testing.assert_close(g, 2 * expected)
    mine.zero_grad()
    assert all(g.abs().max() == 0 for _, g in mine.param())


def test_sequential_matches_torch_and_zero_grad():
    g = generator()
    layers = [minidl.Linear(2, 8, generator=g), minidl.ReLU(), minidl.Linear(8, 3, generator=g)]
    net = minidl.Sequential(*layers).double()
    ref = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    ref.double()
    with torch.no_grad():
        for p, (q, _) in zip(ref.parameters(), net.param()):
            p.copy_(q)
    x = torch.randn(10, 2, generator=generator(1), dtype=torch.float64)
    grad_out = torch.randn(10, 3, generator=generator(2), dtype=torch.float64)
    assert_matches_torch(net, ref, x, grad_out)
    net.zero_grad()
    assert all(got.abs().max() == 0 for _, got in net.param())


def test_dropout_train_and_eval():
    drop = minidl.Dropout(0.25, generator=generator())
    x = torch.ones(2000, 50)
    y = drop(x)
    kept = y != 0
    assert abs(kept.float().mean().item() - 0.75) < 0.01
    torch.testing.assert_close(y[kept], torch.full_like(y[kept], 1 / 0.75))
    grad = drop.backward(torch.ones_like(x))
    torch.testing.assert_close(grad, y)  # same mask, same scale
    drop.eval()
    assert drop(x) is x and torch.equal(drop.backward(x), x)


@settings(max_examples=25, deadline=None)
@given(
    batch=st.integers(1, 16),
    widths=st.lists(st.integers(1, 12), min_size=2, max_size=4),
    seed=st.integers(0, 2**16),
)
def test_sequential_of_linears_matches_torch_for_any_shape(batch, widths, seed):
    g = generator(seed)
    mine, ref = [], []
    for i, o in zip(widths[:-1], widths[1:]):
        m, t = linear_pair(i, o, g=g)
        mine += [m, minidl.Tanh()]
        ref += [t, torch.nn.Tanh()]
    net, ref = minidl.Sequential(*mine), torch.nn.Sequential(*ref)
    x = torch.randn(batch, widths[0], generator=g, dtype=torch.float64)
    grad_out = torch.randn(batch, widths[-1], generator=g, dtype=torch.float64)
    assert_matches_torch(net, ref, x, grad_out)


def test_float32_and_float64_both_work():
    net = minidl.Sequential(minidl.Linear(2, 4, generator=generator()), minidl.ReLU())
    assert net(torch.rand(3, 2)).dtype == torch.float32
    net.double()
    assert all(p.dtype == g.dtype == torch.float64 for p, g in net.param())
    assert net(torch.rand(3, 2, dtype=torch.float64)).dtype == torch.float64
    net.float()
    assert net(torch.rand(3, 2)).dtype == torch.float32
