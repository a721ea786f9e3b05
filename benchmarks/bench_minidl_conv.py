"""Seconds per epoch of Project 1's `siamese_aux` in minidl against torch.nn + autograd.

Both train the same network from the same weights (minidl's copied from the torch model of
seed 0, with the tuned settings: dropout 0.25, softmax head, auxiliary weight 2, Adam at
2e-3) on the 1,000 training pairs of round 0 (`mnist-5k`), minibatches of 100, one thread,
in one process: minidl with its `Siamese` network and `LossSum`, torch with
`proj1.models`' model, `proj1.training.pair_loss`, autograd and the fused Adam that
`proj1.training` uses. The swap augmentation of the tuned settings is left out of both.
The timing is `proj2.speed.ms_per_epoch`'s, one epoch at a time. Run:
`python benchmarks/bench_minidl_conv.py` (or `make bench`).
"""

import torch

import minidl
from proj1.experiment import draw_pairs
from proj1.study import build, settings, split_options
from proj1.training import Normaliser, pair_loss
from proj2.speed import ms_per_epoch

BATCH = 100
MODEL, TRAIN = split_options(settings("best", "siamese_aux"))


def pairs():
    (x, t, c), _ = draw_pairs(1000, 0, "mnist-5k", None)
    return Normaliser.fit(x)(x), t, c


def torch_model():
    torch.manual_seed(0)
    return build("siamese_aux", **MODEL)


def minidl_epoch():
    x, t, c = pairs()
    net = minidl.siamese_network(**MODEL)
    for (p, _), q in zip(net.param(), torch_model().parameters()):
        p.copy_(q.detach())
    criterion = minidl.LossSum(
        minidl.LossCrossEntropy(), minidl.LossCrossEntropy(), weights=(1.0, TRAIN["aux_weight"])
    )
    opt = minidl.Adam(net.param(), lr=TRAIN["lr"])
    g = torch.Generator().manual_seed(0)

    def epoch():
        for idx in torch.randperm(len(x), generator=g).split(BATCH):
            criterion.forward(net.forward(x[idx]), (t[idx], c[idx]))
            opt.zero_grad()
            net.backward(*criterion.backward())
            opt.step()

    return epoch


def torch_nn_epoch():
    x, t, c = pairs()
    model = torch_model().train()
    opt = torch.optim.Adam(model.parameters(), lr=TRAIN["lr"], fused=True)
    g = torch.Generator().manual_seed(0)

    def epoch():
        with torch.enable_grad():
            for idx in torch.randperm(len(x), generator=g).split(BATCH):
                loss = pair_loss(model(x[idx]), t[idx], c[idx], TRAIN["aux_weight"])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()

    return epoch


def main():
    torch.set_grad_enabled(False)
    torch.set_num_threads(1)
    makers = {"torch.nn + autograd": torch_nn_epoch, "minidl": minidl_epoch}
    # the best CPU time of one epoch each, in turns whose order rotates (see ms_per_epoch)
    results = {
        name: ms / 1e3 for name, ms in ms_per_epoch(makers, warmup=2, epochs=1, repeats=7).items()
    }
    print(f"{'siamese_aux, one epoch':<34} {'s/epoch':>9} {'vs torch':>9}")
    base = results["torch.nn + autograd"]
    for name, seconds in results.items():
        print(f"{name:<34} {seconds:9.3f} {seconds / base:8.2f}x")
    print(f"minidl / torch.nn = {results['minidl'] / base:.2f} (goal <= 2)")


if __name__ == "__main__":
    main()
