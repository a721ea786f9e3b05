"""minidl modules composed as in torch.nn: a module used twice, a Sequential inside another, an
optimiser built before the nesting, weight sharing; checked against torch autograd and optim."""

import pytest
import torch

import minidl

STEPS = 5


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


def twin(module, memo=None):
    """The torch.nn module computing what the minidl `module` computes, with its parameters
    (float64); a minidl module reached twice maps to one torch module reached twice."""
    memo = {} if memo is None else memo
    if id(module) not in memo:
        if isinstance(module, minidl.Sequential):
            memo[id(module)] = torch.nn.Sequential(*(twin(m, memo) for m in module))
        elif isinstance(module, minidl.Linear):
            theirs = torch.nn.Linear(module.in_features, module.out_features).double()
            with torch.no_grad():
                theirs.weight.copy_(module.weight)
                theirs.bias.copy_(module.bias)
            memo[id(module)] = theirs
        else:
            memo[id(module)] = {minidl.ReLU: torch.nn.ReLU, minidl.Tanh: torch.nn.Tanh}[
                type(module)
            ]()
    return memo[id(module)]


def assert_same_gradients(net, theirs, x, grad_out):
    """One forward and backward: same output, input gradient and parameter gradients."""
    with torch.enable_grad():
        x_ref = x.clone().requires_grad_(True)
        y = theirs(x_ref)
        y.backward(grad_out)
    torch.testing.assert_close(net.forward(x), y.detach(), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(net.backward(grad_out), x_ref.grad, rtol=1e-12, atol=1e-12)
    expected = [p.grad for p in theirs.parameters()]
    assert len(net.param()) == len(expected)  # a shared parameter is listed once, like torch
    for (_, got), want in zip(net.param(), expected):
        torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)


NETWORKS = {  # name -> minidl network (float64) built inside the test
    "ReLU used twice": lambda g: minidl.Sequential(
        minidl.Linear(4, 4, generator=g), (r := minidl.ReLU()), minidl.Linear(4, 4, generator=g), r
    ),
    "Linear used twice (shared weights)": lambda g: minidl.Sequential(
        (lin := minidl.Linear(4, 4, generator=g)), minidl.Tanh(), lin, minidl.ReLU(), lin
    ),
    "Sequential nested": lambda g: minidl.Sequential(
        minidl.Sequential(minidl.Linear(4, 5, generator=g), minidl.Tanh()),
        minidl.Linear(5, 4, generator=g),
    ),
    "Sequential used twice inside another": lambda g: minidl.Sequential(
        (block := minidl.Sequential(minidl.Linear(4, 4, generator=g), minidl.Tanh())),
        minidl.Linear(4, 4, generator=g),
        block,
    ),
}


@pytest.mark.parametrize("name", NETWORKS)
def test_composed_network_has_torchs_gradients(name):
    net = NETWORKS[name](generator()).double()
    x = torch.randn(6, 4, generator=generator(1), dtype=torch.float64)
    grad_out = torch.randn(6, 4, generator=generator(2), dtype=torch.float64)
    assert_same_gradients(net, twin(net), x, grad_out)


@pytest.mark.parametrize("name", NETWORKS)
def test_composed_network_passes_gradcheck(name):
    x = torch.randn(3, 4, generator=generator(1), dtype=torch.float64)
    report = minidl.gradcheck(NETWORKS[name](generator()), x)
    assert report.max_abs_error < 1e-7  # the ReLU used twice was off by 0.32 before


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("optimiser", ["SGD", "Adam"])
def test_composed_network_trains_like_torch(name, optimiser):
    options = {"SGD": dict(lr=0.1, momentum=0.9, weight_decay=0.01), "Adam": dict(lr=0.01)}
    net = NETWORKS[name](generator()).double()
    theirs = twin(net)
    mine = getattr(minidl, optimiser)(net.param(), **options[optimiser])
    reference = getattr(torch.optim, optimiser)(theirs.parameters(), **options[optimiser])
    g = generator(3)
    for _ in range(STEPS):
        x = torch.randn(8, 4, generator=g, dtype=torch.float64)
        target = torch.randn(8, 4, generator=g, dtype=torch.float64)
        criterion = minidl.LossMSE()
        criterion.forward(net.forward(x), target)
        mine.zero_grad()
        net.backward(criterion.backward())
        mine.step()
        with torch.enable_grad():
            reference.zero_grad()
            torch.nn.functional.mse_loss(theirs(x), target).backward()
            reference.step()
    for (p, _), q in zip(net.param(), theirs.parameters()):
        torch.testing.assert_close(p, q.detach(), rtol=1e-10, atol=1e-12)


def nested(g):
    inner = minidl.Sequential(minidl.Linear(3, 5, generator=g), minidl.Tanh())
    return inner, minidl.Sequential(inner, minidl.Linear(5, 2, generator=g))


def test_zero_grad_of_an_inner_sequential_zeroes_what_the_outer_accumulated():
    inner, net = nested(generator())
    net.forward(torch.randn(4, 3, generator=generator(1)))
    net.backward(torch.ones(4, 2))
    assert all(g.abs().sum() > 0 for _, g in inner.param())
    inner.zero_grad()  # left the gradients as they were when the outer repacked them
    assert all(g.abs().sum() == 0 for _, g in inner.param())
    assert all(g.abs().sum() > 0 for _, g in net[1].param())
    net.zero_grad()
    assert all(g.abs().sum() == 0 for _, g in net.param())


def test_optimiser_built_before_the_nesting_moves_the_weights_the_network_uses():
    g = generator()
    inner = minidl.Sequential(minidl.Linear(3, 5, generator=g), minidl.Tanh()).double()
    opt = minidl.SGD(inner.param(), lr=0.1, momentum=0.9)  # before `inner` is wrapped
    net = minidl.Sequential(inner, minidl.Linear(5, 2, generator=g).double())
    theirs = twin(net)
    reference = torch.optim.SGD(theirs[0].parameters(), lr=0.1, momentum=0.9)
    before = [p.clone() for p, _ in inner.param()]
    for _ in range(STEPS):
        x = torch.randn(8, 3, generator=g, dtype=torch.float64)
        net.forward(x)
        opt.zero_grad()
        net.backward(torch.ones(8, 2, dtype=torch.float64))
        opt.step()
        with torch.enable_grad():
            reference.zero_grad()
            theirs(x).sum().backward()
            reference.step()
    for (p, _), q, old in zip(inner.param(), theirs[0].parameters(), before):
        assert (p - old).abs().max() > 0.01  # it moved 0.0 in 5 steps before
        torch.testing.assert_close(p, q.detach(), rtol=1e-10, atol=1e-12)


def test_packed_parameters_stay_put_and_chunks_never_go_stale():
    inner, net = nested(generator())
    storages = [p.untyped_storage().data_ptr() for p, _ in inner.param()]
    opt = minidl.SGD(inner.param(), lr=0.1)
    assert len(opt.chunks) == 1
    outer = minidl.Sequential(net, minidl.Linear(2, 2))
    assert [p.untyped_storage().data_ptr() for p, _ in inner.param()] == storages
    # the inner buffer, the middle Linear's and the outer Linear's: one chunk each
    assert len(minidl.SGD(outer.param(), lr=0.1).chunks) == 3
    values, _ = opt.chunks[0]
    values.add_(1.0)  # the optimiser's view writes into the layer
    assert inner[0].weight.untyped_storage().data_ptr() == values.untyped_storage().data_ptr()


def test_a_shared_parameter_is_listed_once_under_its_first_name():
    lin = minidl.Linear(2, 2)
    net = minidl.Sequential(lin, minidl.ReLU(), lin)
    assert [name for name, _, _ in net.named_param()] == ["0.weight", "0.bias"]
    assert net.to(dtype=torch.float64) is net and lin.weight.dtype == torch.float64


# -- the pass rule: what a module keeps between forward and backward -----------------------------


def test_forward_without_backward_keeps_one_pass_only():
    r = minidl.ReLU()
    net = minidl.Sequential(minidl.Linear(2, 2), r, minidl.Linear(2, 2), r)
    for _ in range(50):  # an evaluation loop
        net.forward(torch.zeros(3, 2))
        r.forward(torch.zeros(3, 2))
    assert len(r._saved) == 1
    for _ in range(50):
        net.forward(torch.zeros(3, 2))
    assert len(r._saved) == 2 and len(net[0]._saved) == 1  # the two uses of the last pass


def test_top_level_uses_in_one_pass_accumulate_like_torch():
    g = generator()
    encoder = minidl.Sequential(minidl.Linear(3, 4, generator=g), minidl.Tanh()).double()
    theirs = twin(encoder)
    a, b = (torch.randn(5, 3, generator=g, dtype=torch.float64) for _ in range(2))
    ga, gb = (torch.randn(5, 4, generator=g, dtype=torch.float64) for _ in range(2))
    with minidl.one_pass():
        encoder.forward(a)
        encoder.forward(b)
    grad_b, grad_a = encoder.backward(gb), encoder.backward(ga)  # the latest use first
    with torch.enable_grad():
        a_ref, b_ref = a.clone().requires_grad_(True), b.clone().requires_grad_(True)
        ((theirs(a_ref) * ga).sum() + (theirs(b_ref) * gb).sum()).backward()
    torch.testing.assert_close(grad_a, a_ref.grad)
    torch.testing.assert_close(grad_b, b_ref.grad)
    for (_, got), p in zip(encoder.param(), theirs.parameters()):
        torch.testing.assert_close(got, p.grad)


def test_backward_through_a_forgotten_pass_is_a_clear_error():
    layer = minidl.Linear(2, 2)
    layer.forward(torch.zeros(1, 2))
    layer.forward(torch.zeros(1, 2))  # a pass of its own: the first forward is forgotten
    layer.backward(torch.zeros(1, 2))
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(torch.zeros(1, 2))


def test_a_second_backward_for_one_forward_is_a_clear_error():
    net = minidl.Sequential(minidl.Linear(2, 2), minidl.ReLU())
    net.forward(torch.zeros(1, 2))
    net.backward(torch.zeros(1, 2))
    with pytest.raises(RuntimeError, match=r"ReLU\(\): backward called before forward"):
        net.backward(torch.zeros(1, 2))


def test_a_refused_gradient_leaves_the_forward_to_a_corrected_call():
    layer = minidl.Linear(2, 3)
    layer.forward(torch.ones(4, 2))
    with pytest.raises(ValueError, match="gradient wrt output has shape"):
        layer.backward(torch.ones(4, 2))
    assert layer.backward(torch.ones(4, 3)).shape == (4, 2)


def test_dropout_used_twice_pops_its_masks_in_reverse():
    drop = minidl.Dropout(0.5, generator=generator())
    ones = torch.ones(2, 50)
    with minidl.one_pass():
        first, second = drop.forward(ones), drop.forward(ones)
    assert not torch.equal(first, second)
    assert torch.equal(drop.backward(ones), second) and torch.equal(drop.backward(ones), first)


def test_an_error_inside_a_composite_forward_ends_its_pass():
    net = minidl.Sequential(minidl.Linear(2, 2))
    with pytest.raises(ValueError):
        net.forward(torch.zeros(1, 3))
    layer = minidl.ReLU()
    layer.forward(torch.zeros(1))
    layer.forward(torch.zeros(1))
    assert len(layer._saved) == 1  # top-level calls again: each its own pass


def test_a_loss_gives_its_gradient_again_and_pops_only_an_earlier_use():
    criterion = minidl.LossMSE()
    criterion.forward(torch.ones(2), torch.zeros(2))
    assert criterion.backward().tolist() == criterion.backward().tolist() == [1.0, 1.0]
    with minidl.one_pass():
        criterion.forward(torch.ones(2), torch.zeros(2))
        criterion.forward(torch.full((2,), 3.0), torch.zeros(2))
    assert criterion.backward().tolist() == [3.0, 3.0]  # the latest use first
    assert criterion.backward().tolist() == [1.0, 1.0]
