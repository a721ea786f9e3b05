"""Contiguous parameter storage, so that optimisers update many parameters in one kernel.

`pack` moves `(parameter, gradient)` pairs into two flat buffers *in place*
(`Tensor.set_` keeps each tensor object, so every module still holds its own
parameters); `flat_chunks` then sees pairs that lie back to back as one 1-D
`(values, grads)` chunk. On a small net this removes most of the optimiser's kernel launches.

A chunk over several tensors is a view of their buffer. So that no such view ever goes
stale, a tensor is moved only while it owns its whole storage: once packed with others
(inside a `Sequential`, say) it stays where it is, and a `Sequential` wrapping that one
packs only its own loose parameters beside it.
"""

from torch import empty


def _owns_its_storage(t):
    """Whether `t` is its whole storage: no other tensor, and so no chunk, can view it."""
    whole = t.untyped_storage().nbytes() == t.numel() * t.element_size()
    return whole and t.storage_offset() == 0 and t.is_contiguous()


def pack(pairs):
    """Rebind the loose tensors of `pairs` as consecutive views of two new buffers, in place.

    Pairs already packed (views of a larger storage) stay where they are; so do all when
    the loose ones mix dtypes or devices, which cannot share a buffer.
    """
    loose = [pair for pair in pairs if all(_owns_its_storage(t) for t in pair)]
    if not loose:
        return
    first = loose[0][0]
    if any(t.dtype != first.dtype or t.device != first.device for pair in loose for t in pair):
        return
    size = sum(p.numel() for p, _ in loose)
    buffers = [empty(size, dtype=first.dtype, device=first.device) for _ in range(2)]
    offset = 0
    for pair in loose:
        n = pair[0].numel()
        for tensor, buffer in zip(pair, buffers):
            buffer[offset : offset + n].copy_(tensor.reshape(-1))
            tensor.set_(buffer.untyped_storage(), offset, tensor.shape)
        offset += n


def _follows(before, after):
    """Whether `after` starts, in the same storage, where the contiguous `before` ends."""
    return (
        after.untyped_storage().data_ptr() == before.untyped_storage().data_ptr()
        and after.dtype == before.dtype
        and before.is_contiguous()
        and after.is_contiguous()
        and after.storage_offset() == before.storage_offset() + before.numel()
    )


def _as_vector(tensors):
    """A 1-D view over `tensors`, which lie back to back in one storage."""
    first = tensors[0]
    size = sum(t.numel() for t in tensors)
    vector = empty(0, dtype=first.dtype, device=first.device)
    return vector.set_(first.untyped_storage(), first.storage_offset(), (size,))


def flat_chunks(pairs):
    """List of `(values, grads)` chunks covering `pairs`, in order.

    Each longest run of pairs whose values and gradients both lie back to back becomes one
    chunk of 1-D views; a pair alone in its run is its own chunk (the tensors themselves).
    """
    runs = []
    for pair in pairs:
        if runs and all(_follows(a, b) for a, b in zip(runs[-1][-1], pair)):
            runs[-1].append(pair)
        else:
            runs.append([pair])
    return [run[0] if len(run) == 1 else tuple(map(_as_vector, zip(*run))) for run in runs]
