"""proj1.report: percent and both tables, as exact strings."""

import pytest

from proj1.report import LEGEND, effects_table, percent, summary_table


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((0.1234, 0.0123), "12.34 ± 1.23"),
        ((0.05, 0.0), " 5.00 ± 0.00"),  # width 5 keeps single digits aligned
        ((0.05,), " 5.00 ± -"),
        ((0.05, None), " 5.00 ± -"),
        ((1.0, 0.5), "100.00 ± 50.00"),
        ((-0.015, 0.001), "-1.50 ± 0.10"),
        ((None,), "-"),
        ((None, 0.1), "-"),
    ],
    ids=["spread", "zero-spread", "no-spread", "spread-none", "hundred", "negative", "no-mean"]
    + ["no-mean-with-spread"],
)
def test_percent(args, text):
    assert percent(*args) == text


SUMMARY = [
    {"arch": "cnn", "params": 70123, "train_error_mean": 0.0, "train_error_std": 0.0}
    | {"test_error_mean": 0.1525, "test_error_std": 0.0125, "test_error_min": 0.14}
    | {"test_error_max": 0.165, "digit_error_mean": None, "seconds_per_round": 1.234},
    {"arch": "siamese_aux", "params": 1500, "train_error_mean": 0.001, "train_error_std": None}
    | {"test_error_mean": 0.03, "test_error_std": None, "test_error_min": 0.03}
    | {"test_error_max": 0.03, "digit_error_mean": 0.025, "digit_error_std": None}
    | {"seconds_per_round": 12.0},
]


def test_summary_table():
    assert summary_table(SUMMARY) == (
        "arch         params   train err %    test err %    [min, max]  digits err %  s/round\n"
        "------------------------------------------------------------------------------------\n"
        "cnn          70,123   0.00 ± 0.00  15.25 ± 1.25  [14.0, 16.5]             -     1.23\n"
        "siamese_aux   1,500      0.10 ± -      3.00 ± -    [3.0, 3.0]      2.50 ± -    12.00"
    )


EFFECTS = [
    {"effect": "sharing, no aux", "without": "split", "with": "siamese", "rounds": 4}
    | {"mean": 0.15625, "std": 0.1197, "ci_low": -0.034, "ci_high": 0.3467, "wins": 3}
    | {"p_sign": 0.25, "p_holm": 0.5, "verdict": "not distinguishable at 4 rounds"},
    {"effect": "aux loss, split", "without": "split", "with": "split_aux", "rounds": 1}
    | {"mean": -0.5, "std": None, "ci_low": None, "ci_high": None, "wins": 0}
    | {"p_sign": 1.0, "p_holm": 0.0078125, "verdict": "distinguishable from 0"},
]


def test_effects_table():
    assert effects_table(EFFECTS) == (
        "effect              without -> with  error drop (pts)   95 % interval  wins  p sign  "
        "p Holm  verdict\n" + "-" * 124 + "\n"
        "sharing, no aux    split -> siamese     15.62 ± 11.97  [-3.40, 34.67]   3/4  0.2500  "
        "0.5000  not distinguishable at 4 rounds\n"
        "aux loss, split  split -> split_aux        -50.00 ± -               -   0/1  1.0000  "
        "0.0078  distinguishable from 0\n" + LEGEND
    )
    assert LEGEND == (
        "error drop: without - with, in points (positive: the choice helps); interval: 95 % "
        "Student t\np sign: two-sided sign test, ties dropped; p Holm: adjusted over the effects "
        "above\nverdict: distinguishable from 0 when p Holm < 0.05"
    )
