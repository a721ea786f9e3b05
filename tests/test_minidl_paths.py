"""minidl.data and minidl.train paths checked exactly: shuffling, ragged last batches, the
loss log, predict's batches and mode, and the errors of bad arguments."""

import re

import pytest
import torch

import minidl
from minidl.data import RADIUS, shuffled_indices


def test_minibatches_shuffle_with_the_generator_and_keep_order_without():
    x = torch.arange(10.0)
    (shuffled,) = zip(
        *minidl.minibatches(x, batch_size=10, generator=torch.Generator().manual_seed(0))
    )
    order = shuffled_indices(10, torch.Generator().manual_seed(0))
    assert torch.equal(shuffled[0], x[order])  # the permutation of the generator ...
    assert not torch.equal(shuffled[0], x)  # ... which is not the identity
    other = next(minidl.minibatches(x, batch_size=10, generator=torch.Generator().manual_seed(1)))
    assert not torch.equal(other[0], shuffled[0])
    in_order = [b[0] for b in minidl.minibatches(x, batch_size=4, shuffle=False)]
    assert [b.tolist() for b in in_order] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_shuffled_indices_are_a_permutation_drawn_from_the_generator():
    a = shuffled_indices(50, torch.Generator().manual_seed(3))
    assert sorted(a.tolist()) == list(range(50)) and a.dtype == torch.int64
    assert torch.equal(a, shuffled_indices(50, torch.Generator().manual_seed(3)))
    assert not torch.equal(a, torch.arange(50))


@pytest.mark.parametrize("batch_size", [0, -1])
def test_minibatches_refuse_empty_batches(batch_size):
    with pytest.raises(ValueError, match=f"batch_size must be positive, got {batch_size}"):
        next(minidl.minibatches(torch.zeros(3), batch_size=batch_size))


def test_minibatches_name_the_lengths():
    with pytest.raises(ValueError, match=r"different lengths \[4, 3\]"):
        next(minidl.minibatches(torch.zeros(4), torch.zeros(3)))


@pytest.mark.parametrize("n", [0, -5])
def test_disk_dataset_refuses_empty_sets(n):
    with pytest.raises(ValueError, match=f"n must be positive, got {n}"):
        minidl.disk_dataset(n)


def test_disk_dataset_boundary_and_dtype():
    assert pytest.approx(1 / (2 * torch.pi)) == RADIUS**2
    x, labels = minidl.disk_dataset(
        5, generator=torch.Generator().manual_seed(0), dtype=torch.float64
    )
    assert x.dtype == torch.float64 and labels.tolist() == [
        int(((p - 0.5) ** 2).sum() <= RADIUS**2) for p in x
    ]


def test_one_hot():
    target = minidl.one_hot(torch.tensor([1, 0, 2]), classes=3, dtype=torch.float64)
    assert target.dtype == torch.float64
    assert target.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 1]]
    assert minidl.one_hot(torch.tensor([1])).tolist() == [[0.0, 1.0]]


class Scale(minidl.Module):
    """y = w x (one scalar weight): losses and gradients easy to follow by hand."""

    def __init__(self, w):
        super().__init__()
        self.w, self.dw = torch.tensor([w]), torch.zeros(1)

    def forward(self, x):
        self.x = x
        return self.w * x

    def backward(self, grad):
        self.dw += (grad * self.x).sum().reshape(1)
        return grad * self.w

    def param(self):
        return [(self.w, self.dw)]


class Still:
    """An optimiser that never moves anything."""

    def zero_grad(self):
        pass

    def step(self):
        pass


def test_fit_logs_the_mean_of_every_minibatch_loss_including_the_ragged_last_one():
    # 23 points in batches of 5: 4 full batches and one of 3. Nothing moves (Still), so
    # each epoch logs the plain mean of the five batch losses (not of the 23 points).
    x = torch.arange(1.0, 24.0).unsqueeze(1)
    model = Scale(2.0)
    g = torch.Generator().manual_seed(0)
    log = minidl.fit(
        model, minidl.LossMSE(), Still(), x, x, epochs=2,
        batch_size=5, generator=g, on_epoch=None,
    )  # fmt: skip
    # (2x - x)^2 = x^2; batch means of the order the same generator gives
    g = torch.Generator().manual_seed(0)
    expected = []
    for _ in range(2):
        batches = [b[0] for b in minidl.minibatches(x, batch_size=5, generator=g)]
        assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
        expected.append(sum((b**2).mean().item() for b in batches) / 5)
    assert log == pytest.approx(expected, rel=1e-6)
    assert log[0] != pytest.approx((x**2).mean().item(), rel=1e-3)


def test_fit_steps_once_per_minibatch_and_trains():
    x = torch.arange(1.0, 24.0).unsqueeze(1) / 23
    model = Scale(0.0)
    opt = minidl.SGD(model.param(), lr=0.5)
    steps = []
    opt_step = opt.step
    opt.step = lambda: (steps.append(1), opt_step())
    log = minidl.fit(model, minidl.LossMSE(), opt, x, 3 * x, epochs=20, batch_size=5,
                     generator=torch.Generator().manual_seed(0), on_epoch=None)  # fmt: skip
    assert len(steps) == 20 * 5
    assert model.w.item() == pytest.approx(3.0, abs=1e-3) and log[-1] < 1e-5 < log[0]


class Argmax(minidl.Module):
    """Outputs the input unchanged, remembering the batch sizes and the mode it saw."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, x):
        self.seen.append((len(x), self.training))
        return x


def test_predict_batches_and_restores_the_mode():
    scores = torch.tensor([[0.0, 1.0], [2.0, 1.0], [0.5, 3.0], [1.0, 0.0], [0.0, 0.1]])
    model = Argmax()
    assert minidl.predict(model, scores, batch_size=2).tolist() == [1, 0, 1, 0, 1]
    assert model.seen == [(2, False), (2, False), (1, False)] and model.training
    model.eval()
    minidl.predict(model, scores)
    assert not model.training and model.seen[-1] == (5, False)
    labels = torch.tensor([1, 1, 1, 0, 0])
    assert minidl.error_rate(model, scores, labels, batch_size=3) == pytest.approx(2 / 5)
    assert model.seen[-2:] == [(3, False), (2, False)]  # error_rate's batches are predict's


def test_predict_restores_the_mode_after_an_error():
    class Broken(minidl.Module):
        def forward(self, x):
            raise RuntimeError("boom")

    model = Broken()
    with pytest.raises(RuntimeError, match="boom"):
        minidl.predict(model, torch.zeros(2, 2))
    assert model.training


def test_error_rate_names_the_lengths():
    with pytest.raises(ValueError, match="error_rate: 3 inputs but 2 labels"):
        minidl.error_rate(Argmax(), torch.zeros(3, 2), torch.zeros(2, dtype=torch.long))


def test_print_epoch_format(capsys):
    minidl.train.print_epoch(7, 0.1234567)
    assert capsys.readouterr().out == "epoch   7  loss 0.123457\n"


def test_data_helpers_make_their_tensors_on_the_requested_device():
    # the meta device has no data: a tensor made on the CPU would fail to combine with it
    assert minidl.one_hot(torch.tensor([1, 0]).to("meta")).device.type == "meta"
    x, labels = minidl.disk_dataset(4, device="meta")
    assert x.device.type == labels.device.type == "meta"
    (batch,) = next(minidl.minibatches(torch.zeros(5, 2, device="meta"), batch_size=2))
    assert batch.device.type == "meta" and batch.shape == (2, 2)


def test_minibatches_shuffle_where_the_data_lives(monkeypatch):
    asked = []
    real = minidl.data.shuffled_indices

    def spying(n, generator=None, device=None):
        asked.append(device)
        return real(n, generator, device)

    monkeypatch.setattr(minidl.data, "shuffled_indices", spying)
    next(minidl.minibatches(torch.zeros(5, 2, device="meta"), batch_size=2))
    assert asked == [torch.device("meta")]


def test_small_datasets_and_default_batches():
    x, labels = minidl.disk_dataset(1, generator=torch.Generator().manual_seed(0))
    assert x.shape == (1, 2) and labels.shape == (1,)
    steps = []

    class Counting(Still):
        def step(self):
            steps.append(1)

    x = torch.arange(101.0).unsqueeze(1)
    minidl.fit(Scale(1.0), minidl.LossMSE(), Counting(), x, x, epochs=1, on_epoch=None,
               generator=torch.Generator().manual_seed(0))  # fmt: skip
    assert len(steps) == 2  # batches of 100 and 1


def test_sequential_names_what_is_not_a_module():
    with pytest.raises(TypeError, match="item 1 is a ReLU, not a minidl Module"):
        minidl.Sequential(minidl.Linear(2, 3), torch.nn.ReLU())


def test_fit_and_error_rate_defaults():
    epochs = []
    x = torch.arange(3.0).unsqueeze(1)
    minidl.fit(Scale(1.0), minidl.LossMSE(), Still(), x, x, generator=torch.Generator(),
               on_epoch=lambda e, loss: epochs.append(e))  # fmt: skip
    assert epochs == list(range(1, 26))  # 25 epochs
    model = Argmax()
    minidl.error_rate(model, torch.zeros(1500, 2), torch.zeros(1500, dtype=torch.long))
    assert [n for n, _ in model.seen] == [1000, 500]
    minidl.predict(model, torch.zeros(1001, 2))
    assert [n for n, _ in model.seen[2:]] == [1000, 1]


def test_shuffled_indices_on_the_requested_device_and_batches_of_one():
    assert shuffled_indices(5, torch.Generator(), device="meta").device.type == "meta"
    batches = list(minidl.minibatches(torch.arange(3.0), batch_size=1, shuffle=False))
    assert [b[0].tolist() for b in batches] == [[0.0], [1.0], [2.0]]


def test_optimisers_explain_what_they_take():
    message = "SGD: item 0 must be a (parameter, gradient) pair of equal shapes, as returned by"
    with pytest.raises(ValueError, match=re.escape(message) + r" Module.param\(\)$"):
        minidl.SGD([(torch.zeros(2), torch.zeros(3))], lr=0.1)
