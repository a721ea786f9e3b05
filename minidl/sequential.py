"""`Sequential`: modules applied one after the other."""

from .flat import flat_chunks, pack
from .module import Module


class Sequential(Module):
    """Chain of modules: `forward` runs them in order, `backward` in reverse.

    Its parameters and gradients are packed into two contiguous buffers (see
    `minidl.flat`), so that optimisers and `zero_grad` touch them in one kernel each.
    """

    def __init__(self, *modules):
        super().__init__()
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(
                    f"Sequential: item {i} is a {type(m).__name__}, not a minidl Module"
                )
        self.modules = list(modules)
        self._repack()

    def _repack(self):
        pairs = self.param()
        pack(pairs)
        self._chunks = flat_chunks(pairs)

    def children(self):
        return self.modules

    def __len__(self):
        return len(self.modules)

    def __getitem__(self, i):
        return self.modules[i]

    def forward(self, input):
        for m in self.modules:
            input = m.forward(input)
        return input

    def backward(self, grad):
        for m in reversed(self.modules):
            grad = m.backward(grad)
        return grad

    def zero_grad(self):
        for _, grads in self._chunks:
            grads.zero_()

    def to(self, dtype=None, device=None):
        super().to(dtype=dtype, device=device)
        self._repack()
        return self

    def __repr__(self):
        if not self.modules:
            return "Sequential()"
        lines = [f"  ({i}): " + repr(m).replace("\n", "\n  ") for i, m in enumerate(self.modules)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"
