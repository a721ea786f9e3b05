"""minidl as a whole: the import rule, training without autograd, determinism, errors."""

import ast
import pathlib
import subprocess
import sys

import pytest
import torch

import minidl
from minidl.disk import network as seed_net  # the assignment's 2-25-25-25-2 net

PACKAGE = pathlib.Path(minidl.__file__).parent


def framework_files():
    return sorted(p for p in PACKAGE.glob("*.py") if p.name != "test.py")


@pytest.mark.parametrize("path", framework_files(), ids=lambda p: p.name)
def test_framework_imports_nothing_from_torch_but_empty(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            assert all(a.name.split(".")[0] != "torch" for a in node.names), (
                f"{path.name}:{node.lineno} imports torch"
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("torch"):
            names = [a.name for a in node.names]
            assert node.module == "torch" and names == ["empty"], (
                f"{path.name}:{node.lineno} imports {names} from {node.module}"
            )


def train(seed, epochs=5):
    g = torch.Generator().manual_seed(seed)
    x, labels = minidl.disk_dataset(500, generator=g)
    net = seed_net(g)
    opt = minidl.SGD(net.param(), lr=0.1, momentum=0.9)
    history = minidl.fit(
        net, minidl.LossMSE(), opt, x, minidl.one_hot(labels), epochs=epochs, generator=g,
        on_epoch=None,
    )  # fmt: skip
    return net, history, x, labels


def test_training_runs_without_autograd():
    torch.set_grad_enabled(False)
    try:
        net, history, x, labels = train(0, epochs=30)
        assert not torch.is_grad_enabled()
        assert not any(p.requires_grad or g.requires_grad for p, g in net.param())
        # seed 0 with its initial weights perturbed by 1e-6 (another CPU's rounding, and
        # more): loss ratio 0.184-0.187, error 0.048-0.056; never shuffling lands on 0.200
        assert history[-1] < history[0] / 2
        assert minidl.error_rate(net, x, labels) < 0.12
    finally:
        torch.set_grad_enabled(True)


def test_same_seed_same_loss_log_and_different_seed_differs():
    assert train(3)[1] == train(3)[1]
    assert train(3)[1] != train(4)[1]


def test_fit_reports_every_epoch(capsys):
    train_log = []
    g = torch.Generator().manual_seed(0)
    x, labels = minidl.disk_dataset(100, generator=g)
    net = seed_net(g)
    opt = minidl.SGD(net.param(), lr=0.1)
    minidl.fit(net, minidl.LossMSE(), opt, x, minidl.one_hot(labels), epochs=3, generator=g)
    minidl.fit(net, minidl.LossMSE(), opt, x, minidl.one_hot(labels), epochs=2, generator=g,
               on_epoch=lambda e, loss: train_log.append((e, loss)))  # fmt: skip
    assert capsys.readouterr().out.count("loss") == 3
    assert [e for e, _ in train_log] == [1, 2]


def test_disk_dataset_labels_and_balance():
    x, labels = minidl.disk_dataset(20000, generator=torch.Generator().manual_seed(0))
    assert x.shape == (20000, 2) and labels.dtype == torch.int64
    assert x.min() >= 0 and x.max() <= 1
    inside = ((x - 0.5) ** 2).sum(1) <= 1 / (2 * torch.pi)
    assert torch.equal(labels, inside.long())
    assert abs(labels.float().mean().item() - 0.5) < 0.02


def test_minibatches_cover_every_row_once():
    x = torch.arange(23.0).unsqueeze(1)
    batches = list(minidl.minibatches(x, x * 2, batch_size=5, generator=torch.Generator()))
    assert [len(b[0]) for b in batches] == [5, 5, 5, 5, 3]
    seen = torch.cat([b[0] for b in batches]).squeeze(1)
    assert sorted(seen.tolist()) == list(range(23))
    assert all(torch.equal(b[1], 2 * b[0]) for b in batches)
    with pytest.raises(ValueError, match="different lengths"):
        next(minidl.minibatches(x, x[:3]))


def test_wrong_input_width_names_module_and_widths():
    net = minidl.Sequential(minidl.Linear(2, 4), minidl.ReLU())
    with pytest.raises(
        ValueError, match=r"Linear\(in_features=2.*shape \(5, 3\), expected \(N, 2\)"
    ):
        net(torch.zeros(5, 3))


# the modules are made inside each test (a module made at import, when the tests are
# collected, would not see a change to the code that builds it)
@pytest.mark.parametrize(
    "make", [lambda: minidl.Linear(2, 3), minidl.ReLU, minidl.Tanh, minidl.Sigmoid,
             minidl.LeakyReLU, minidl.Dropout],
    ids=["Linear", "ReLU", "Tanh", "Sigmoid", "LeakyReLU", "Dropout"],
)  # fmt: skip
def test_backward_before_forward_is_a_clear_error(make):
    module = make()
    with pytest.raises(RuntimeError) as error:
        module.backward(torch.zeros(1, 3))
    assert str(error.value) == (
        f"{module!r}: backward called before forward (each backward consumes one forward of "
        "the current pass, and none is left)"
    )


@pytest.mark.parametrize(
    "make", [lambda: minidl.Linear(2, 3), minidl.ReLU, minidl.Tanh], ids=["Linear", "ReLU", "Tanh"]
)
def test_gradient_of_wrong_shape_is_a_clear_error(make):
    module = make()
    module.forward(torch.zeros(4, 2))
    with pytest.raises(ValueError, match=r"gradient wrt output has shape \(4, 7\), expected"):
        module.backward(torch.zeros(4, 7))


def test_repr_train_eval_and_to():
    net = minidl.Sequential(minidl.Linear(2, 3), minidl.Dropout(0.1), minidl.Tanh())
    assert repr(net) == (
        "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): Dropout(p=0.1)\n  (2): Tanh()\n)"
    )
    assert net.eval() is net and not net[1].training
    assert net.train() is net and net[1].training
    assert net.to(dtype=torch.float64) is net and net[0].weight.dtype == torch.float64
    assert [n for n, _, _ in net.named_param()] == ["0.weight", "0.bias"]
    with pytest.raises(TypeError, match="not a minidl Module"):
        minidl.Sequential(minidl.Linear(2, 3), torch.nn.ReLU())


def test_sequential_packs_parameters_into_one_buffer():
    first = minidl.Linear(2, 3)
    net = minidl.Sequential(first, minidl.ReLU(), minidl.Linear(3, 1))
    pointers = {p.untyped_storage().data_ptr() for p, _ in net.param()}
    assert len(pointers) == 1 and first.weight is net.param()[0][0]


def test_dtype_mismatch_is_a_clear_error():
    with pytest.raises(TypeError) as error:
        minidl.Linear(2, 3)(torch.zeros(1, 2, dtype=torch.float64))
    assert str(error.value) == (
        "Linear(in_features=2, out_features=3, bias=True): input is torch.float64 but the "
        "parameters are torch.float32; convert one of them (module.double() / module.float() "
        "or input.to(...))"
    )


def test_unknown_init_and_bad_dropout():
    with pytest.raises(ValueError, match="unknown init 'glorot'"):
        minidl.Linear(2, 3, init="glorot")
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\)"):
        minidl.Dropout(1.0)


def test_seed_executable_reaches_the_error_bound(tmp_path):
    script = PACKAGE / "test.py"
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("train error") and "test error" in last
    test_error = float(last.split("test error")[1].strip().rstrip("%"))
    # 2.4 % here; 1.7-2.5 % with the initial weights perturbed by 1e-6 (five draws): the
    # bound of the assignment, 5 %, is twice that
    assert test_error <= 5.0
