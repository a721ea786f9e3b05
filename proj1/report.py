"""The report of a study: question, data, architectures, what each arm is told, tuning, both
tables with their questions, effects with verdicts, and conclusions written from the numbers
alone. One `typeset.Document`, rendered to Markdown (`report.md`) and Typst (`report.pdf`)."""

from dataclasses import replace

import typeset
from proj1 import data, tables, tuning
from proj1.results import Result
from proj1.stats import ALPHA, RESOLVED, EffectEstimate
from proj1.study import ARCHITECTURES, FAMILY, TABLES, supervision
from typeset import Bullets, Column, Document, Figure, Heading, Paragraph, Table

TITLE = "Project 1: weight sharing and auxiliary losses on digit pairs"
QUESTION = (
    "Given two 14x14 MNIST digits as a 2x14x14 tensor, predict whether the first is lesser or "
    "equal to the second. How much do **weight sharing** (one digit encoder for both images) "
    "and **auxiliary losses** (also predicting each digit's class) improve the comparison?"
)
TOLD = (
    "Every arm gets the comparison target; the arms with an auxiliary loss also get the two "
    "digit classes. The swap augmentation (each pair's two images swapped with probability "
    "1/2, drawn anew for every minibatch) recomputes the swapped targets from the classes, so "
    "that a tie stays 1: it gives an arm without digit classes the tie bit (whether the two "
    "digits are equal), and shows it each image in both positions. The two come together (a "
    "swapped tie needs the tie bit to be labelled): the `swap` effects measure both."
)


def document(result: Result, figures: dict[str, str] | None = None) -> Document:
    """The report of `result`; `figures` maps a table's name to its error-distribution
    image (a path relative to the report; a table without one has no figure)."""
    figures = figures or {}
    blocks = [
        Heading("Question"),
        Paragraph(QUESTION),
        Heading("Data and protocol"),
        Paragraph(data_and_protocol(result)),
        Heading("Architectures"),
        architecture_table(result),
        Paragraph(TOLD),
        Heading("Tuning"),
        Paragraph(tuning_text()),
    ]
    for name in result.tables:
        blocks += _results(result, name, figures.get(name))
    blocks += [Heading("Conclusions"), Bullets(conclusions(result))]
    c = result.config
    subtitle = (
        f"Written by `python -m proj1` from its run: {tables.count(len(result.tables), 'table')}"
        f", {tables.count(c['rounds'], 'round')} of {tables.count(c['epochs'], 'epoch')} on "
        f"`{result.source}`."
    )
    return Document(TITLE, blocks, subtitle)


def markdown(result: Result, figures: dict[str, str] | None = None) -> str:
    """The report of `result` as Markdown (`report.md`)."""
    return typeset.markdown(document(result, figures))


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
        f"Source: {split} Each round has {c['nb']} training and {c['nb']} test pairs; "
        f"{tables.count(c['rounds'], 'round')} (seeds {seeds}) of "
        f"{tables.count(c['epochs'], 'epoch')}. "
        "Round r draws its pairs and initialises every network from seed r, so all arms are "
        "compared on the same pairs, round by round (paired). Errors are the mean ± sample "
        "standard deviation over rounds."
    )


def architecture_table(result: Result) -> Table:
    """One row per architecture trained in `result`: what it is, its parameters, whether it
    shares its encoder, its head, and whether digit classes supervise it."""
    params = {}
    for r in result.rounds:
        params.setdefault(TABLES[r.table].arm(r.arch).network, r.params)
    yes_no = {True: "yes", False: "no", None: "-"}
    columns = [
        Column("architecture", lambda a: f"`{a.name}`", "left"),
        Column("what", lambda a: a.what, "left"),
        Column("params", lambda a: f"{params[a.name]:,}"),
        Column("shared", lambda a: yes_no[a.shared], "left"),
        Column("head", lambda a: a.head, "left"),
        Column("aux loss", lambda a: yes_no[a.aux], "left"),
    ]
    return Table(columns, [a for a in ARCHITECTURES.values() if a.name in params])


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
        "was ever looked at. Each at its best: every architecture tuned alone. Controlled: "
        f"one configuration for the family ({', '.join(f'`{a}`' for a in FAMILY)}), the one "
        "with the lowest mean validation error over the six, searched without the swap (the "
        "tie bit); `split_swap` and `siamese_swap` add it back to measure it. The layout of "
        "`siamese_exact_bn` (its channels and hidden width) was chosen before, outside this "
        "budget, on extra validation rounds. The search and its outcome are in "
        "`proj1/tuned.json`; each arm's settings are in `results.json`."
    )


def _results(result: Result, table: str, figure: str | None) -> list:
    """The blocks of one table: its question, its summary with what each arm is told and its
    settings, its figure, its effects per family and their legend."""
    t = TABLES[table]
    settings = _arm_settings(result, table)
    summary = tables.summary_table(result.summaries[table])
    told = Column("told", lambda s: supervision(t.arm(s.arch), settings[s.arch]), "left")
    blocks = [
        Heading(t.title.capitalize()),
        Paragraph(f"**Question:** {t.question}"),
        replace(summary, columns=[*summary.columns, told]),
        Paragraph(_settings_text(settings)),
    ]
    if figure:
        blocks.append(Figure(figure, f"Test error per arm over the rounds, {t.title}", 0.5))
    effects = result.effects[table]
    if effects:
        blocks.append(
            Paragraph(
                "**Effects.** The test error without a choice minus the error with it, round "
                "by round; Holm's correction runs within each family."
            )
        )
        blocks += tables.effects_tables(effects)
        if table == result.tables[0]:  # said once, under the first table's effects
            blocks.append(Bullets(list(tables.LEGEND)))
    return blocks


def _arm_settings(result: Result, table: str) -> dict[str, dict]:
    """The settings of each arm of `table`, in the order the arms were trained (every round
    of an arm trains with the same: its first round's are read)."""
    settings = {}
    for r in result.table_rounds(table):
        settings.setdefault(r.arch, r.settings)
    return settings


def _settings_text(settings: dict[str, dict]) -> str:
    """'Settings: `arm`: lr 0.002, ...; ...', one configuration said once for several arms."""
    by_config = {}
    for arm, arm_settings in settings.items():
        by_config.setdefault(_settings(arm_settings), []).append(f"`{arm}`")
    parts = [f"{', '.join(arms)}: {config}" for config, arms in by_config.items()]
    return "Settings: " + "; ".join(parts) + "."


def _settings(settings: dict) -> str:
    return ", ".join(f"{k} {_value(v)}" for k, v in settings.items())


def conclusions(result: Result) -> list[str]:
    """Sentences that the numbers of `result` support, each with its numbers: per table, the
    best arm, then per family the effects told from 0 and those not resolved."""
    lines = []
    for table in result.tables:
        title = TABLES[table].title.capitalize()
        best = min(result.summaries[table], key=lambda s: s.test_error.mean)
        lines.append(
            f"{title}: the lowest mean test error is `{best.arch}`'s, "
            f"{tables.percent(best.test_error)} %."
        )
        effects = result.effects[table]
        settings = _arm_settings(result, table)
        tuned = [e for e in effects if _tuned_apart(e, settings)]
        if tuned:
            lines[-1] += (
                f" In {len(tuned)} of its {tables.count(len(effects), 'effect')} the arms' tuned "
                "settings differ too: those effects are of a design with its tuning."
            )
        for family in dict.fromkeys(e.family for e in effects):
            mine = [e for e in effects if e.family == family]
            resolved = [_resolved(e) for e in mine if e.verdict == RESOLVED]
            unresolved = [_unresolved(e) for e in mine if e.verdict != RESOLVED]
            sentences = [f"{title}, {family} family"]
            if resolved:
                sentences.append(
                    "distinguishable from 0 (paired t-test, Holm): " + "; ".join(resolved)
                )
            if unresolved:
                sentences.append("not resolved: " + "; ".join(unresolved))
            lines.append(". ".join(t[0].upper() + t[1:] for t in sentences) + ".")
    best_summary = {s.arch: s for s in result.summaries.get("best", [])}
    if "cnn" in best_summary:
        cnn = best_summary["cnn"]
        lines.append(
            f"`cnn`, a convnet of {cnn.params:,} parameters, makes "
            f"{tables.percent(cnn.test_error)} % errors here. The assignment says that a "
            "convnet of ~70,000 parameters trained 25 epochs on 1,000 pairs should achieve "
            f"~15 % error; these pairs come from `{result.source}`, and "
            "`cnn` was tuned by the same protocol as every other architecture, not separately."
        )
    return lines


def _tuned_apart(e: EffectEstimate, settings: dict[str, dict]) -> bool:
    """Whether the two arms of `e` use a setting with different values, besides the factor
    named (a setting None in either arm has no use there: the head of an exact network)."""
    before, after = settings.get(e.without, {}), settings.get(e.with_, {})
    return any(
        None not in (before.get(k), after.get(k))
        and before[k] != after[k]
        and not (k == "swap" and e.effect.startswith("swap"))
        for k in before
    )


def _value(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _resolved(e: EffectEstimate) -> str:
    """'sharing, aux, equal budget lowers the error by 0.52 points in 9 of 10 rounds'."""
    rises = e.difference.mean < 0
    way, count = ("raises", e.losses) if rises else ("lowers", e.wins)
    text = f"{e.effect} {way} the error by {abs(100 * e.difference.mean):.2f} points in {count} "
    text += f"of {tables.count(e.rounds, 'round')}"
    if e.p_flip_holm >= ALPHA:
        text += f" (the sign-flip test does not tell it from 0: Holm {_p(e.p_flip_holm)})"
    return text


def _unresolved(e: EffectEstimate) -> str:
    """'sharing, no aux, equal budget: 3.57 points, lower in 10 of 10 rounds, ~28 rounds
    would resolve it'."""
    text = f"{e.effect}: {100 * e.difference.mean:.2f} points, lower with `{e.with_}` in "
    text += f"{e.wins} of {tables.count(e.rounds, 'round')}"
    if e.p_t_holm is None:
        text += " (one round: no t-test)"
    elif e.rounds_needed is not None and e.rounds_needed > e.rounds:
        text += f" (Holm {_p(e.p_t_holm)}; ~{e.rounds_needed} rounds would resolve it)"
    else:
        text += f" (Holm {_p(e.p_t_holm)})"
    if e.p_flip_holm < ALPHA:
        text += f"; the sign-flip check would tell it from 0 (Holm {_p(e.p_flip_holm)}"
        if e.p_flip <= 2 / 2**e.rounds:
            text += f", the least it gives for {tables.count(e.rounds, 'round')} of one sign"
        text += "), but the verdict is the t-test's"
    return text


def _p(p: float) -> str:
    """'p = 0.0123' or 'p < 0.0001'."""
    cell = tables.p_value(p)
    return f"p < {cell[1:]}" if cell.startswith("<") else f"p = {cell}"
