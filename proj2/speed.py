"""Milliseconds per epoch of Project 2's net: minidl, torch.nn + autograd, a hand-fused floor.

All three train 2-25-25-25-2 with MSE and SGD (lr 0.1, momentum 0.9) on 1,000 disk
points in minibatches of 100, in this process. The floor is the fastest raw-tensor loop we
could write: preallocated buffers, `out=` kernels, in-place ops and one flat parameter
buffer. `benchmarks/bench_minidl.py` prints the ratios; `python -m proj2` reports them.
This module, not minidl, uses torch.nn and autograd: the framework stays pure.
"""

import platform
import time

import torch

import minidl
from minidl.disk import BATCH, LR, MOMENTUM, POINTS, SIZES, network


def data(seed=0):
    """Disk points `(POINTS, 2)`, their one-hot targets and the generator that drew them."""
    g = torch.Generator().manual_seed(seed)
    x, labels = minidl.disk_dataset(POINTS, generator=g)
    return x, minidl.one_hot(labels), g


def minidl_epoch():
    """A function that trains one epoch with minidl (the assignment's net, `LossMSE`, `SGD`)."""
    x, t, g = data()
    net = network(g)
    criterion, opt = minidl.LossMSE(), minidl.SGD(net.param(), lr=LR, momentum=MOMENTUM)

    def epoch():
        for xb, tb in minidl.minibatches(x, t, batch_size=BATCH, generator=g):
            criterion.forward(net.forward(xb), tb)
            opt.zero_grad()
            net.backward(criterion.backward())
            opt.step()

    return epoch


def torch_nn_epoch():
    """A function that trains one epoch of the same net in torch.nn + autograd + optim.SGD."""
    x, t, g = data()
    layers = []
    for i, o in zip(SIZES[:-1], SIZES[1:]):
        layers += [torch.nn.Linear(i, o), torch.nn.ReLU()]
    net = torch.nn.Sequential(*layers[:-1])
    criterion = torch.nn.MSELoss()
    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)

    def epoch():
        with torch.enable_grad():
            perm = torch.randperm(POINTS, generator=g)
            for k in range(0, POINTS, BATCH):
                idx = perm[k : k + BATCH]
                loss = criterion(net(x.index_select(0, idx)), t.index_select(0, idx))
                opt.zero_grad()
                loss.backward()
                opt.step()

    return epoch


def floor_epoch():
    """A function that trains one epoch with the fastest raw-tensor loop we could write."""
    x, t, g = data()
    shapes = [s for i, o in zip(SIZES[:-1], SIZES[1:]) for s in ((o, i), (o,))]
    total = sum(torch.Size(s).numel() for s in shapes)
    values = torch.empty(total).uniform_(-0.3, 0.3, generator=g)
    grads, momentum = torch.zeros(total), torch.zeros(total)
    params, param_grads, offset = [], [], 0
    for s in shapes:
        n = torch.Size(s).numel()
        params.append(values[offset : offset + n].view(s))
        param_grads.append(grads[offset : offset + n].view(s))
        offset += n
    hidden = [torch.empty(BATCH, o) for o in SIZES[1:]]
    slopes = [torch.empty(BATCH, o) for o in SIZES[1:-1]]
    ones, diff = torch.ones(BATCH), torch.empty(BATCH, SIZES[-1])
    layers = len(SIZES) - 1

    def epoch():
        perm = torch.randperm(POINTS, generator=g)
        for k in range(0, POINTS, BATCH):
            idx = perm[k : k + BATCH]
            activations = [x.index_select(0, idx)]
            for i in range(layers):
                weight, bias = params[2 * i], params[2 * i + 1]
                out = torch.addmm(bias, activations[-1], weight.t(), out=hidden[i])
                if i < layers - 1:
                    out.clamp_(min=0)
                activations.append(out)
            torch.sub(activations[-1], t.index_select(0, idx), out=diff)
            diff.square().mean()
            grad = diff.mul_(2 / diff.numel())
            grads.zero_()
            for i in reversed(range(layers)):
                param_grads[2 * i].addmm_(grad.t(), activations[i])
                param_grads[2 * i + 1].addmv_(grad.t(), ones)
                if i > 0:
                    grad = grad.mm(params[2 * i])
                    grad.mul_(torch.sign(activations[i], out=slopes[i - 1]))
            momentum.mul_(MOMENTUM).add_(grads)
            values.add_(momentum, alpha=-LR)

    return epoch


IMPLEMENTATIONS = {
    "floor (hand-fused raw tensors)": floor_epoch,
    "torch.nn + autograd + optim.SGD": torch_nn_epoch,
    "minidl": minidl_epoch,
}
FLOOR, TORCH_NN, MINIDL = IMPLEMENTATIONS
# the timing of the report and of bench_minidl: the best of `repeats` timings of `epochs`
# epochs, after `warmup` epochs
TIMING = {"warmup": 20, "epochs": 50, "repeats": 12}


def ms_per_epoch(makers=IMPLEMENTATIONS, *, warmup, epochs, repeats):
    """Best timing of `epochs` epochs per implementation, in ms per epoch.

    Timed in CPU time of this thread (everything runs on it, torch on one thread), which
    other processes on a shared machine do not inflate as they do the wall clock. The
    implementations take turns in every repeat, so that what a background load still
    changes (caches, clock speed) touches them alike, and the turn order rotates: the one
    that runs just before another leaves its own data in the caches (running right after
    torch.nn cost minidl 3 % on a loaded 2-core machine).
    """
    epochs_of = {name: make() for name, make in makers.items()}
    for epoch in epochs_of.values():
        for _ in range(warmup):
            epoch()
    best = dict.fromkeys(makers, float("inf"))
    names = list(epochs_of)
    for r in range(repeats):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            start = time.thread_time()
            for _ in range(epochs):
                epochs_of[name]()
            best[name] = min(best[name], (time.thread_time() - start) / epochs)
    return {name: 1e3 * seconds for name, seconds in best.items()}


def cpu_name() -> str:
    """The CPU's model name and its number of cores (as the OS lists them), for a timing."""
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        return f"{names[0]}, {len(names)} cores" if names else platform.processor()
    except OSError:
        return platform.processor() or platform.machine()
