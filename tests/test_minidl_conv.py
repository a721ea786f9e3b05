"""minidl's convolutional modules (Conv2d, MaxPool2d, Flatten, Softmax), the pair losses and the
siamese network: gradcheck in float64, values and gradients against torch.nn.functional and
autograd in float32 and float64, clear errors on wrong shapes, weight sharing."""

import pytest
import torch
import torch.nn.functional as F

import minidl
from proj1.study import build

DTYPES = [torch.float32, torch.float64]
TOLERANCE = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}


def generator(seed=0):
    return torch.Generator().manual_seed(seed)


def randn(*shape, seed=1, dtype=torch.float64):
    return torch.randn(*shape, generator=generator(seed), dtype=dtype)


def autograd(function, inputs, grad_out):
    """`function(*inputs)` and the gradients wrt each input, by torch autograd."""
    with torch.enable_grad():
        leaves = [x.clone().requires_grad_(True) for x in inputs]
        output = function(*leaves)
        output.backward(grad_out)
    return output.detach(), [x.grad for x in leaves]


def assert_close(got, expected, dtype):
    torch.testing.assert_close(got, expected, **TOLERANCE[dtype])


CONVS = {  # name -> (in, out, kernel, stride, padding, bias), input H x W
    "3x3": ((1, 16, 3, 1, 0, True), (14, 14)),
    "stride 2, padding 1": ((3, 4, 3, 2, 1, True), (9, 8)),
    "padding 2, 2x2 kernel": ((2, 3, 2, 1, 2, True), (5, 7)),
    "4x4 kernel, stride 3, no bias": ((2, 2, 4, 3, 0, False), (10, 11)),
    "1x1 kernel": ((5, 2, 1, 1, 0, True), (3, 3)),
}


def make_conv(name, dtype=torch.float64):
    (cin, cout, k, s, p, bias), _ = CONVS[name]
    return minidl.Conv2d(cin, cout, k, s, p, bias=bias, generator=generator()).to(dtype=dtype)


@pytest.mark.parametrize("name", CONVS)
def test_conv2d_passes_gradcheck(name):
    conv = make_conv(name)
    h, w = CONVS[name][1]
    report = minidl.gradcheck(conv, randn(2, conv.in_channels, h, w))
    assert [e.name for e in report.errors] == ["input[0]", *conv.param_names]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("name", CONVS)
def test_conv2d_matches_torch(name, dtype):
    conv = make_conv(name, dtype)
    h, w = CONVS[name][1]
    x = randn(3, conv.in_channels, h, w, dtype=dtype)
    params = [p for p, _ in conv.param()]

    def reference(x, *params):
        bias = params[1] if len(params) > 1 else None
        return F.conv2d(x, params[0], bias, stride=conv.stride, padding=conv.padding)

    y = conv.forward(x)
    grad_out = randn(*y.shape, seed=2, dtype=dtype)
    expected, grads = autograd(reference, [x, *params], grad_out)
    assert y.dtype == dtype
    assert_close(y, expected, dtype)
    assert_close(conv.backward(grad_out), grads[0], dtype)
    for (_, got), want in zip(conv.param(), grads[1:]):
        assert_close(got, want, dtype)


def test_conv2d_is_initialised_like_torch():
    conv = minidl.Conv2d(3, 8, 5, generator=generator())
    theirs = torch.nn.Conv2d(3, 8, 5)
    assert [p.shape for p, _ in conv.param()] == [p.shape for p in theirs.parameters()]
    bound = 1 / (3 * 5 * 5) ** 0.5  # torch's: uniform in +-1/sqrt(fan_in), bias too
    assert 0.95 * bound < conv.weight.abs().max() <= bound  # 600 draws reach the bound
    assert 0 < conv.bias.abs().max() <= bound


POOLS = {  # name -> (kernel, input shape): ragged sizes drop their last rows or columns
    "2x2 on 12x12": (2, (2, 3, 12, 12)),
    "2x2 on 7x6": (2, (2, 3, 7, 6)),
    "3x3 on 8x10": (3, (1, 2, 8, 10)),
    "1x1": (1, (1, 2, 3, 3)),
}


@pytest.mark.parametrize("name", POOLS)
def test_maxpool_passes_gradcheck(name):
    k, shape = POOLS[name]
    minidl.gradcheck(minidl.MaxPool2d(k), randn(*shape))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("name", POOLS)
def test_maxpool_matches_torch_ties_included(name, ties, dtype):
    k, shape = POOLS[name]
    x = randn(*shape, dtype=dtype)
    if ties:  # a window holding its maximum twice or more: the gradient goes to the first one
        x = x.mul(2).round().clamp(min=0)
    pool = minidl.MaxPool2d(k)
    y = pool.forward(x)
    grad_out = randn(*y.shape, seed=2, dtype=dtype)
    expected, (grad,) = autograd(lambda x: F.max_pool2d(x, k), [x], grad_out)
    assert torch.equal(y, expected)
    assert torch.equal(pool.backward(grad_out), grad)


def test_maxpool_of_channels_last_conv_output_and_back():
    conv, pool = minidl.Conv2d(2, 3, 3, generator=generator()), minidl.MaxPool2d(2)
    y = pool.forward(conv.forward(randn(2, 2, 8, 8, dtype=torch.float32)))
    assert y.shape == (2, 3, 3, 3)
    assert conv.backward(pool.backward(torch.ones(2, 3, 3, 3))).shape == (2, 2, 8, 8)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_flatten_and_softmax_match_torch(dtype):
    x = randn(4, 2, 3, 5, dtype=dtype)
    for mine, theirs in (
        (minidl.Flatten(), torch.nn.Flatten()),
        (minidl.Softmax(), torch.nn.Softmax(-1)),
    ):
        y = mine.forward(x)
        grad_out = randn(*y.shape, seed=2, dtype=dtype)
        expected, (grad,) = autograd(theirs, [x], grad_out)
        assert_close(y, expected, dtype)
        assert_close(mine.backward(grad_out), grad, dtype)


def test_flatten_and_softmax_pass_gradcheck():
    minidl.gradcheck(minidl.Flatten(), randn(3, 2, 4))
    minidl.gradcheck(minidl.Softmax(), randn(3, 2, 4))
    assert minidl.Softmax().forward(torch.tensor([1000.0, 0.0])).tolist() == [1.0, 0.0]


# -- the pair losses -------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_cross_entropy_over_digit_pairs_matches_torch(dtype):
    logits = 3 * randn(5, 2, 10, dtype=dtype)
    classes = torch.randint(0, 10, (5, 2), generator=generator(3))
    criterion = minidl.LossCrossEntropy()
    loss = criterion.forward(logits, classes)
    expected, (grad,) = autograd(
        lambda z: F.cross_entropy(z.flatten(0, 1), classes.flatten()), [logits], torch.tensor(1.0)
    )
    assert_close(loss, expected.to(dtype), dtype)
    assert_close(criterion.backward(), grad, dtype)
    minidl.gradcheck(minidl.LossCrossEntropy(), logits.double(), classes)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_loss_sum_is_projects_auxiliary_loss(dtype):
    comparison, digits = randn(6, 2, dtype=dtype), 2 * randn(6, 2, 10, seed=2, dtype=dtype)
    target = torch.randint(0, 2, (6,), generator=generator(3))
    classes = torch.randint(0, 10, (6, 2), generator=generator(4))
    criterion = minidl.LossSum(
        minidl.LossCrossEntropy(), minidl.LossCrossEntropy(), weights=(1, 2.0)
    )
    loss = criterion.forward((comparison, digits), (target, classes))

    def reference(comparison, digits):  # proj1.training.pair_loss with aux_weight 2
        aux = F.cross_entropy(digits.flatten(0, 1), classes.flatten())
        return F.cross_entropy(comparison, target) + 2.0 * aux

    expected, grads = autograd(reference, [comparison, digits], torch.tensor(1.0, dtype=dtype))
    assert_close(loss, expected, dtype)
    for got, want in zip(criterion.backward(), grads):
        assert_close(got, want, dtype)


def test_one_criterion_twice_in_a_loss_sum():
    ce = minidl.LossCrossEntropy()
    a, b = randn(4, 3), randn(4, 3, seed=2)
    t = torch.tensor([0, 1, 2, 1])
    criterion = minidl.LossSum(ce, ce, weights=(1.0, 3.0))
    loss = criterion.forward((a, b), (t, t))
    ga, gb = criterion.backward()
    expected, grads = autograd(
        lambda a, b: F.cross_entropy(a, t) + 3 * F.cross_entropy(b, t), [a, b], torch.tensor(1.0)
    )
    torch.testing.assert_close(loss, expected)
    torch.testing.assert_close(ga, grads[0])
    torch.testing.assert_close(gb, grads[1])


# -- weight sharing: the siamese network ------------------------------------------------------


def small_siamese(g):
    encoder = minidl.Sequential(
        minidl.Conv2d(1, 3, 3, generator=g), minidl.MaxPool2d(2), minidl.ReLU(),
        minidl.Flatten(), minidl.Linear(3 * 2 * 2, 4, generator=g),
    )  # fmt: skip
    head = minidl.Sequential(minidl.Softmax(), minidl.Flatten(), minidl.Linear(8, 2, generator=g))
    return minidl.Siamese(encoder, head).double()


def test_siamese_passes_gradcheck_through_both_outputs():
    report = minidl.gradcheck(small_siamese(generator()), randn(3, 2, 6, 6))
    assert report.errors[1].name == "encoder.0.weight"  # named as torch names them


def test_shared_encoder_accumulates_both_images_gradients():
    net = small_siamese(generator())
    x = randn(4, 2, 6, 6)
    grad_out, grad_codes = randn(4, 2, seed=2), randn(4, 2, 4, seed=3)
    net.forward(x)
    grad_x = net.backward(grad_out, grad_codes)
    mine = [g.clone() for _, g in net.param()]
    params = [p for p, _ in net.param()]

    def reference(x, *params):  # the same network in torch.nn.functional, both images at once
        w1, b1, w2, b2, w3, b3 = params
        z = F.max_pool2d(F.conv2d(x.reshape(-1, 1, 6, 6), w1, b1), 2).relu().flatten(1)
        codes = F.linear(z, w2, b2).view(-1, 2, 4)
        return F.linear(codes.softmax(-1).flatten(1), w3, b3), codes

    with torch.enable_grad():
        leaves = [t.clone().requires_grad_(True) for t in (x, *params)]
        out, codes = reference(*leaves)
        ((out * grad_out).sum() + (codes * grad_codes).sum()).backward()
    torch.testing.assert_close(grad_x, leaves[0].grad)
    for got, leaf in zip(mine, leaves[1:]):
        torch.testing.assert_close(got, leaf.grad)


def copied_pair(dtype, dropout=0.0):
    """proj1's siamese_aux of seed 0 and minidl's twin holding its parameters."""
    torch.manual_seed(0)
    model = build("siamese_aux", dropout=dropout, softmax=True).to(dtype)
    net = minidl.siamese_network(dropout=dropout).to(dtype=dtype)
    assert [p.shape for p, _ in net.param()] == [q.shape for q in model.parameters()]
    for (p, _), q in zip(net.param(), model.parameters()):
        p.copy_(q.detach())
    return model, net


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_siamese_network_computes_proj1s_siamese_aux(dtype):
    model, net = copied_pair(dtype)
    x = randn(8, 2, 14, 14, dtype=dtype)
    comparison, digits = net.forward(x)
    expected = model.eval()(x)
    assert_close(comparison, expected.comparison, dtype)
    assert_close(digits, expected.digits, dtype)


def test_siamese_network_trains_like_proj1s_model():
    model, net = copied_pair(torch.float64, dropout=0.25)
    aux_weight, g = 2.0, generator(5)
    criterion = minidl.LossSum(minidl.LossCrossEntropy(), minidl.LossCrossEntropy(), weights=(1, 2))
    mine = minidl.Adam(net.param(), lr=2e-3)
    theirs = torch.optim.Adam(model.parameters(), lr=2e-3)
    encoder = model.encoders[0]
    for step in range(5):
        x = torch.randn(20, 2, 14, 14, generator=g, dtype=torch.float64)
        t, c = torch.randint(0, 2, (20,), generator=g), torch.randint(0, 10, (20, 2), generator=g)
        torch.manual_seed(step)  # the same dropout masks: drawn per image, in the same order
        loss = criterion.forward(net.forward(x), (t, c))
        mine.zero_grad()
        net.backward(*criterion.backward())
        mine.step()
        torch.manual_seed(step)
        with torch.enable_grad():
            digits = torch.stack([encoder(x[:, :1]), encoder(x[:, 1:])], 1)
            reference = F.cross_entropy(model.head(digits), t)
            reference = reference + aux_weight * F.cross_entropy(digits.flatten(0, 1), c.flatten())
            theirs.zero_grad()
            reference.backward()
            theirs.step()
        torch.testing.assert_close(loss, reference.detach(), rtol=1e-12, atol=0)
    for (p, _), q in zip(net.param(), model.parameters()):
        torch.testing.assert_close(p, q.detach(), rtol=1e-10, atol=1e-12)


# -- clear errors -----------------------------------------------------------------------------

CONV = "Conv2d(2, 4, kernel_size=3, stride=1, padding=0)"
BAD_INPUTS = [  # (module, input, error, message)
    (lambda: minidl.Conv2d(2, 4, 3), torch.zeros(1, 3, 5, 5), ValueError,
     f"{CONV}: input has shape (1, 3, 5, 5), expected (N, 2, H, W) with H, W >= 3"),
    (lambda: minidl.Conv2d(2, 4, 3), torch.zeros(2, 5, 5), ValueError,
     f"{CONV}: input has shape (2, 5, 5), expected (N, 2, H, W) with H, W >= 3"),
    (lambda: minidl.Conv2d(2, 4, 3), torch.zeros(1, 2, 2, 5), ValueError,
     f"{CONV}: input has shape (1, 2, 2, 5), expected (N, 2, H, W) with H, W >= 3"),
    (lambda: minidl.Conv2d(2, 4, 3), torch.zeros(1, 2, 5, 5, dtype=torch.float64), TypeError,
     f"{CONV}: input is torch.float64 but the parameters are torch.float32; convert one of "
     "them (module.double() / module.float() or input.to(...))"),
    (lambda: minidl.MaxPool2d(2), torch.zeros(3, 4, 4), ValueError,
     "MaxPool2d(kernel_size=2): input has shape (3, 4, 4), expected (N, C, H, W) with H, W >= 2"),
    (lambda: minidl.MaxPool2d(3), torch.zeros(1, 1, 2, 5), ValueError,
     "MaxPool2d(kernel_size=3): input has shape (1, 1, 2, 5), expected (N, C, H, W) with "
     "H, W >= 3"),
    (lambda: minidl.Flatten(), torch.zeros(5), ValueError,
     "Flatten: input has shape (5,), expected (N, ...)"),
    (lambda: small_siamese(generator()), torch.zeros(3, 1, 6, 6), ValueError,
     "Siamese: input has shape (3, 1, 6, 6), expected pairs (N, 2, ...)"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "x", "error", "message"), BAD_INPUTS)
def test_bad_input_is_a_clear_error(make, x, error, message):
    with pytest.raises(error) as caught:
        make().forward(x)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("make", "x", "grad"),
    [
        (lambda: minidl.Conv2d(2, 4, 3), torch.zeros(1, 2, 5, 5), torch.zeros(1, 4, 3, 4)),
        (lambda: minidl.MaxPool2d(2), torch.zeros(1, 2, 5, 5), torch.zeros(1, 2, 3, 3)),
        (minidl.Flatten, torch.zeros(2, 3, 4), torch.zeros(2, 11)),
        (minidl.Softmax, torch.zeros(2, 3), torch.zeros(3, 2)),
    ],
    ids=["Conv2d", "MaxPool2d", "Flatten", "Softmax"],
)
def test_gradient_of_the_wrong_shape_is_a_clear_error_and_keeps_the_forward(make, x, grad):
    module = make()
    y = module.forward(x)
    with pytest.raises(ValueError, match=r"gradient wrt output has shape .*, expected"):
        module.backward(grad)
    assert module.backward(torch.zeros(y.shape)).shape == x.shape


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: minidl.Conv2d(0, 4, 3), "Conv2d: in_channels must be an integer >= 1, got 0"),
        (lambda: minidl.Conv2d(1, 4, 2.0), "Conv2d: kernel_size must be an integer >= 1, got 2.0"),
        (lambda: minidl.Conv2d(1, 4, 3, stride=0), "Conv2d: stride must be an integer >= 1, got 0"),
        (
            lambda: minidl.Conv2d(1, 4, 3, padding=-1),
            "Conv2d: padding must be an integer >= 0, got -1",
        ),
        (lambda: minidl.MaxPool2d(0), "MaxPool2d: kernel_size must be an integer >= 1, got 0"),
        (
            lambda: minidl.LossSum(minidl.LossMSE(), weights=(1, 2)),
            "LossSum: 1 losses but 2 weights",
        ),
        (
            lambda: minidl.LossSum(minidl.LossMSE(), weights=("1",)),
            "LossSum: weights must be numbers, got ('1',)",
        ),
    ],  # fmt: skip
)
def test_bad_arguments_are_refused(make, message):
    with pytest.raises(ValueError) as caught:
        make()
    assert str(caught.value) == message


def test_bad_loss_inputs_are_refused():
    with pytest.raises(TypeError, match="expected one or more minidl losses"):
        minidl.LossSum(minidl.ReLU())
    with pytest.raises(ValueError, match="2 losses, got 1 predictions and 2 targets"):
        minidl.LossSum(minidl.LossMSE(), minidl.LossMSE()).forward((torch.zeros(1),), (1, 2))
    with pytest.raises(ValueError, match=r"target must be int64 class indices of shape \(3, 2\)"):
        minidl.LossCrossEntropy().forward(torch.zeros(3, 2, 10), torch.zeros(3, dtype=torch.long))
    with pytest.raises(TypeError, match="encoder is a ReLU, not a minidl Module"):
        minidl.Siamese(torch.nn.ReLU(), minidl.ReLU())
