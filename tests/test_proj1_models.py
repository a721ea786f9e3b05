"""proj1.models, built as the study names them: shapes, parameter budgets, the exact
comparison head, weight sharing."""

import pytest
import torch

from proj1.models import DigitEncoder, ExactComparison, Output, count_parameters, mlp_head
from proj1.study import ARCHITECTURES, build

AUX = {"split_aux", "siamese_aux", "split_wide_aux", "siamese_exact", "siamese_exact_bn"}
EQUAL_ENCODER = {"split_wide", "split_wide_aux"}  # the control that spends twice the budget


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_output_shapes(arch):
    torch.manual_seed(0)
    out = build(arch)(torch.randn(5, 2, 14, 14))
    assert isinstance(out, Output)
    assert out.comparison.shape == (5, 2)
    if arch in AUX:
        assert out.digits.shape == (5, 2, 10)
    else:
        assert out.digits is None


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_parameter_budget(arch):
    params = count_parameters(build(arch))
    if arch in EQUAL_ENCODER:  # two encoders of the siamese size and its head
        siamese = build("siamese")
        encoder, head = (count_parameters(m) for m in (siamese.encoders[0], siamese.head))
        assert params == 2 * encoder + head
    else:
        assert 0.8 * 70_000 <= params <= 75_000


# by hand: a conv (in, out, 3) has 9 in out + out parameters, a Linear (in, out) in out + out,
# a batch norm 2 per channel; a digit encoder (hidden h, channels c1, c2) has
# 10 c1 + (9 c1 + 1) c2 + (4 c2 + 1) h + 10 h + 10, the learned head 20*64+64 + 64*2+2 = 1474
PARAMETERS = {
    "mlp": 392 * 128 + 128 + 128 * 128 + 128 + 128 * 2 + 2,  # 67,074
    "cnn": 2 * 32 * 9 + 32 + 32 * 64 * 9 + 64 + 256 * 200 + 200 + 200 * 2 + 2,  # 70,906
    "split": 2 * (160 + 4640 + 129 * 210 + 2110) + 1474,  # 69,474
    "siamese": 160 + 4640 + 129 * 460 + 4610 + 1474,  # 70,224
    "split_wide": 2 * (160 + 4640 + 129 * 460 + 4610) + 1474,  # 138,974
    "siamese_exact": 160 + 4640 + 129 * 460 + 4610,  # 68,750: the exact head has none
    "siamese_exact_bn": 320 + 64 + 32 * 64 * 9 + 64 + 128 + 257 * 200 + 2010,  # 72,418
}


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_parameter_count_by_hand(arch):
    assert count_parameters(build(arch)) == PARAMETERS[arch.removesuffix("_aux")]


def test_model_options_dropout_and_raw_scores_head():
    torch.manual_seed(0)
    plain = build("siamese")
    torch.manual_seed(0)
    tuned = build("siamese", dropout=0.5, softmax=False)
    assert count_parameters(tuned) == count_parameters(plain)  # options add no parameters
    assert sum(isinstance(m, torch.nn.Dropout) for m in tuned.modules()) == 1
    assert not any(isinstance(m, torch.nn.Softmax) for m in tuned.head)
    x = torch.randn(4, 2, 14, 14)
    tuned.eval()
    scores = tuned.encoders[0](x.reshape(8, 1, 14, 14)).view(4, 2, 10)
    torch.testing.assert_close(tuned(x).comparison, tuned.head[1:](scores))  # raw scores in
    for arch in ("mlp", "cnn", "split_aux", "siamese_exact"):
        assert any(isinstance(m, torch.nn.Dropout) for m in build(arch, dropout=0.1).modules())


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_no_dropout_unless_asked(arch):
    assert not any(isinstance(m, torch.nn.Dropout) for m in build(arch).modules())


def layers(sequence):
    return " ".join(type(m).__name__ for m in sequence)


def test_layers_in_order_with_dropout():
    """Each ReLU and each dropout in its place (a missing one changes no shape or count)."""
    assert layers(build("mlp", dropout=0.5)) == (
        "Flatten Linear ReLU Dropout Linear ReLU Dropout Linear"
    )
    assert layers(build("cnn", dropout=0.5)) == (
        "Conv2d MaxPool2d ReLU Conv2d MaxPool2d ReLU Flatten Linear ReLU Dropout Linear"
    )
    encoder = "Conv2d MaxPool2d {norm} ReLU " * 2 + "Flatten Linear ReLU {drop} Linear"
    siamese = build("siamese", dropout=0.5)
    assert layers(siamese.encoders[0]) == encoder.format(norm="Identity", drop="Dropout")
    assert layers(siamese.head) == "Softmax Flatten Linear ReLU Linear"
    assert layers(build("siamese_exact_bn").encoders[0]) == encoder.format(
        norm="BatchNorm2d", drop="Identity"
    )


def test_factory_defaults_are_the_siamese_encoder_and_the_softmax_head():
    assert count_parameters(DigitEncoder()) == PARAMETERS["siamese_exact"]  # 460 hidden
    assert layers(mlp_head()) == "Softmax Flatten Linear ReLU Linear"


def test_the_learned_head_reads_each_images_digit_distribution_by_default():
    head = build("siamese").head
    digits = torch.randn(3, 2, 10, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(head[0](digits), digits.softmax(-1))  # over the 10 classes
    assert len(head) == 5 and isinstance(head[0], torch.nn.Softmax)


def test_aux_and_plain_networks_are_the_same_network():
    for plain in ("split", "siamese", "split_wide"):
        torch.manual_seed(0)
        a = build(plain).state_dict()
        torch.manual_seed(0)
        b = build(plain + "_aux").state_dict()
        assert a.keys() == b.keys()
        assert all(torch.equal(a[k], b[k]) for k in a)


def test_siamese_shares_one_encoder():
    torch.manual_seed(0)
    model = build("siamese_aux")
    x = torch.randn(4, 2, 14, 14)
    assert len(model.encoders) == 1 and len(build("split_aux").encoders) == 2
    swapped = model(x.flip(1)).digits
    torch.testing.assert_close(swapped, model(x).digits.flip(1))


def test_exact_head_is_the_probability_that_first_is_at_most_second():
    digits = torch.randn(6, 2, 10) * 3
    logp = ExactComparison()(digits)
    p, q = digits.softmax(-1).unbind(1)
    brute = sum(p[:, i] * q[:, j] for i in range(10) for j in range(i, 10))
    torch.testing.assert_close(logp[:, 1].exp(), brute)
    torch.testing.assert_close(logp.exp().sum(1), torch.ones(6))
    assert count_parameters(ExactComparison()) == 0


def test_exact_head_saves_no_state():
    # its tables are constants, rebuilt with the module: a saved model does not carry them
    assert ExactComparison().state_dict() == {}
    assert not any(key.startswith("head.") for key in build("siamese_exact").state_dict())


def test_exact_head_is_stable_for_confident_digits():
    digits = torch.full((1, 2, 10), -1000.0)
    digits[0, 0, 3] = digits[0, 1, 7] = 1000.0
    logp = ExactComparison()(digits)
    assert torch.isfinite(logp).all()
    assert logp.argmax(1).item() == 1
