"""minidl.flat: parameters packed into one buffer, seen as one chunk only when they really are."""

import torch

import minidl
from minidl.flat import flat_chunks, pack


def pair(values):
    values = torch.tensor(values)
    return values, torch.zeros_like(values)


def test_one_chunk_spans_tensors_back_to_back_from_any_offset():
    values, grads = torch.arange(10.0), torch.zeros(10)
    pairs = [(values[2:5], grads[2:5]), (values[5:9], grads[5:9])]
    [(chunk, grad_chunk)] = flat_chunks(pairs)
    assert chunk.tolist() == [2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0] and grad_chunk.numel() == 7


def test_no_chunk_over_tensors_that_are_not_back_to_back():
    values, grads = torch.arange(7.0), torch.zeros(7)
    for second in (
        lambda t: torch.cat([t[:3], t[3:5]])[3:],  # the offset that follows, another storage
        lambda t: t[3:7].view(2, 2).t(),  # the right storage and place, not contiguous
    ):
        pairs = [(values[:3], grads[:3]), (second(values), second(grads))]
        assert flat_chunks(pairs) == pairs
    apart = [(values[:3], torch.zeros(3)), (values[3:5], torch.zeros(2))]  # gradients apart
    assert flat_chunks(apart) == apart


def test_pack_one_pair_and_leave_mixed_dtypes_alone():
    (weight, grad) = only = pair([1.0, 2.0])
    before = weight.untyped_storage().data_ptr()
    pack([only])
    assert weight.tolist() == [1.0, 2.0] and weight.untyped_storage().data_ptr() != before
    mixed = [pair([1.0]), (torch.ones(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64))]
    storages = [t.untyped_storage().data_ptr() for p in mixed for t in p]
    pack(mixed)
    assert [t.untyped_storage().data_ptr() for p in mixed for t in p] == storages
    assert mixed[1][0].dtype == torch.float64


def test_packed_parameters_on_another_device_give_a_chunk_there():
    net = minidl.Sequential(minidl.Linear(2, 3), minidl.Tanh(), minidl.Linear(3, 1)).to(
        device="meta"
    )
    [(values, grads)] = flat_chunks(net.param())
    assert values.device.type == grads.device.type == "meta" and values.shape == (13,)


def test_chunks_are_the_longest_back_to_back_runs():
    values, grads = torch.arange(9.0), torch.zeros(9)
    alone = pair([7.0])
    pairs = [(values[:2], grads[:2]), (values[2:5], grads[2:5]), alone, (values[5:9], grads[5:9])]
    chunks = flat_chunks(pairs)
    assert [c[0].tolist() for c in chunks] == [[0, 1, 2, 3, 4], [7], [5, 6, 7, 8]]
    assert chunks[1] is alone and chunks[2] is pairs[3]  # a run of one: the pair itself


def test_pack_moves_only_tensors_that_own_their_storage():
    values, grads = torch.arange(4.0), torch.zeros(4)
    packed = (values[:2], grads[:2])  # views of a larger storage: a chunk may view them
    loose = [pair([5.0]), pair([6.0, 7.0])]
    pack([packed, *loose])
    assert packed[0].untyped_storage().data_ptr() == values.untyped_storage().data_ptr()
    [(chunk, _)] = flat_chunks(loose)
    assert chunk.tolist() == [5.0, 6.0, 7.0]
