"""The report of a study (`report.md`): question, data, architectures and what each arm is
told, tuning, both tables with their questions, effects with verdicts, and conclusions
written from the numbers alone."""

from proj1 import data, tables, tuning
from proj1.results import Result
from proj1.stats import ALPHA, POWER, RESOLVED, EffectEstimate
from proj1.study import ARCHITECTURES, FAMILY, TABLES, supervision


def markdown(result: Result, figures: dict[str, str] | None = None) -> str:
    """The report of `result` as Markdown; `figures` maps a table's name to the path of its
    error-distribution image."""
    figures = figures or {}
    parts = [
        "# Project 1: weight sharing and auxiliary losses on digit pairs",
        question(),
        data_and_protocol(result),
        "## Architectures\n\n" + tables.markdown(architecture_table(result)),
        "## Tuning\n\n" + tuning_text(),
    ]
    for name in result.tables:
        parts.append(_results(result, name, figures.get(name)))
    parts.append("## Conclusions\n\n" + "\n".join(f"* {line}" for line in conclusions(result)))
    return "\n\n".join(parts) + "\n"


def question() -> str:
    return (
        "## Question\n\n"
        "Given two 14x14 MNIST digits as a 2x14x14 tensor, predict whether the first is "
        "lesser or equal to the second. How much do **weight sharing** (one digit encoder "
        "for both images) and **auxiliary losses** (also predicting each digit's class) "
        "improve the comparison?"
    )


def data_and_protocol(result: Result) -> str:
    c = result.config
    seeds = f"{c['seed']}..{c['seed'] + c['rounds'] - 1}"
    if result.source == "mnist-5k":
        split = (
            "`mnist-5k` (5,000 MNIST digits, 500 per class) with a fixed split: the first "
            f"{data.TRAIN_POOL_PER_CLASS} digits of each class are the train pool, the other "
            f"{data.TRAIN_POOL_PER_CLASS} the test pool; training and validation pairs come "
            "from the train pool only, test pairs from the test pool only. Every round draws "
            "from the same 5,000 digits, so the spread over rounds describes that pool."
        )
    else:
        split = f"`{result.source}`, its training split for training pairs, its test split "
        split += "for test pairs."
    return (
        f"## Data and protocol\n\nSource: {split} Each round has {c['nb']} training and "
        f"{c['nb']} test pairs; {c['rounds']} rounds (seeds {seeds}) of {c['epochs']} "
        f"epoch{'s' if c['epochs'] != 1 else ''}. Round r draws its pairs and initialises "
        "every network from seed r, so all arms are compared on the same pairs, round by "
        "round (paired). Errors are the mean ± sample standard deviation over rounds."
    )


def architecture_table(result: Result) -> tables.Table:
    """One row per arm of the result: table, arm, what it is, parameters, what it is told
    and its settings."""
    rows = []
    for table in result.tables:
        first = {}
        for r in result.table_rounds(table):
            first.setdefault(r.arch, r)
        for arm, r in first.items():
            the_arm = TABLES[table].arm(arm)
            what = ARCHITECTURES[the_arm.network].what
            if the_arm.network != arm:
                what = f"`{the_arm.network}` with swap on"
            told = supervision(the_arm, r.settings)
            rows.append((table, f"`{arm}`", what, f"{r.params:,}", told, _settings(r.settings)))
    head = ("table", "arm", "what", "params", "supervision", "settings")
    return tables.Table(head, rows, left=(0, 1, 2, 4, 5))


def _settings(settings: dict) -> str:
    return ", ".join(
        f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in settings.items()
    )


def tuning_text() -> str:
    space = ", ".join(f"{k} {list(v)}" for k, v in tuning.COMMON.items())
    return (
        f"Every tuned choice had the same budget: {tuning.BUDGET} configurations drawn from a "
        f"space ({space}; plus the head, softmax or raw scores, where there is a learned one, "
        f"and the auxiliary weight {list(tuning.AUX['aux_weight'])} where there is an "
        f"auxiliary loss), each trained {tuning.ROUNDS} rounds on 800 training pairs and "
        f"scored on the {tuning.VALIDATION} remaining training pairs (seeds from "
        f"{tuning.SEED}); then the {tuning.FINALISTS} best were trained "
        f"{tuning.FINAL_ROUNDS} fresh rounds each (seeds from {tuning.FINAL_SEED}) and the "
        "lowest fresh mean won. Validation pairs come from the train pool: no test image "
        "was ever looked at. *Each at its best*: every architecture tuned alone. *Controlled*: "
        f"one configuration for the family ({', '.join(f'`{a}`' for a in FAMILY)}), the one "
        "with the lowest mean validation error over the six, searched without the swap "
        "augmentation (it gives the networks without digit classes the tie bit: whether the "
        "two digits are equal); the arms `split_swap` and `siamese_swap` add it back to "
        "measure what it gives. The search and its outcome are in `proj1/tuned.json`."
    )


def _results(result: Result, table: str, figure: str | None) -> str:
    t = TABLES[table]
    text = f"## {t.title.capitalize()}\n\n**Question:** {t.question}\n\n"
    text += tables.markdown(tables.summary_table(result.summaries[table]))
    if figure:
        text += f"\n\n![Test error per arm over the rounds, {t.title}]({figure})"
    effects = result.effects[table]
    if effects:
        text += (
            "\n\n**Effects.** The test error without a choice minus the error with it, round "
            "by round; Holm's correction runs within each family.\n\n"
        )
        text += tables.effects_markdown(effects)
    return text


def conclusions(result: Result) -> list[str]:
    """Sentences that the numbers of `result` support, each with its numbers."""
    lines = []
    for table in result.tables:
        summary = result.summaries[table]
        best = min(summary, key=lambda s: s.test_error.mean)
        lines.append(
            f"{TABLES[table].title.capitalize()}: the lowest mean test error is "
            f"`{best.arch}`'s, {tables.percent(best.test_error)} %."
        )
        lines += [
            f"{TABLES[table].title.capitalize()}, {_effect(e)}" for e in result.effects[table]
        ]
    best_summary = {s.arch: s for s in result.summaries.get("best", [])}
    if "cnn" in best_summary:
        cnn = best_summary["cnn"]
        lines.append(
            f"`cnn`, a convnet of {cnn.params:,} parameters, makes "
            f"{tables.percent(cnn.test_error)} % errors here. The assignment expects ~15 % "
            "from a convnet of ~70,000 parameters trained 25 epochs on the pairs of its "
            f"prologue's `generate_pair_sets`; these pairs come from `{result.source}`, and "
            "`cnn` was tuned like every other architecture, not on its own."
        )
    return lines


def _effect(e: EffectEstimate) -> str:
    """One sentence on one effect: its size, interval, rounds won, verdict and resolution,
    and the permutation test's word where it disagrees."""
    rises = e.verdict == RESOLVED and e.difference.mean < 0
    scale = -100 if rises else 100  # a rise of the error is told as a positive number
    gain = f"{scale * e.difference.mean:.2f} points"
    if e.ci_low is not None:
        low, high = sorted((scale * e.ci_low, scale * e.ci_high))
        gain += f" (95 % interval {low:.2f} to {high:.2f})"
    arms = f"`{e.without}` -> `{e.with_}`"
    test = "one round: no t-test" if e.p_t_holm is None else f"paired t-test, Holm {_p(e.p_t_holm)}"
    rounds = f"{e.rounds} round{'s' * (e.rounds != 1)}"
    if e.verdict == RESOLVED:
        way, count = ("raises", e.losses) if rises else ("lowers", e.wins)
        line = f"{e.effect}: {arms} {way} the error by {gain}, in {count} of {rounds}; "
        line += f"distinguishable from 0 ({test})"
    else:
        line = f"{e.effect}: {arms} changes the error by {gain} (lower with `{e.with_}` in "
        line += f"{e.wins} of {rounds}); {e.verdict} ({test})"
        if e.resolvable is not None:
            line += f"; {e.rounds} rounds resolve {100 * e.resolvable:.2f} points with "
            line += f"{POWER:.0%} power"
    flip = e.p_flip_holm < ALPHA
    if flip != (e.verdict == RESOLVED):
        line += f"; the sign-flip permutation test {'does' if flip else 'does not'} tell it "
        line += f"from 0 (Holm {_p(e.p_flip_holm)})"
    return line + "."


def _p(p: float) -> str:
    """'p = 0.0123' or 'p < 0.0001'."""
    cell = tables.p_value(p)
    return f"p < {cell[1:]}" if cell.startswith("<") else f"p = {cell}"
