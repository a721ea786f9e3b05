"""The report of a study: question, data, architectures, tuning, results, effects with
verdicts, and conclusions written from the numbers alone. One `typeset.Document`, rendered
to Markdown (`report.md`) and to Typst (`report.pdf`)."""

import typeset
from proj1 import tuning
from proj1.experiment import Result
from proj1.report import percent
from typeset import Bullets, Column, Document, Figure, Heading, Paragraph, Table

WHAT = {  # one line per architecture of the registry
    "mlp": "the flat 2x14x14 input through fully connected layers",
    "cnn": "the pair as a two-channel image, a convnet (the assignment's baseline)",
    "split": "two digit encoders, half width: the budget of `siamese`",
    "split_aux": "`split` + auxiliary digit-class losses",
    "split_wide": "two digit encoders of the siamese size: twice the parameters",
    "split_wide_aux": "`split_wide` + auxiliary digit-class losses",
    "siamese": "one digit encoder applied to both images (weight sharing)",
    "siamese_aux": "`siamese` + auxiliary digit-class losses",
    "siamese_exact": "`siamese_aux` with P(first <= second) computed exactly from the digits",
    "siamese_exact_bn": "`siamese_exact` with batch norm and wider convolutions",
}
QUESTIONS = {  # what each control of weight sharing asks, by the end of the effect's name
    "equal budget": "at the same parameter budget, is one shared encoder better than two "
    "narrower ones?",
    "equal encoder": "with encoders of the same size, does one encoder trained on both images "
    "beat two trained on one each?",
}


TITLE = "Project 1: weight sharing and auxiliary losses on digit pairs"


def document(result: Result, figure: str | None = "errors.png") -> Document:
    """The report of `result`; `figure` is the error-distribution image's path (None: none)."""
    blocks = [
        Heading("Question"),
        Paragraph(QUESTION),
        Heading("Data and protocol"),
        Paragraph(_data(result)),
        Heading("Architectures"),
        _architectures(result),
        Heading("Tuning"),
        Paragraph(_tuning()),
        Heading("Results"),
        _results(result),
    ]
    if figure:
        blocks.append(Figure(figure, "Test error per architecture over the rounds"))
    blocks += [
        Heading("Effects"),
        Paragraph(EFFECTS),
        _effects(result),
        Heading("Conclusions"),
        Bullets(conclusions(result)),
    ]
    c = result.config
    archs = len({r["arch"] for r in result.rounds})
    subtitle = (
        f"Written by `python -m proj1` from its run: {_count(archs, 'architecture')}, "
        f"{_count(c['rounds'], 'round')} of {_count(c['epochs'], 'epoch')} on `{result.source}`."
    )
    return Document(TITLE, blocks, subtitle)


def markdown(result: Result, figure: str | None = "errors.png") -> str:
    """The report of `result` as Markdown (`report.md`)."""
    return typeset.markdown(document(result, figure))


QUESTION = (
    "Given two 14x14 MNIST digits as a 2x14x14 tensor, predict whether the first is "
    "lesser or equal to the second. How much do **weight sharing** (one digit encoder "
    "for both images) and **auxiliary losses** (also predicting each digit's class) "
    "improve the comparison?"
)
EFFECTS = (
    "The test error without a choice minus the error with it, round by round (positive: "
    "the choice helps); a 95 % Student-t interval of the mean; a two-sided sign test, "
    "Holm-adjusted over the effects of the table."
)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _data(result: Result) -> str:
    c = result.config
    seeds = f"{c['seed']}..{c['seed'] + c['rounds'] - 1}"
    return (
        f"Source `{result.source}`; {c['nb']} training and {c['nb']} "
        f"test pairs per round, {_count(c['rounds'], 'round')} (seeds {seeds}) of "
        f"{_count(c['epochs'], 'epoch')}. "
        "Round r draws its pairs and initialises every network from seed r, so the "
        "architectures are compared on the same pairs, round by round (paired). Errors are "
        "the mean ± sample standard deviation over rounds."
    )


def _settings(settings: dict) -> str:
    return ", ".join(
        f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in settings.items()
    )


def _supervision(settings: dict) -> str:
    """What a network learns from: the comparison target, and the digit classes when it has
    an auxiliary loss (with its weight)."""
    weight = settings.get("aux_weight", 0)
    return f"target + digit classes (weight {weight:g})" if weight else "target"


def _architectures(result: Result) -> Table:
    first = {}
    for r in result.rounds:
        first.setdefault(r["arch"], r)
    return Table(
        [
            Column("arch", lambda r: f"`{r['arch']}`", "left"),
            Column("what", lambda r: WHAT.get(r["arch"], ""), "left"),
            Column("params", lambda r: f"{r['params']:,}"),
            Column("trained on", lambda r: _supervision(r.get("settings", {})), "left"),
            Column("settings", lambda r: _settings(r.get("settings", {})), "left"),
        ],
        list(first.values()),
    )


def _tuning() -> str:
    space = ", ".join(f"{k} {list(v)}" for k, v in tuning.COMMON.items())
    return (
        f"Every architecture had the same budget: {tuning.BUDGET} configurations drawn "
        f"from its search space ({space}; plus the head, softmax or raw scores, where it "
        "has a learned one, and the auxiliary weight "
        f"{list(tuning.AUX['aux_weight'])} where it has an auxiliary loss), each trained "
        f"{tuning.ROUNDS} rounds on 800 training pairs and scored on the "
        f"{tuning.VALIDATION} remaining training pairs (seeds from {tuning.SEED}); then "
        f"the {tuning.FINALISTS} best were trained {tuning.FINAL_ROUNDS} fresh rounds each "
        f"(seeds from {tuning.FINAL_SEED}) and the lowest fresh mean won. The test "
        "pairs were never looked at. The search and its outcome are in `proj1/tuned.json`."
    )


def _results(result: Result) -> Table:
    return Table(
        [
            Column("arch", lambda s: f"`{s['arch']}`", "left"),
            Column("params", lambda s: f"{s['params']:,}"),
            Column(
                "train error %",
                lambda s: percent(s["train_error_mean"], s["train_error_std"]),
            ),
            Column(
                "test error %",
                lambda s: f"**{percent(s['test_error_mean'], s['test_error_std']).strip()}**",
            ),
            Column(
                "test min–max",
                lambda s: f"{100 * s['test_error_min']:.1f}–{100 * s['test_error_max']:.1f}",
            ),
            Column("s / round", lambda s: f"{s['seconds_per_round']:.2f}"),
        ],
        result.summary,
    )


def _interval(e: dict) -> str:
    if e["ci_low"] is None:
        return "-"
    return f"[{100 * e['ci_low']:.2f}, {100 * e['ci_high']:.2f}]"


def _effects(result: Result) -> Table:
    return Table(
        [
            Column("effect", lambda e: e["effect"], "left"),
            Column("without -> with", lambda e: f"`{e['without']}` -> `{e['with']}`", "left"),
            Column("error drop (pts)", lambda e: f"{100 * e['mean']:.2f}"),
            Column("95 % interval", _interval),
            Column("wins", lambda e: f"{e['wins']}/{e['rounds']}"),
            Column("p Holm", lambda e: f"{e['p_holm']:.4f}"),
            Column("verdict", lambda e: e["verdict"], "left"),
        ],
        result.effects,
    )


def conclusions(result: Result) -> list[str]:
    """Sentences that the numbers of `result` support, each with its numbers."""
    summary = {s["arch"]: s for s in result.summary}
    lines = []
    best = min(summary.values(), key=lambda s: s["test_error_mean"])
    lines.append(
        f"The lowest mean test error is `{best['arch']}`'s, "
        f"{percent(best['test_error_mean'], best['test_error_std']).strip()} % (whether it is "
        "distinguishable from the next best is a question for the effects above)."
    )
    for e in result.effects:
        rises = e["verdict"] == "distinguishable from 0" and e["mean"] < 0
        scale = -100 if rises else 100  # a rise of the error is told as a positive number
        gain = f"{scale * e['mean']:.2f} points"
        if e["ci_low"] is not None:
            low, high = sorted((scale * e["ci_low"], scale * e["ci_high"]))
            gain += f" (95 % interval {low:.2f} to {high:.2f})"
        if e["verdict"] == "distinguishable from 0":
            way = "raises" if rises else "lowers"
            line = f"{e['effect']}: `{e['without']}` -> `{e['with']}` {way} the error by {gain}"
            line += f", in {e['wins']} of {e['rounds']} rounds; distinguishable from 0."
        else:
            line = f"{e['effect']}: `{e['without']}` -> `{e['with']}` changes the error by "
            line += f"{gain}, {e['verdict']} (Holm p = {e['p_holm']:.2f})."
        control = e["effect"].rsplit(", ", 1)[-1]
        if control in QUESTIONS:
            line += f" It asks: {QUESTIONS[control]}"
        lines.append(line)
    if "cnn" in summary:
        cnn = summary["cnn"]
        lines.append(
            f"`cnn`, a convnet of {cnn['params']:,} parameters like the assignment's, makes "
            f"{100 * cnn['test_error_mean']:.2f} % errors here; the assignment quotes ~15 % "
            f"for such a network (data source `{result.source}`, our tuned training)."
        )
    return lines
