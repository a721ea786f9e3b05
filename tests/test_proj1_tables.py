"""proj1.tables: every cell's formatting, the summary table and the effects' tables (one per
family), as aligned text and, through typeset, as Markdown, as exact strings."""

import pytest

import typeset
from proj1.stats import ArmSummary, EffectEstimate, Spread
from proj1.tables import (
    LEGEND,
    effects_tables,
    effects_text,
    family_title,
    interval,
    p_value,
    percent,
    points,
    summary_table,
    text,
)
from typeset import Column, Table


@pytest.mark.parametrize(
    ("spread", "cell"),
    [
        (Spread(0.1234, 0.0123, 0.1, 0.2), "12.34 ± 1.23"),
        (Spread(0.05, 0.0, 0.05, 0.05), "5.00 ± 0.00"),
        (Spread(0.05, None, 0.05, 0.05), "5.00 ± -"),  # one round: no spread
        (Spread(1.0, 0.5, 0.5, 1.5), "100.00 ± 50.00"),
        (Spread(-0.015, 0.001, -0.016, -0.014), "-1.50 ± 0.10"),
        (None, "-"),
    ],
    ids=["spread", "zero-spread", "no-spread", "hundred", "negative", "none"],
)
def test_percent(spread, cell):
    assert percent(spread) == cell


def test_points_intervals_and_p_values():
    assert (points(0.0123), points(-0.004), points(0.0), points(None)) == (
        "1.23",
        "-0.40",
        "0.00",
        "-",
    )
    assert interval(-0.034, 0.3467) == "[-3.40, 34.67]" and interval(None, None) == "-"
    assert [p_value(p) for p in (0.0215, 1.0, 1e-4, 9.99e-5, 0.0, None)] == [
        "0.0215",
        "1.0000",
        "0.0001",
        "<0.0001",
        "<0.0001",
        "-",
    ]


SUMMARY = [
    ArmSummary("cnn", 70123, 10, Spread(0.0, 0.0, 0.0, 0.0), Spread(0.1525, 0.0125, 0.14, 0.165),
               None, 1.234),
    ArmSummary("siamese_aux", 1500, 1, Spread(0.001, None, 0.001, 0.001),
               Spread(0.03, None, 0.03, 0.03), Spread(0.025, None, 0.025, 0.025), 12.0),
]  # fmt: skip


def test_summary_table():
    assert text(summary_table(SUMMARY)) == (
        "arm          params  train err %    test err %  test [min, max]  digits err %  s/round\n"
        "--------------------------------------------------------------------------------------\n"
        "cnn          70,123  0.00 ± 0.00  15.25 ± 1.25     [14.0, 16.5]             -     1.23\n"
        "siamese_aux   1,500     0.10 ± -      3.00 ± -       [3.0, 3.0]      2.50 ± -    12.00\n"
        "mean ± sample std over the rounds; digits err: the comparison of the argmax digits; "
        "s/round: wall-clock seconds of one training (a test curve included when drawn), beside "
        "the run's other workers"
    )


EFFECTS = [
    EffectEstimate("sharing, no aux, equal budget", "split", "siamese", "primary", 4,
                   Spread(0.15625, 0.1197, 0.0, 0.25), -0.034, 0.3467, 3, 0, 0.07, 0.14, 0.25,
                   0.5, 0.1904, 6, "not resolved by 4 rounds (~6 would)"),
    EffectEstimate("exact head", "siamese_aux", "siamese_exact", "secondary", 1,
                   Spread(-0.5, None, -0.5, -0.5), None, None, 0, 1, None, None, 1.0, 1.0, None,
                   None, "not resolved by 1 round"),
    EffectEstimate("swap, split", "split", "split_swap", "secondary", 10,
                   Spread(0.012, 0.004, 0.005, 0.02), 0.009, 0.015, 10, 0, 3e-6, 6e-6, 2 / 1024,
                   4 / 1024, 0.004, None, "distinguishable from 0"),
]  # fmt: skip


def test_effects_tables_one_per_family_in_the_effects_order():
    primary, secondary = effects_tables(EFFECTS)
    assert (primary.caption, secondary.caption) == (
        family_title("primary", 1),
        family_title("secondary", 2),
    )
    heads = [c.head for c in primary.columns]
    assert (
        heads
        == [c.head for c in secondary.columns]
        == [
            "effect",
            "without -> with",
            "drop (pts)",
            "95% interval",
            "wins",
            "p t",
            "p flip",
            "resolves",
            "verdict",
        ]
    )
    assert primary.cells() == [
        [
            "sharing, no aux, equal budget",
            "split -> siamese",
            "15.62 ± 11.97",
            "[-3.40, 34.67]",
            "3/4",
            "0.1400",
            "0.5000",
            "19.04",
            "not resolved by 4 rounds (~6 would)",
        ],
    ]
    assert secondary.cells()[0] == [
        "exact head",
        "siamese_aux -> siamese_exact",
        "-50.00 ± -",
        "-",
        "0/1",
        "-",
        "1.0000",
        "-",
        "not resolved by 1 round",
    ]
    assert secondary.cells()[1][4:7] == ["10/10", "<0.0001", "0.0039"]
    assert effects_tables([]) == []


def test_family_titles_name_the_family_and_holms_size():
    assert family_title("primary", 6) == (
        "primary family (sharing under both controls, the auxiliary loss for both encoders; "
        "Holm over 6 effects)"
    )
    assert family_title("secondary", 1) == "secondary family (the extras; Holm over 1 effect)"


def test_effects_text():
    assert effects_text(EFFECTS).splitlines() == [
        "primary family (sharing under both controls, the auxiliary loss for both encoders; Holm "
        "over 1 effect)",
        "effect                         without -> with      drop (pts)    95% interval  wins     "
        "p t  p flip  resolves  verdict",
        "-" * 147,
        "sharing, no aux, equal budget  split -> siamese  15.62 ± 11.97  [-3.40, 34.67]   3/4  "
        "0.1400  0.5000     19.04  not resolved by 4 rounds (~6 would)",
        "",
        "secondary family (the extras; Holm over 2 effects)",
        "effect       without -> with                drop (pts)  95% interval   wins      p t  "
        "p flip  resolves  verdict",
        "-" * 127,
        "exact head   siamese_aux -> siamese_exact   -50.00 ± -             -    0/1        -  "
        "1.0000         -  not resolved by 1 round",
        "swap, split  split -> split_swap           1.20 ± 0.40  [0.90, 1.50]  10/10  <0.0001  "
        "0.0039      0.40  distinguishable from 0",
        *LEGEND,
    ]
    assert LEGEND == (
        "drop: error without - error with, in points, mean ± std over rounds (positive: it helps)",
        "interval: 95% Student t of the mean drop, not corrected for the several effects",
        "p t: paired t-test, p flip: exact sign-flip permutation test, both Holm-adjusted within "
        "the family",
        "resolves: the smallest drop the rounds detect with 80% power at the family's Bonferroni "
        "level",
        "verdict: distinguishable from 0 when p t < 0.05; else, in parentheses, about how many "
        "rounds would detect a true drop of the size measured with 80% power, were the measured "
        "spread the true one (a rough guide: both are estimates)",
    )


def test_effects_as_markdown_through_typeset():
    (primary,) = effects_tables(EFFECTS[:1])
    assert typeset.markdown(typeset.Document("t", [primary])).split("\n")[2:] == [
        "| effect | without -> with | drop (pts) | 95% interval | wins | p t | p flip | resolves "
        "| verdict |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
        "| sharing, no aux, equal budget | split -> siamese | 15.62 ± 11.97 | [-3.40, 34.67] | "
        "3/4 | 0.1400 | 0.5000 | 19.04 | not resolved by 4 rounds (~6 would) |",
        "",
        "primary family (sharing under both controls, the auxiliary loss for both encoders; "
        "Holm over 1 effect)",
        "",
    ]


def test_text_pads_each_column_to_its_widest_cell():
    columns = [Column("name", lambda r: r[0], "left"), Column("n", lambda r: r[1])]
    table = Table(columns, [("a", "1"), ("bbb", "22")], "a note")
    assert text(table) == "name   n\n--------\na      1\nbbb   22\na note"
    assert text(table, caption=False) == "name   n\n--------\na      1\nbbb   22"
    right = Table([Column("x", lambda r: r[0]), Column("y", lambda r: r[1], "left")],
                  [("1", "long"), ("22", "")])  # fmt: skip
    assert text(right) == " x  y\n--------\n 1  long\n22"  # no trailing spaces
