"""proj1.training on examples computed by hand (pair_loss, evaluate, predict) and the
options of `train` observed where they act (learning-rate schedule, weight decay, swap,
shift, the test curve)."""

import math

import pytest
import torch
from torch import nn

from proj1 import training
from proj1.data import generate_pair_sets
from proj1.models import Output
from proj1.study import build
from proj1.training import Normaliser, evaluate, pair_loss, predict, train

LN = math.log

# three pairs: comparison logits, digit logits with ln 91 on each image's own class
COMPARISON = torch.tensor([[0.0, 0.0], [LN(3), 0.0], [LN(3), 0.0]])
TARGET = torch.tensor([1, 0, 1])
CLASSES = torch.tensor([[3, 5], [2, 2], [7, 0]])


def own_class_digits(classes):
    digits = torch.zeros(len(classes), 2, 10)
    digits.scatter_(2, classes.unsqueeze(2), LN(91))
    return digits


def test_pair_loss_by_hand():
    # comparison CE: ln 2, ln(4/3), ln 4 -> mean ln(32/3) / 3
    # each image: softmax of its own class 91 / (91 + 9) -> CE ln(100/91); other classes ln 100
    output = Output(COMPARISON, own_class_digits(CLASSES))
    plain = LN(32 / 3) / 3
    loss = pair_loss(output, TARGET, CLASSES, aux_weight=0.5)
    assert loss.item() == pytest.approx(plain + 0.5 * LN(100 / 91), rel=1e-6)
    # supervising each image with the other's class: ln 100 for the four unequal images
    swapped = pair_loss(output, TARGET, CLASSES.flip(1), aux_weight=0.5)
    assert swapped.item() == pytest.approx(plain + 0.5 * (4 * LN(100) + 2 * LN(100 / 91)) / 6)
    assert pair_loss(output, TARGET, CLASSES, aux_weight=0.0).item() == pytest.approx(plain)
    assert pair_loss(Output(COMPARISON, None), TARGET, None, 1.0).item() == pytest.approx(plain)
    with pytest.raises(ValueError, match="pass the digit classes"):
        pair_loss(output, TARGET, None, aux_weight=1.0)


class Fixed(nn.Module):
    """Returns the rows of fixed outputs that the input's first pixel indexes."""

    def __init__(self, comparison, digits=None):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))
        self.comparison, self.digits = comparison, digits
        self.calls = []

    def forward(self, x):
        self.calls.append((len(x), self.training))
        rows = x[:, 0, 0, 0].long()
        digits = None if self.digits is None else self.digits[rows]
        return Output(self.comparison[rows], digits)


def indexed_pairs(n):
    x = torch.zeros(n, 2, 14, 14)
    x[:, 0, 0, 0] = torch.arange(n, dtype=torch.float32)
    return x


IDENTITY = Normaliser(0.0, 1.0)


def test_evaluate_by_hand():
    # predicted digits (3, 3), (5, 2), (1, 7): comparisons 1 (3 <= 3), 0, 1
    digits = own_class_digits(torch.tensor([[3, 3], [5, 2], [1, 7]]))
    comparison = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])  # says 0, 1, 0
    model = Fixed(comparison, digits)
    errors = evaluate(model, indexed_pairs(3), torch.tensor([1, 0, 0]), normaliser=IDENTITY)
    assert errors.comparison == pytest.approx(2 / 3)  # wrong on pairs 0 and 1
    assert errors.digits == pytest.approx(1 / 3)  # wrong on pair 2 only; 3 <= 3 is right
    errors = evaluate(model, indexed_pairs(3), torch.tensor([1, 0, 1]), normaliser=IDENTITY)
    assert (errors.comparison, errors.digits) == (1.0, 0.0)
    assert evaluate(Fixed(comparison), indexed_pairs(3), TARGET, normaliser=IDENTITY).digits is None


def test_predict_batches_normalises_and_restores_the_mode():
    comparison = torch.arange(14.0).view(7, 2)
    model = Fixed(comparison, torch.arange(140.0).view(7, 2, 10))
    out = predict(model, indexed_pairs(7) * 2 + 4, normaliser=Normaliser(4.0, 2.0), batch_size=3)
    assert torch.equal(out.comparison, comparison) and out.digits.shape == (7, 2, 10)
    assert torch.equal(out.digits, model.digits)
    assert model.calls == [(3, False), (3, False), (1, False)] and model.training
    model.eval()
    predict(model, indexed_pairs(2), normaliser=IDENTITY)
    assert not model.training


def test_predict_is_in_eval_mode_for_batch_norm():
    torch.manual_seed(0)
    model = build("siamese_exact_bn")
    x = torch.rand(6, 2, 14, 14)
    with torch.no_grad():
        expected = model.eval()(x).comparison
    model.train()
    got = predict(model, x, normaliser=IDENTITY, batch_size=4).comparison
    torch.testing.assert_close(got, expected)
    assert model.training


@pytest.fixture(scope="module")
def pairs():
    return generate_pair_sets(60, source="mnist-5k", generator=torch.Generator().manual_seed(0))


class Spy:
    """Records what Adam was asked each step: its learning rate and weight decay."""

    def __init__(self, monkeypatch):
        self.lr, self.weight_decay = [], []
        step = torch.optim.Adam.step

        def spying(opt, *args, **kwargs):
            self.lr.append(opt.param_groups[0]["lr"])
            self.weight_decay.append(opt.param_groups[0]["weight_decay"])
            return step(opt, *args, **kwargs)

        monkeypatch.setattr(torch.optim.Adam, "step", spying)


def small_train(pairs, arch="split_aux", **options):
    torch.manual_seed(0)
    model = build(arch)
    options = {
        "epochs": 2,
        "batch_size": 25,
        "generator": torch.Generator().manual_seed(0),
    } | options
    return model, train(model, *pairs[:3], **options)


def test_cosine_schedule_anneals_to_zero_and_constant_stays(pairs, monkeypatch):
    spy = Spy(monkeypatch)
    small_train(pairs, lr=0.01, schedule="cosine")  # 60 pairs / 25: 3 steps an epoch, 6 in all
    expected = [0.01 * (1 + math.cos(math.pi * i / 6)) / 2 for i in range(6)]
    assert spy.lr == pytest.approx(expected, abs=1e-12)
    spy.lr.clear()
    small_train(pairs, lr=0.01)
    assert spy.lr == [0.01] * 6 and spy.weight_decay == [0.0] * 12


def test_weight_decay_reaches_the_optimiser_and_changes_the_result(pairs, monkeypatch):
    spy = Spy(monkeypatch)
    plain, _ = small_train(pairs, epochs=1)
    decayed, _ = small_train(pairs, epochs=1, weight_decay=0.5)
    assert spy.weight_decay == [0.0] * 3 + [0.5] * 3
    assert not all(torch.equal(p, q) for p, q in zip(plain.parameters(), decayed.parameters()))


def spy_on(monkeypatch, name):
    calls = []
    real = getattr(training, name)

    def spying(*args):
        out = real(*args)
        calls.append((args, out))
        return out

    monkeypatch.setattr(training, name, spying)
    return calls


def test_swap_augments_every_minibatch_and_the_model_sees_it(pairs, monkeypatch):
    calls = spy_on(monkeypatch, "swap_pairs")
    seen = []
    torch.manual_seed(0)
    model = build("siamese_aux")
    model.register_forward_hook(lambda m, args, out: seen.append(args[0].clone()))
    train(model, *pairs[:3], epochs=2, batch_size=25, swap=True)
    assert len(calls) == 6 and [len(args[0]) for args, _ in calls] == [25, 25, 10] * 2
    for (_, (x, t, c)), model_input in zip(calls, seen):
        assert torch.equal(model_input, x)
        assert torch.equal(t, (c[:, 0] <= c[:, 1]).long())
    flipped = sum(int((c != args[2]).any(1).sum()) for args, (_, _, c) in calls)
    assert 0 < flipped < 120


def test_shift_moves_images_only_when_asked(pairs, monkeypatch):
    calls = spy_on(monkeypatch, "shift_images")
    small_train(pairs, epochs=1)
    assert calls == []
    small_train(pairs, epochs=1, shift=2)
    assert len(calls) == 3 and all(args[1] == 2 for args, _ in calls)
    assert any(not torch.equal(args[0], out) for args, out in calls)


def test_training_records_one_loss_error_and_test_error_per_epoch(pairs):
    model, history = small_train(pairs, epochs=3, test=pairs[3:5])
    assert len(history.loss) == len(history.train_error) == len(history.test_error) == 3
    assert history.normaliser == Normaliser.fit(pairs[0])
    for e in history.train_error + history.test_error:
        assert (e * 60) == pytest.approx(round(e * 60))  # a count of pairs out of 60
    final = evaluate(model, *pairs[3:5], normaliser=history.normaliser).comparison
    assert history.test_error[-1] == final


@pytest.mark.parametrize("options", [{}, {"swap": True, "shift": 1}])
def test_training_draws_only_from_its_generator(pairs, options):
    models = []
    for global_seed in (1, 2):
        torch.manual_seed(0)
        model = build("siamese_aux")
        torch.manual_seed(global_seed)  # the global RNG must play no part in training
        generator = torch.Generator().manual_seed(3)
        train(model, *pairs[:3], epochs=1, batch_size=25, generator=generator, **options)
        models.append(model)
    assert all(torch.equal(p, q) for p, q in zip(*(m.parameters() for m in models)))


def test_the_logged_loss_and_error_are_means_over_all_pairs(pairs):
    # lr 0: the model never changes, so the first epoch's log is the loss of the whole set
    torch.manual_seed(0)
    model = build("split_aux")
    history = train(model, *pairs[:3], epochs=1, batch_size=25, lr=0.0)  # batches 25, 25, 10
    x, t, c = pairs[:3]
    with torch.no_grad():
        output = model(history.normaliser(x))
    assert history.loss[0] == pytest.approx(pair_loss(output, t, c, 1.0).item(), rel=1e-5)
    wrong = (output.comparison.argmax(1) != t).sum().item()
    assert history.train_error[0] == wrong / 60


@pytest.fixture(scope="module")
def few():
    x, t, c = generate_pair_sets(30, source="mnist-5k", generator=torch.Generator().manual_seed(0))[
        :3
    ]
    return x, t, c


def losses(pairs, seed=0, generator=None, **options):
    """The loss log of an mlp initialised from `seed`, after the global RNG was reseeded."""
    torch.manual_seed(0)
    model = build("mlp")
    torch.manual_seed(seed)  # what train draws from, if it used the global RNG
    return train(model, *pairs, generator=generator, epochs=2, batch_size=10, **options).loss


def test_the_shuffles_come_from_the_generator_given_or_a_fixed_one(few):
    given = [losses(few, generator=torch.Generator().manual_seed(s)) for s in (1, 1, 2)]
    assert given[0] == given[1] != given[2]
    assert losses(few, seed=1) == losses(few, seed=2)  # none given: not the global RNG


def test_train_runs_25_epochs_by_default(few):
    history = train(build("mlp"), *few)
    assert len(history.loss) == len(history.train_error) == 25
