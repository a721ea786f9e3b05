"""Contiguous parameter storage, so that optimisers update every parameter in one kernel.

`pack` moves a list of `(parameter, gradient)` pairs into two flat buffers *in place*
(`Tensor.set_` keeps each tensor object, so every module still holds its own
parameters); `flat_chunks` then sees such pairs as a single 1-D `(values, grads)` chunk.
On a small net this removes most of the optimiser's kernel launches.
"""

from torch import empty


def pack(pairs):
    """Rebind the tensors of `pairs` as consecutive views of two new buffers, in place."""
    if not pairs:
        return
    first = pairs[0][0]
    if any(p.dtype != first.dtype or p.device != first.device for pair in pairs for p in pair):
        return  # mixed dtypes or devices cannot share a buffer; leave them as they are
    size = sum(p.numel() for p, _ in pairs)
    buffers = [empty(size, dtype=first.dtype, device=first.device) for _ in range(2)]
    offset = 0
    for pair in pairs:
        n = pair[0].numel()
        for tensor, buffer in zip(pair, buffers):
            buffer[offset : offset + n].copy_(tensor.reshape(-1))
            tensor.set_(buffer.untyped_storage(), offset, tensor.shape)
        offset += n


def _as_one_vector(tensors):
    """A 1-D view over `tensors` when they lie back to back in one storage, else None."""
    first = tensors[0]
    offset = first.storage_offset()
    for t in tensors:
        same = t.untyped_storage().data_ptr() == first.untyped_storage().data_ptr()
        if not (same and t.is_contiguous() and t.storage_offset() == offset):
            return None
        offset += t.numel()
    start = first.storage_offset()
    vector = empty(0, dtype=first.dtype, device=first.device)
    return vector.set_(first.untyped_storage(), start, (offset - start,))


def flat_chunks(pairs):
    """List of `(values, grads)` chunks covering `pairs`: one chunk when packed, else each pair."""
    if not pairs:
        return []
    values = _as_one_vector([p for p, _ in pairs])
    grads = _as_one_vector([g for _, g in pairs])
    if values is None or grads is None:
        return list(pairs)
    return [(values, grads)]
