"""minidl optimisers take the same steps as torch.optim."""

import math

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
NESTEROV = "SGD: Nesterov momentum requires a momentum and zero dampening"
W = torch.zeros(2)
BAD = [  # (optimiser, options, the message): every hyperparameter torch.optim refuses, and NaN
    (minidl.SGD, dict(lr=0), "SGD: lr must be a finite number > 0, got 0"),
    (minidl.SGD, dict(lr=-0.1), "SGD: lr must be a finite number > 0, got -0.1"),
    (minidl.SGD, dict(lr=math.nan), "SGD: lr must be a finite number > 0, got nan"),
    (minidl.SGD, dict(lr=math.inf), "SGD: lr must be a finite number > 0, got inf"),
    (minidl.SGD, dict(lr="0.1"), "SGD: lr must be a finite number > 0, got '0.1'"),
    (minidl.SGD, dict(lr=True), "SGD: lr must be a finite number > 0, got True"),
    (minidl.SGD, dict(lr=0.1, momentum=-0.9), "SGD: momentum must be in [0, 1], got -0.9"),
    (minidl.SGD, dict(lr=0.1, momentum=1.5), "SGD: momentum must be in [0, 1], got 1.5"),
    (minidl.SGD, dict(lr=0.1, momentum=math.nan), "SGD: momentum must be in [0, 1], got nan"),
    (minidl.SGD, dict(lr=0.1, dampening=5), "SGD: dampening must be in [0, 1], got 5"),
    (minidl.SGD, dict(lr=0.1, dampening=-0.1), "SGD: dampening must be in [0, 1], got -0.1"),
    (
        minidl.SGD,
        dict(lr=0.1, weight_decay=-1e-4),
        "SGD: weight_decay must be a finite number >= 0, got -0.0001",
    ),
    (
        minidl.SGD,
        dict(lr=0.1, weight_decay=math.inf),
        "SGD: weight_decay must be a finite number >= 0, got inf",
    ),
    (minidl.SGD, dict(lr=0.1, nesterov=1), "SGD: nesterov must be True or False, got 1"),
    (minidl.SGD, dict(lr=0.1, nesterov=True), NESTEROV),
    (minidl.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), NESTEROV),
    (minidl.Adam, dict(lr=-1), "Adam: lr must be a finite number > 0, got -1"),
    (minidl.Adam, dict(lr=math.nan), "Adam: lr must be a finite number > 0, got nan"),
    (minidl.Adam, dict(betas=(2, -1)), "Adam: betas[0] must be in [0, 1), got 2"),
    (minidl.Adam, dict(betas=(0.9, -1)), "Adam: betas[1] must be in [0, 1), got -1"),
    (minidl.Adam, dict(betas=(1, 1)), "Adam: betas[0] must be in [0, 1), got 1"),
    (minidl.Adam, dict(betas=(0.9, 1.0)), "Adam: betas[1] must be in [0, 1), got 1.0"),
    (minidl.Adam, dict(betas=(0.9, math.nan)), "Adam: betas[1] must be in [0, 1), got nan"),
    (minidl.Adam, dict(betas=0.9), "Adam: betas must be a pair (beta1, beta2), got 0.9"),
    (
        minidl.Adam,
        dict(betas=(0.9, 0.99, 0.999)),
        "Adam: betas must be a pair (beta1, beta2), got (0.9, 0.99, 0.999)",
    ),
    (minidl.Adam, dict(eps=-1), "Adam: eps must be a finite number >= 0, got -1"),
    (minidl.Adam, dict(eps=math.nan), "Adam: eps must be a finite number >= 0, got nan"),
    (
        minidl.Adam,
        dict(weight_decay=-0.01),
        "Adam: weight_decay must be a finite number >= 0, got -0.01",
    ),
]


@pytest.mark.parametrize(
    ("optimiser", "options", "message"), BAD, ids=[f"{o.__name__}-{k}" for o, k, _ in BAD]
)
def test_bad_hyperparameters_are_refused_with_their_value(optimiser, options, message):
    with pytest.raises(ValueError) as error:
        optimiser([(W, torch.zeros(2))], **options)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([(W, torch.zeros(2)), (torch.zeros(2), torch.zeros(3))], f"SGD: item 1 must be {PAIR}"),
        ([(W,) * 3], f"SGD: item 0 must be {PAIR}"),
        (
            [(W, torch.zeros(2)), (torch.zeros(1), torch.zeros(1)), (W, torch.zeros(2))],
            "SGD: item 2 repeats the parameter of item 0, which would be updated twice per "
            "step; pass each parameter once (Module.param() lists a shared one once)",
        ),
    ],
    ids=["shapes-differ", "not-a-pair", "repeated-parameter"],
)
def test_bad_pairs_are_refused(pairs, message):
    with pytest.raises(ValueError) as error:
        minidl.SGD(pairs, lr=0.1)
    assert str(error.value) == message


def test_edges_torch_accepts_are_accepted():
    minidl.SGD([], lr=1e-9, momentum=1, dampening=1, weight_decay=0)
    minidl.SGD([], lr=0.1, momentum=0.5, nesterov=True)
    minidl.Adam([], lr=1, betas=[0, 0.5], eps=0, weight_decay=1)
