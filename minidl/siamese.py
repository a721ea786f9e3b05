"""`Siamese`: one encoder shared by the two images of a pair, then a head on both codes."""

from .module import Module


class Siamese(Module):
    """Weight sharing: `encoder` on each image of a pair, then `head` on the two codes.

    Input `(N, 2, ...)`, the two images of each pair; the encoder sees each as `(N, 1, ...)`
    and returns a code `(N, D)` (e.g. ten digit logits). `forward` returns the head's output
    on the stacked codes `(N, 2, D)` (e.g. comparison logits `(N, 2)`) and the codes
    themselves, for an auxiliary loss. The encoder runs twice per forward, so its parameter
    gradients accumulate from both uses (`minidl.module` explains how).
    """

    def __init__(self, encoder, head):
        super().__init__()
        for name, m in (("encoder", encoder), ("head", head)):
            if not isinstance(m, Module):
                raise TypeError(f"Siamese: {name} is a {type(m).__name__}, not a minidl Module")
        self.encoder, self.head = encoder, head

    def children(self):
        return [self.encoder, self.head]

    def named_children(self):
        return [("encoder", self.encoder), ("head", self.head)]

    def forward(self, input):
        """`(N, 2, ...)` -> (head output, codes `(N, 2, D)`)."""
        if input.dim() < 2 or input.size(1) != 2:
            raise ValueError(
                f"Siamese: input has shape {tuple(input.shape)}, expected pairs (N, 2, ...)"
            )
        first = self.encoder.forward(input[:, :1])
        second = self.encoder.forward(input[:, 1:])
        codes = first.new_empty((first.size(0), 2, *first.shape[1:]))
        codes[:, 0], codes[:, 1] = first, second
        return self.head.forward(codes), codes

    def backward(self, grad_output, grad_codes=None):
        """dL/dinput `(N, 2, ...)` from the gradients wrt the head's output and (when an
        auxiliary loss reads them) wrt the codes `(N, 2, D)`."""
        grad = self.head.backward(grad_output)
        if grad_codes is not None:
            if grad_codes.shape != grad.shape:
                raise self._grad_shape_error(grad_codes, grad.shape)
            grad = grad + grad_codes
        second = self.encoder.backward(grad[:, 1])  # the latest use first
        first = self.encoder.backward(grad[:, 0])
        grad_input = first.new_empty((first.size(0), 2, *first.shape[2:]))
        grad_input[:, :1], grad_input[:, 1:] = first, second
        return grad_input

    def __repr__(self):
        encoder = repr(self.encoder).replace("\n", "\n  ")
        head = repr(self.head).replace("\n", "\n  ")
        return f"Siamese(\n  (encoder): {encoder}\n  (head): {head}\n)"
