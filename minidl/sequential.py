"""`Sequential`: modules applied one after the other."""

from .flat import pack
from .module import Module


class Sequential(Module):
    """Chain of modules: `forward` runs them in order, `backward` in reverse.

    A module may appear more than once, and a `Sequential` may hold another: see
    `minidl.module` for how reuse composes. Its loose parameters and gradients are packed
    into two contiguous buffers (see `minidl.flat`), so that an optimiser updates them in
    one kernel; parameters already packed by an inner `Sequential` stay where they are.
    """

    def __init__(self, *modules):
        super().__init__()
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(
                    f"Sequential: item {i} is a {type(m).__name__}, not a minidl Module"
                )
        self.modules = list(modules)
        pack(self.param())

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

    def to(self, dtype=None, device=None):
        super().to(dtype=dtype, device=device)
        pack(self.param())
        return self

    def __repr__(self):
        if not self.modules:
            return "Sequential()"
        lines = [f"  ({i}): " + repr(m).replace("\n", "\n  ") for i, m in enumerate(self.modules)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"
