"""The Project 2 report of a study, as a `typeset.Document`: the framework's design, the
gradient check, the disk task over rounds and the speed, every number from the study."""

import inspect

import minidl
from minidl import disk
from proj2 import gradients, speed
from proj2.study import Study
from typeset import Bullets, Code, Column, Document, Figure, Heading, Paragraph, Table

GOAL = 0.05  # the test error the seed's net should stay under on the disk task

# the public classes of minidl, in the order the report lists them, by what they are
KINDS = {
    "module": ("Module", "Sequential", "Linear", "ReLU", "Tanh", "Sigmoid", "LeakyReLU", "Dropout"),
    "module, for Project 1": ("Conv2d", "MaxPool2d", "Flatten", "Softmax", "Siamese"),
    "loss": ("Loss", "LossMSE", "LossCrossEntropy", "LossSum"),
    "optimiser": ("Optimizer", "SGD", "Adam"),
}
STEP = """\
loss = criterion.forward(net.forward(x), target)   # each module keeps what backward needs
optimizer.zero_grad()                              # every gradient to 0, one kernel
net.backward(criterion.backward())                 # the chain rule, last module first
optimizer.step()                                   # each (parameter, gradient) pair, in place"""


def percent(mean: float, std: float | None = None) -> str:
    """'2.40' or '2.40 ± 0.61' (points of percent) from fractions."""
    return f"{100 * mean:.2f}" + ("" if std is None else f" ± {100 * std:.2f}")


def document(study: Study, figure: str | None = "disk.png") -> Document:
    """The report of `study`; `figure` is the disk figure's path (None: no figure)."""
    c = study.config
    subtitle = (
        f"Written by `python -m proj2` from its run: {c['rounds']} rounds of {c['epochs']} "
        f"epochs; torch {c['torch']}, {c['threads']} thread, {c['cpu']}."
    )
    blocks = [*_design(), *_gradients(study), *_disk(study, figure)]
    if study.speed is not None:
        blocks += _speed(study)
    blocks += [Heading("Conclusions"), Bullets(conclusions(study))]
    title = "Project 2: minidl, a deep-learning framework from tensor operations"
    return Document(title, blocks, subtitle)


def _first_line(obj) -> str:
    return inspect.getdoc(obj).splitlines()[0]


def _design() -> list:
    rows = [(name, kind) for kind, names in KINDS.items() for name in names]
    classes = Table(
        [
            Column("class", lambda r: f"`{r[0]}`", "left"),
            Column("kind", lambda r: r[1], "left"),
            Column(
                "what it is (its docstring)", lambda r: _first_line(getattr(minidl, r[0])), "left"
            ),
        ],
        rows,
        caption="The classes of minidl.",
    )
    net = disk.network()
    layers = [(i, m, [(n, p) for n, p, _ in m.named_param()]) for i, m in enumerate(net)]
    shapes = Table(
        [
            Column("#", lambda r: str(r[0])),
            Column("module", lambda r: f"`{r[1]!r}`", "left"),
            Column(
                "(parameter, gradient) pairs",
                lambda r: ", ".join(f"{n} {'×'.join(map(str, p.shape))}" for n, p in r[2]) or "–",
                "left",
            ),
        ],
        layers,
        caption="The assignment's network as a `Sequential`, with the shapes of its pairs.",
    )
    pairs = net.param()
    count = sum(p.numel() for p, _ in pairs)
    return [
        Heading("The framework"),
        Paragraph(
            "minidl builds networks from tensor operations alone: its modules import nothing "
            "from torch but `torch.empty`, never call autograd or `torch.nn`, and run with "
            "`torch.set_grad_enabled(False)`. A module's `forward` computes its output and "
            "keeps what its backward pass needs (`Linear` its input, `ReLU`, `Tanh` and "
            "`Sigmoid` their output, `Dropout` its mask); its `backward` receives the "
            "gradient of the loss with respect to that output, adds the gradients of its "
            "parameters into their gradient tensors "
            "and returns the gradient with respect to its input. `param()` returns the "
            "module's `(parameter, gradient)` pairs, two tensors of one shape; an optimiser "
            "holds the pairs and updates each parameter in place from its gradient."
        ),
        Paragraph(
            "Backward passes compose by the chain rule. `Sequential.forward` runs its modules "
            "in order; `Sequential.backward` runs them in reverse, each turning the gradient "
            "with respect to its output into the one with respect to its input, which the "
            "module before it receives. Its `param()` is its modules' pairs, in order, packed "
            "into one contiguous buffer of values and one of gradients, so that an optimiser "
            "clears and updates all of them at once: one kernel for `zero_grad`, a few for a "
            "step, however many layers (a `Sequential` nested in another keeps its own "
            "buffer). A loss is a module too: `forward` "
            "takes the prediction and the target and returns a 0-dim tensor, and `backward` "
            "takes nothing and returns the gradient with respect to the prediction, which "
            "starts the chain. One step of training:"
        ),
        Code(STEP),
        classes,
        Paragraph(
            f"The assignment's network has {len(pairs)} pairs holding {count:,} parameters "
            "(layers initialised like `torch.nn.Linear`):"
        ),
        shapes,
    ]


def _gradients(study: Study) -> list:
    defaults = inspect.signature(minidl.gradcheck).parameters
    eps, atol, rtol = (defaults[k].default for k in ("eps", "atol", "rtol"))
    table = Table(
        [
            Column("module", lambda r: r["module"], "left"),
            Column("tensors", lambda r: str(r["tensors"])),
            Column("values", lambda r: f"{r['values']:,}"),
            Column("max abs error", lambda r: f"{r['max_abs_error']:.2e}"),
            Column("max rel error", lambda r: f"{r['max_rel_error']:.2e}"),
            Column("within tolerance", lambda r: "yes" if r["ok"] else "**no**", "left"),
        ],
        study.gradients,
        caption="Analytic against finite-difference gradients, the largest errors over the "
        "input and every parameter of each module.",
    )
    return [
        Heading("Gradient check"),
        Paragraph(
            "`minidl.gradcheck` compares each analytic gradient, with respect to the input and "
            f"to every parameter, with central finite differences (step {eps:g}) in float64, "
            f"on standard normal inputs ({gradients.BATCH} rows, 2 samples for the convolution "
            "modules; a module is reduced to the "
            "scalar sum of its output weighted by fixed normal draws; a loss is its own "
            f"scalar). A tensor passes when every entry is within {atol:g} + {rtol:g} times "
            "the finite difference's magnitude. `LossSum` is not in the table: it takes tuples "
            "of predictions, which the check does not perturb; its tests compare it with "
            "autograd."
        ),
        table,
    ]


def _disk(study: Study, figure: str | None) -> list:
    c, s = study.config, study.summary()
    last = c["seed"] + c["rounds"] - 1
    sizes = "-".join(map(str, c["sizes"]))
    errors = Table(
        [
            Column("error %", lambda r: r[0], "left"),
            Column(f"mean ± std over {s['rounds']} rounds", lambda r: percent(*r[1])),
            Column("min", lambda r: percent(r[2])),
            Column("max", lambda r: percent(r[3])),
        ],
        [
            (which, (s[f"{key}_mean"], s[f"{key}_std"]), s[f"{key}_min"], s[f"{key}_max"])
            for which, key in (("train", "train_error"), ("test", "test_error"))
        ],
        caption="Train and test error of the assignment's network over the rounds.",
    )
    per_round = Table(
        [
            Column("seed", lambda r: str(r["seed"])),
            Column("train error %", lambda r: percent(r["train_error"])),
            Column("test error %", lambda r: percent(r["test_error"])),
            Column("training s", lambda r: f"{r['seconds']:.2f}"),
        ],
        study.rounds,
        caption="Each round.",
    )
    blocks = [
        Heading("The disk task"),
        Paragraph(
            f"{c['points']:,} training and {c['points']:,} test points uniform in [0, 1]², "
            "labelled 1 inside the disk of radius 1/√(2π) centred at (0.5, 0.5), which covers "
            f"half the square, 0 outside. The {sizes} network with ReLU between its layers "
            f"trains with MSE on one-hot targets and SGD (learning rate {c['lr']:g}, momentum "
            f"{c['momentum']:g}), minibatches of {c['batch']}, {c['epochs']} epochs. Round r "
            f"draws its points and initialises the network from seed r ({c['seed']}..{last}); "
            f"training took {s['seconds']:.2f} s a round on average."
            + (
                f" `python minidl/test.py` is the round of seed {disk.SEED}, printed."
                if c["seed"] <= disk.SEED <= last
                else ""
            )
        ),
        errors,
        per_round,
    ]
    if figure:
        first = study.rounds[0]
        blocks.append(
            Figure(
                figure,
                f"Left: the training loss of every round (thin) and their mean. Right: the "
                f"classes predicted by the network of seed {first['seed']} (test error "
                f"{percent(first['test_error'])} %), the true circle and the misclassified "
                "test points.",
            )
        )
    return blocks


def _speed(study: Study) -> list:
    ms, timing = study.speed, study.config["timing"]
    floor, mine = ms[speed.FLOOR], ms[speed.MINIDL]
    table = Table(
        [
            Column("implementation", lambda r: r, "left"),
            Column("ms / epoch", lambda r: f"{ms[r]:.3f}"),
            Column("× floor", lambda r: f"{ms[r] / floor:.2f}"),
            Column("× minidl", lambda r: f"{ms[r] / mine:.2f}"),
        ],
        list(ms),
        caption="One epoch of the assignment's network, three ways.",
    )
    return [
        Heading("Speed"),
        Paragraph(
            f"One epoch ({disk.POINTS:,} points in minibatches of {disk.BATCH}, MSE, SGD with "
            "momentum) of the same network three ways: minidl; `torch.nn` with autograd and "
            "`torch.optim.SGD`; and the floor, the fastest raw-tensor loop we could write "
            "(preallocated buffers, `out=` kernels, in-place updates, one flat parameter "
            f"buffer). The best of {timing['repeats']} timings of {timing['epochs']} epochs "
            f"each, after {timing['warmup']} epochs of warm-up, in CPU time of the one thread "
            "they run on (which other processes do not inflate), the three taking turns in "
            "a rotating order. minidl keeps its parameters in one buffer too, and its hot "
            "path allocates little (`Linear` checks shapes only when its product fails)."
        ),
        table,
    ]


def conclusions(study: Study) -> list[str]:
    """Sentences that the numbers of `study` support, each with its numbers."""
    s, n = study.summary(), len(study.rounds)
    under = sum(r["test_error"] <= GOAL for r in study.rounds)
    lines = [
        f"The assignment's network trains to {percent(s['test_error_mean'], s['test_error_std'])}"
        f" % test error over {n} round{'s' if n != 1 else ''} ({percent(s['test_error_min'])} "
        f"to {percent(s['test_error_max'])} %), at or under {100 * GOAL:g} % in {under} of {n}."
    ]
    tensors = sum(r["tensors"] for r in study.gradients)
    values = sum(r["values"] for r in study.gradients)
    bad = [r["module"] for r in study.gradients if not r["ok"]]
    worst = max(r["max_rel_error"] for r in study.gradients)
    if bad:
        lines.append(f"The gradient check fails for {', '.join(bad)}.")
    else:
        lines.append(
            f"Every gradient checked agrees with its finite difference: {tensors} tensors, "
            f"{values:,} values, the largest relative error {worst:.1e}."
        )
    if study.speed is not None:
        ms = study.speed
        mine = ms[speed.MINIDL]
        lines.append(
            f"An epoch takes {mine:.3f} ms in minidl: {ms[speed.TORCH_NN] / mine:.2f} times "
            f"faster than `torch.nn` + autograd, {mine / ms[speed.FLOOR]:.2f} times the "
            "hand-fused floor."
        )
    return lines
