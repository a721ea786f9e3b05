"""python -m proj1's options, each observed where it acts, and its printed tables parsed
back and compared with the results.json it wrote."""

import contextlib
import io
import json
import re

import pytest
from idx_files import write_mnist
from proj1_records import make_round

from proj1 import cli, study, tables
from proj1.experiment import run_experiment
from proj1.results import Result

THREE = ["split", "siamese", "split_swap"]  # both tables, both families of effects
ARMS = {"best": ["split", "siamese"], "controlled": THREE}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One small real run: 2 + 3 arms x 2 rounds x 1 epoch, seeds 5 and 6, no curves."""
    out = tmp_path_factory.mktemp("cli")
    argv = ["--archs", *THREE, "--rounds", "2", "--epochs", "1", "--seed", "5", "--jobs", "1"]
    argv += ["--source", "mnist-5k", "--no-curves", "--out", str(out)]
    stdout = io.StringIO()  # capsys is function-scoped: captured by hand
    with contextlib.redirect_stdout(stdout):
        assert cli.main(argv) == 0
    return out, stdout.getvalue(), json.loads((out / "results.json").read_text())


def section(text, table):
    """The printed part of one table: from its title line to the next title or the end."""
    start = text.index(f"\n== {study.TABLES[table].title} ({table}): ")
    end = text.find("\n== ", start + 1)
    return text[start : end if end > 0 else len(text)]


def rows(text, first_header):
    """The rows of the aligned table that starts with `first_header`, split on 2+ spaces."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first_header))
    found = []
    for line in lines[start + 2 :]:
        if not line.strip() or not re.search(r"\s{2,}", line):  # a blank line or a note
            break
        found.append(re.split(r"\s{2,}", line.strip()))
    return found


def pct(spread):
    return f"{100 * spread['mean']:.2f} ± {100 * spread['std']:.2f}"


@pytest.mark.parametrize("table", ["best", "controlled"])
def test_printed_summary_is_the_saved_summary(run, table):
    _, out, doc = run
    summary = doc["summaries"][table]
    printed = rows(section(out, table), "arm")
    assert [r[0] for r in printed] == ARMS[table] == [s["arch"] for s in summary]
    for row, s in zip(printed, summary):
        assert row[1] == f"{s['params']:,}"
        assert row[2] == pct(s["train_error"]) and row[3] == pct(s["test_error"])
        test = s["test_error"]
        assert row[4] == f"[{100 * test['min']:.1f}, {100 * test['max']:.1f}]"
        assert row[5] == "-" and s["digit_error"] is None  # no digit logits
        assert row[6] == f"{s['seconds_per_round']:.2f}"


@pytest.mark.parametrize("table", ["best", "controlled"])
def test_printed_effects_are_the_saved_effects(run, table):
    _, out, doc = run
    effects = doc["effects"][table]
    expected = {"best": ["sharing, no aux, equal budget"]}
    expected["controlled"] = [*expected["best"], "swap, split"]
    assert [e["effect"] for e in effects] == expected[table]
    families = list(dict.fromkeys(e["family"] for e in effects))
    assert families == ["primary", "secondary"][: len(families)]
    printed = section(out, table)
    for family in families:  # one table per family, under its title
        mine = [e for e in effects if e["family"] == family]
        title = tables.family_title(family, len(mine))
        assert f"\n{title}\neffect  " in printed
        found = rows(printed[printed.index(title) + len(title) + 1 :], "effect")
        assert [r[0] for r in found] == [e["effect"] for e in mine]
        for row, e in zip(found, mine):
            assert row[1] == f"{e['without']} -> {e['with_']}" and row[2] == pct(e["difference"])
            assert row[3] == f"[{100 * e['ci_low']:.2f}, {100 * e['ci_high']:.2f}]"
            assert row[4] == f"{e['wins']}/2" and e["rounds"] == 2
            assert (row[5], row[6]) == (f"{e['p_t_holm']:.4f}", f"{e['p_flip_holm']:.4f}")
            assert row[7] == f"{100 * e['resolvable']:.2f}" and row[8] == e["verdict"]


def test_printed_tables_are_those_of_the_saved_records(run):
    out_dir, out, _ = run
    result = Result.load(out_dir / "results.json")  # summaries and effects computed again
    for table in ("best", "controlled"):
        printed = section(out, table)
        assert tables.text(tables.summary_table(result.summaries[table])) in printed
        assert tables.effects_text(result.effects[table]) in printed


def test_seed_rounds_and_no_curves(run):
    out_dir, out, doc = run
    assert "seeds 5..6" in out and "2 rounds x 1 epochs" in out and "data source: mnist-5k" in out
    assert [(r["table"], r["arch"], r["seed"], r["round"]) for r in doc["rounds"][:6]] == [
        *(("best", a, 5, 0) for a in ARMS["best"]),
        *(("controlled", a, 5, 0) for a in THREE),
        ("best", "split", 6, 1),
    ]
    assert all(r["history"]["test_error"] == [] for r in doc["rounds"])
    for table in ("best", "controlled"):
        assert (out_dir / f"errors_{table}.png").exists()
        assert not (out_dir / f"curves_{table}.png").exists()
    assert f"wrote {out_dir / 'results.json'}, {out_dir / 'errors_best.png'}" in out
    # the records are those of the library called with the same seed
    again = run_experiment(
        ["split_swap"], rounds=1, epochs=1, source="mnist-5k", seed=6, jobs=1,
        tables=["controlled"],
    )  # fmt: skip
    assert again.rounds[0].test_error == doc["rounds"][9]["test_error"]
    assert doc["rounds"][9]["arch"] == "split_swap" and doc["rounds"][9]["seed"] == 6


def test_options_reach_the_experiment(monkeypatch, tmp_path, capsys):
    asked = []

    def fake(*args, **kwargs):
        asked.append((args, kwargs))
        history = {"loss": [0.5], "train_error": [0.2], "test_error": [0.25]}
        record = make_round("cnn", 0, 0.25, params=5, train_error=0.2, history=history)
        config = {"arms": {"best": args[0]}, "rounds": args[1], "epochs": args[2]}
        config |= {"seed": args[6], "nb": 1000, "device": "cpu", "evaluated_on": "test"}
        return Result("mnist", config | {"validation": 0, "overrides": {}}, [record])

    monkeypatch.setattr(cli, "run_experiment", fake)
    monkeypatch.setattr(cli, "usable_cores", lambda: 4)
    write_mnist(tmp_path, n_train=2000, n_test=2000)  # checked before the (fake) training
    argv = ["--archs", "cnn", "--rounds", "3", "--epochs", "2", "--source", "mnist"]
    argv += ["--data-dir", str(tmp_path), "--seed", "9", "--threads", "3", "--jobs", "2"]
    assert cli.main(argv + ["--no-save"]) == 0
    (args, kwargs) = asked[0]
    assert args == (["cnn"], 3, 2, "mnist", str(tmp_path), "cpu", 9)
    assert kwargs["threads"] == 3 and kwargs["jobs"] == 2 and kwargs["curves"] is False
    assert kwargs["tables"] == ["best", "controlled"]  # every table by default
    assert "seeds 9..11" in capsys.readouterr().out
    cli.main(["--archs", "cnn", "--no-curves", "--out", str(tmp_path / "o1")])
    assert asked[1][1]["curves"] is False and asked[1][1]["threads"] == cli.THREADS
    cli.main(["--archs", "cnn", "--out", str(tmp_path / "o2")])
    assert asked[2][1]["curves"] is True and asked[2][0][6] == 0  # seed 0 by default
    assert (tmp_path / "o2" / "curves_best.png").exists()
    cli.main(["--tables", "controlled", "--no-save"])
    assert asked[3][0][0] is None and asked[3][1]["tables"] == ["controlled"]  # all its arms


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tables", "worst"], "unknown table 'worst'; choose from best, controlled"),
        (["--tables", "best", "--archs", "split_swap"], "unknown arm 'split_swap'; choose from "),
    ],
)
def test_unknown_tables_and_arms_of_the_tables_asked_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv + ["--no-save"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith("python -m proj1: error: " + message)


def test_no_save_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["--archs", "cnn", "--rounds", "1", "--epochs", "1", "--source", "mnist-5k"]
    assert cli.main(argv + ["--jobs", "1", "--no-save", "--out", str(out)]) == 0
    assert not out.exists()
    printed = capsys.readouterr().out
    assert "cnn" in printed and "wrote" not in printed and "effect" not in printed


def test_data_dir_holds_the_full_mnist_that_auto_picks(tmp_path, capsys):
    write_mnist(tmp_path / "MNIST" / "raw", n_train=2000, n_test=2000)  # 1,000 pairs each
    argv = ["--archs", "cnn", "--rounds", "1", "--epochs", "1", "--jobs", "1", "--no-save"]
    assert cli.main(argv + ["--data-dir", str(tmp_path)]) == 0
    assert "data source: mnist;" in capsys.readouterr().out


def test_source_mnist_without_files_exits_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--source", "mnist", "--data-dir", str(tmp_path), "--no-save"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "full MNIST not found" in err and "python -m proj1.data download" in err
