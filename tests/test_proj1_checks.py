"""proj1.checks: each bad argument named, with the value given and what is expected."""

import pytest
import torch

from proj1 import checks


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tpu", "device must be cpu, cuda or cuda:N, got 'tpu'"),
        ("", "device must be cpu, cuda or cuda:N, got ''"),
        ("CUDA", "device must be cpu, cuda or cuda:N, got 'CUDA'"),
        ("meta", "device must be cpu, cuda or cuda:N, got 'meta'"),
        (3, "device must be cpu, cuda or cuda:N, got 3"),
    ],
)
def test_devices_that_are_not_cpu_or_cuda(value, message):
    with pytest.raises(ValueError) as error:
        checks.device(value)
    assert str(error.value) == message


def test_cuda_absent_or_out_of_range(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError) as error:
        checks.device("cuda", "--device")
    assert str(error.value) == (
        "--device 'cuda' was asked for but torch.cuda.is_available() is False (no GPU that "
        "torch can use); use cpu"
    )
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    with pytest.raises(ValueError) as error:
        checks.device("cuda:7")
    assert str(error.value) == "device 'cuda:7' does not exist: torch sees 2 GPU(s), cuda:0..cuda:1"
    assert checks.device("cuda:1") == torch.device("cuda:1")
    assert checks.device("cpu") == torch.device("cpu") and checks.device("cpu:0").type == "cpu"
    assert checks.device(torch.device("cpu")).type == "cpu"


@pytest.mark.parametrize(
    ("value", "low", "high", "error", "message"),
    [
        (0, 1, None, ValueError, "n must be >= 1, got 0"),
        (11, 1, 10, ValueError, "n must be between 1 and 10, got 11"),
        (10**19, 1, 10, ValueError, "n must be between 1 and 10, got 10000000000000000000"),
        (2.0, 1, None, TypeError, "n must be an integer, got 2.0 (float)"),
        (True, 1, None, TypeError, "n must be an integer, got True (bool)"),
        ("3", 1, None, TypeError, "n must be an integer, got '3' (str)"),
    ],
)
def test_integers(value, low, high, error, message):
    with pytest.raises(error) as info:
        checks.integer("n", value, low, high)
    assert str(info.value) == message
    assert checks.integer("n", 3, 1, 3) == 3


def test_integer_bounds_can_say_why():
    with pytest.raises(ValueError) as error:
        checks.integer("--jobs", 6, 1, 2, " (the usable cores)")
    assert str(error.value) == "--jobs must be between 1 and 2 (the usable cores), got 6"


def test_seeds_stay_within_torch_s_range():
    assert checks.seeds(0, 10) == 0 and checks.seeds(2**63 - 10, 10) == 2**63 - 10
    with pytest.raises(ValueError) as error:
        checks.seeds(-1, 10, "--seed")
    assert str(error.value) == "--seed must be between 0 and 9223372036854775807, got -1"
    with pytest.raises(ValueError) as error:
        checks.seeds(2**63 - 1, 2, "--seed")
    assert str(error.value) == (
        "--seed 9223372036854775807 with 2 rounds uses seeds up to 9223372036854775808, past "
        "2**63 - 1; expected --seed <= 9223372036854775806"
    )
    with pytest.raises(ValueError, match="got 18446744073709551616"):
        checks.seeds(2**64, 1)


def test_names_refuse_unknown_repeated_or_none():
    assert checks.names("archs", ("a", "b"), ("a", "b", "c"), "architecture") == ["a", "b"]
    cases = {
        ("a", "x", "y"): "unknown architecture 'x', 'y'; choose from a, b, c",
        ("a", "b", "a", "b", "a"): "archs names 'a', 'b' more than once",
        (): "archs must name at least one architecture; choose from a, b, c",
    }
    for given, message in cases.items():
        with pytest.raises(ValueError) as error:
            checks.names("archs", given, ("a", "b", "c"), "architecture")
        assert str(error.value) == message
    with pytest.raises(TypeError, match="archs must be a list of names, got the string 'abc'"):
        checks.names("archs", "abc", ("a", "b", "c"), "architecture")


@pytest.mark.parametrize(
    ("value", "above", "message"),
    [
        (0.0, True, "lr must be a finite number > 0, got 0.0"),
        (-1, False, "lr must be a finite number >= 0, got -1"),
        (float("nan"), False, "lr must be a finite number >= 0, got nan"),
        (float("-inf"), False, "lr must be a finite number >= 0, got -inf"),
    ],
)
def test_reals(value, above, message):
    with pytest.raises(ValueError) as error:
        checks.real("lr", value, 0, above=above)
    assert str(error.value) == message
    with pytest.raises(TypeError, match=r"lr must be a number, got '1' \(str\)"):
        checks.real("lr", "1", 0)
    assert checks.real("lr", 0, 0) == 0 and checks.real("lr", 1e-3, 0, above=True) == 1e-3
