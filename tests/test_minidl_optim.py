"""minidl optimisers take the same steps as torch.optim."""

import pytest
import torch

import minidl

STEPS = 6


def run_both(make_mine, make_theirs, packed):
    """Train a minidl net and a torch copy side by side; return both parameter lists."""
    g = torch.Generator().manual_seed(0)
    layers = [minidl.Linear(3, 6, generator=g), minidl.Tanh(), minidl.Linear(6, 2, generator=g)]
    net = minidl.Sequential(*layers).double() if packed else layers[0].double()
    ref_params = [p.clone().requires_grad_(True) for p, _ in net.param()]
    mine, theirs = make_mine(net.param()), make_theirs(ref_params)
    x = torch.randn(8, 3, generator=g, dtype=torch.float64)
    for _ in range(STEPS):
        target = torch.randn(8, net(x).shape[1], generator=g, dtype=torch.float64)
        criterion = minidl.LossMSE()
        criterion(net(x), target)
        mine.zero_grad()
        net.backward(criterion.backward())
        mine.step()
        with torch.enable_grad():
            theirs.zero_grad()
            y = x
            if packed:
                y = torch.tanh(y @ ref_params[0].T + ref_params[1])
                y = y @ ref_params[2].T + ref_params[3]
            else:
                y = y @ ref_params[0].T + ref_params[1]
            torch.nn.functional.mse_loss(y, target).backward()
            theirs.step()
    return [p for p, _ in net.param()], [p.detach() for p in ref_params]


CASES = {  # name -> (minidl optimiser, torch optimiser, options both take)
    "sgd": (minidl.SGD, torch.optim.SGD, dict(lr=0.1)),
    "sgd-momentum": (minidl.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
    "sgd-dampening": (minidl.SGD, torch.optim.SGD, dict(lr=0.05, momentum=0.8, dampening=0.3)),
    "sgd-nesterov-decay": (
        minidl.SGD,
        torch.optim.SGD,
        dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    ),
    "adam": (minidl.Adam, torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-7)),
    "adam-decay": (minidl.Adam, torch.optim.Adam, dict(lr=0.01, weight_decay=0.05)),
    "adam-defaults": (minidl.Adam, torch.optim.Adam, dict()),  # lr, betas and eps: torch's
}


@pytest.mark.parametrize("packed", [True, False], ids=["flat-buffer", "separate-tensors"])
@pytest.mark.parametrize("case", CASES)
def test_optimiser_takes_torchs_steps(case, packed):
    mine_class, torch_class, options = CASES[case]
    mine, theirs = run_both(
        lambda pairs: mine_class(pairs, **options),
        lambda params: torch_class(params, **options),
        packed,
    )
    for a, b in zip(mine, theirs):
        torch.testing.assert_close(a, b)


def test_sequential_parameters_form_one_chunk():
    net = minidl.Sequential(minidl.Linear(2, 3), minidl.ReLU(), minidl.Linear(3, 1))
    opt = minidl.SGD(net.param(), lr=0.1)
    assert len(opt.chunks) == 1 and opt.chunks[0][0].numel() == 2 * 3 + 3 + 3 + 1


PAIR = "a (parameter, gradient) pair of equal shapes, as returned by Module.param()"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: minidl.SGD([], lr=0), "SGD: learning rate must be positive, got 0"),
        (lambda: minidl.Adam([], lr=-1), "Adam: learning rate must be positive, got -1"),
        (
            lambda: minidl.SGD(
                [(torch.zeros(2), torch.zeros(2)), (torch.zeros(2), torch.zeros(3))], lr=0.1
            ),
            f"SGD: item 1 must be {PAIR}",
        ),
        (lambda: minidl.SGD([(torch.zeros(2),) * 3], lr=0.1), f"SGD: item 0 must be {PAIR}"),
        (
            lambda: minidl.SGD([], lr=0.1, nesterov=True),
            "SGD: Nesterov momentum requires a momentum and zero dampening",
        ),
        (
            lambda: minidl.SGD([], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
            "SGD: Nesterov momentum requires a momentum and zero dampening",
        ),
    ],
)
def test_optimiser_errors(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert str(error.value) == message
