"""Digit pairs: the prologue's semantics, the mnist-5k split, shapes and reproducibility."""

import pytest
import torch
import torch.nn.functional as F
from idx_files import write_mnist

from proj1 import data

EXACT = "donot_use_mm_for_euclid_dist"  # the matmul shortcut is not exact for equal rows


def prologue_mnist_to_pairs(nb, input, target):
    """The course's dlc_practical_prologue.mnist_to_pairs, line for line."""
    input = F.avg_pool2d(input, kernel_size=2)
    a = torch.randperm(input.size(0))
    a = a[: 2 * nb].view(nb, 2)
    input = torch.cat((input[a[:, 0]], input[a[:, 1]]), 1)
    classes = target[a]
    target = (classes[:, 0] <= classes[:, 1]).long()
    return input, target, classes


def prologue_generate_pair_sets(nb, train, test):
    """The prologue's generate_pair_sets after loading: train pairs, then test pairs."""
    sets = ()
    for images, labels in (train, test):
        sets += prologue_mnist_to_pairs(nb, images.view(-1, 1, 28, 28).float(), labels)
    return sets


def draw(nb=100, seed=0, **kw):
    return data.generate_pair_sets(nb, generator=torch.Generator().manual_seed(seed), **kw)


def test_mnist_to_pairs_is_the_prologue_bit_for_bit():
    images, labels = data.load_mnist("mnist-5k")
    input = images[:500].unsqueeze(1).float()
    torch.manual_seed(7)
    ours = data.mnist_to_pairs(100, input, labels[:500])
    torch.manual_seed(7)
    theirs = prologue_mnist_to_pairs(100, input, labels[:500])
    for a, b in zip(ours, theirs):
        assert torch.equal(a, b)


def test_pairs_have_the_prologues_shapes_types_and_targets():
    sets = draw(200)
    for offset in (0, 3):
        input, target, classes = sets[offset : offset + 3]
        assert input.shape == (200, 2, 14, 14) and input.dtype == torch.float32
        assert target.shape == (200,) and target.dtype == torch.int64
        assert classes.shape == (200, 2) and classes.dtype == torch.int64
        assert input.min() >= 0 and input.max() <= 255 and input.max() > 200
        assert torch.equal(target, (classes[:, 0] <= classes[:, 1]).long())
        assert classes.min() >= 0 and classes.max() <= 9


def test_mnist_5k_train_and_test_pairs_share_no_image():
    train_input, *_, test_input, _, _ = draw(1000)
    train_images = train_input.reshape(-1, 196)
    test_images = test_input.reshape(-1, 196)
    distances = torch.cdist(test_images, train_images, compute_mode=EXACT)
    assert distances.min() > 0


def test_same_generator_same_pairs_and_another_seed_differs():
    first, again, other = draw(seed=3), draw(seed=3), draw(seed=4)
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    assert not torch.equal(first[0], other[0])


def test_global_rng_is_used_without_generator():
    torch.manual_seed(11)
    a = data.generate_pair_sets(20)
    torch.manual_seed(11)
    b = data.generate_pair_sets(20)
    assert all(torch.equal(x, y) for x, y in zip(a, b))


def test_too_many_pairs_gives_the_maximum():
    assert data.max_pairs("mnist-5k") == 1250
    with pytest.raises(ValueError, match="between 1 and 1250 for source 'mnist-5k', got 1251"):
        draw(1251)


def test_unknown_source():
    with pytest.raises(ValueError, match="unknown data source 'emnist'; choose from auto"):
        draw(source="emnist")


def test_full_mnist_pairs_come_from_their_split(tmp_path):
    written = write_mnist(tmp_path, n_train=40, n_test=20)
    sets = draw(10, data_dir=tmp_path, source="auto")
    assert data.max_pairs("mnist", tmp_path) == 10
    pooled = {
        prefix: F.avg_pool2d(images.unsqueeze(1).float(), 2).reshape(len(images), -1)
        for prefix, (images, _) in written.items()
    }
    for input, prefix in ((sets[0], "train"), (sets[3], "t10k")):
        distances = torch.cdist(input.reshape(-1, 196), pooled[prefix], compute_mode=EXACT)
        assert torch.all(distances.min(dim=1).values == 0)


def test_full_mnist_pairs_are_the_prologues_bit_for_bit(tmp_path):
    write_mnist(tmp_path, n_train=40, n_test=20)
    splits = [data.load_mnist("mnist", tmp_path, train) for train in (True, False)]
    torch.manual_seed(5)
    ours = data.generate_pair_sets(10, source="mnist", data_dir=tmp_path)
    torch.manual_seed(5)
    theirs = prologue_generate_pair_sets(10, *splits)
    assert all(torch.equal(a, b) for a, b in zip(ours, theirs))


def test_a_generator_leaves_the_global_rng_alone():
    state = torch.get_rng_state()
    draw(50)
    assert torch.equal(state, torch.get_rng_state())


@pytest.mark.parametrize(
    ("shape", "nb", "message"),
    [
        ((10, 1, 28, 28), 6, "6 pairs need 12 images, only 10 given"),
        ((10, 1, 28, 28), 0, "nb must be >= 1, got 0"),
        ((10, 28, 28), 2, r"takes images \(N, 1, 28, 28\) and labels \(N,\), got \(10, 28, 28\)"),
        ((9, 1, 28, 28), 2, r"got \(9, 1, 28, 28\) and \(10,\)"),
    ],
    ids=["too-few-images", "no-pairs", "images-without-channel", "labels-of-another-length"],
)
def test_mnist_to_pairs_explains_bad_arguments(shape, nb, message):
    with pytest.raises(ValueError, match=message):
        data.mnist_to_pairs(nb, torch.zeros(shape), torch.zeros(10, dtype=torch.long))


def test_mnist_5k_pairs_are_the_prologues_draw_from_each_pool():
    """Train pairs as the prologue draws them from the train pool (the first 250 digits of
    each class), then test pairs from the test pool (the last 250), with the same generator."""
    nb = 3
    sets = data.generate_pair_sets(
        nb, source="mnist-5k", generator=torch.Generator().manual_seed(0)
    )
    generator = torch.Generator().manual_seed(0)
    for offset, train in ((0, True), (3, False)):
        images, labels = data.load_mnist("mnist-5k", train=train)
        assert len(images) == 10 * data.TRAIN_POOL_PER_CLASS == 2500
        pooled = F.avg_pool2d(images.unsqueeze(1).float(), 2)
        a = torch.randperm(len(images), generator=generator)[: 2 * nb].view(nb, 2)
        assert torch.equal(sets[offset], torch.cat((pooled[a[:, 0]], pooled[a[:, 1]]), 1))
        assert torch.equal(sets[offset + 2], labels[a])
