"""notebooks/grading.py: `unavailable` blocks a package function however the code reaches it,
and restores it afterwards."""

import importlib.util
import sys
import types

import pytest
import torch
import torch.nn.functional as F
from student_harness import GRADING

_spec = importlib.util.spec_from_file_location("grading", GRADING)
grading = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(grading)
unavailable, ShortcutError = grading.unavailable, grading.ShortcutError


FAKEPKG = """
import functools


def answer(x):
    return 2 * x


class Base:
    def step(self, x):
        return x + 1

    @classmethod
    def make(cls):
        return cls()


def _decorate(f):
    @functools.wraps(f)
    def inner(*args, **kwargs):  # a closure: its code has free variables
        return f(*args, **kwargs)

    return inner


@_decorate
def wrapped(x):
    return x - 1


@_decorate
def other(x):  # the same decorator's code, over another function
    return x + 10
"""


@pytest.fixture
def package(monkeypatch):
    """A throwaway module `fakepkg` with a function, a class, a decorated and a closure function."""
    module = types.ModuleType("fakepkg")
    exec(FAKEPKG, module.__dict__)
    monkeypatch.setitem(sys.modules, "fakepkg", module)
    monkeypatch.setitem(sys.modules, "grading", grading)  # the swapped code imports it by name
    return module


def test_a_blocked_function_raises_by_every_route_and_comes_back(package):
    alias = package.answer
    stored = {"f": package.answer}

    class Mine(package.Base):
        def step(self, x):
            return super().step(x)

    with unavailable("fakepkg.answer", "fakepkg.Base.step"):
        for call in (lambda: package.answer(1), lambda: alias(1), lambda: stored["f"](1)):
            with pytest.raises(ShortcutError, match="without fakepkg.answer"):
                call()
        with pytest.raises(ShortcutError, match="without fakepkg.Base.step"):
            Mine().step(1)
    assert alias(3) == 6 and Mine().step(1) == 2


def test_closures_and_classmethods_are_blocked(package):
    with unavailable("fakepkg.wrapped", "fakepkg.Base.make"):
        with pytest.raises(ShortcutError):
            package.wrapped(5)
        with pytest.raises(ShortcutError):
            package.Base.make()
    assert package.wrapped(5) == 4 and isinstance(package.Base.make(), package.Base)


def test_a_builtin_is_rebound_in_every_module_and_restored_after_an_error():
    pool = F.avg_pool2d
    x = torch.ones(1, 1, 4, 4)
    with pytest.raises(ZeroDivisionError), unavailable("torch.nn.functional.avg_pool2d"):
        with pytest.raises(ShortcutError):
            F.avg_pool2d(x, 2)
        with pytest.raises(ShortcutError):
            torch.nn.AvgPool2d(2)(x)  # through torch's own module
        raise ZeroDivisionError
    assert F.avg_pool2d is pool and torch.equal(F.avg_pool2d(x, 2), torch.ones(1, 1, 2, 2))


def test_a_function_named_twice_is_restored(package):
    with unavailable("fakepkg.answer", "fakepkg.answer"), pytest.raises(ShortcutError):
        package.answer(2)
    assert package.answer(2) == 4


@pytest.mark.parametrize(
    "name, error", [("fakepkg.missing", AttributeError), ("nosuchmodule.f", ValueError)]
)
def test_unknown_names_are_errors(package, name, error):
    with pytest.raises(error), unavailable(name):
        pass


def test_submodules_come_before_attributes():
    # minidl re-exports the function gradcheck under the name of its module minidl.gradcheck
    assert isinstance(grading.resolve("minidl.gradcheck"), types.ModuleType)
    assert grading.resolve("minidl.gradcheck._compare") is sys.modules["minidl.gradcheck"]._compare


def test_a_builtin_kept_in_defaults_closures_lists_and_classes_is_blocked_too():
    x = torch.ones(1, 1, 4, 4)

    def by_default(images, pool=F.avg_pool2d):
        return pool(images, 2)

    def outer():
        pool = F.avg_pool2d
        return lambda images: pool(images, 2)

    by_closure, in_list = outer(), [F.avg_pool2d]

    class Holder:
        pool = F.avg_pool2d

    routes = {
        "default argument": by_default,
        "closure": by_closure,
        "list": lambda images: in_list[0](images, 2),
        "class attribute": lambda images: Holder.pool(images, 2),
        "through an instance": lambda images: Holder().pool(images, 2),
    }
    with unavailable("torch.nn.functional.avg_pool2d"):
        for route, call in routes.items():
            with pytest.raises(ShortcutError):
                call(x)
                pytest.fail(f"not blocked through a {route}")
    for call in routes.values():
        assert torch.equal(call(x), torch.ones(1, 1, 2, 2))


def test_a_copy_of_a_blocked_function_made_from_its_code_is_blocked(package):
    copy = types.FunctionType(package.answer.__code__, package.__dict__, "mine")
    with unavailable("fakepkg.answer"), pytest.raises(ShortcutError):
        copy(1)
    assert copy(3) == 6


def test_a_function_sharing_only_a_decorators_code_stays_available(package):
    # as torch's optimisers: every step is the same wrapper closing over its own function
    with unavailable("fakepkg.wrapped"):
        with pytest.raises(ShortcutError):
            package.wrapped(5)
        assert package.other(5) == 15
    assert package.wrapped(5) == 4


def test_torch_sgd_blocked_leaves_adam_available(monkeypatch):
    monkeypatch.setitem(sys.modules, "grading", grading)  # the swapped code imports it by name
    parameter = torch.nn.Parameter(torch.ones(2))
    parameter.grad = torch.ones(2)
    with unavailable("torch.optim.SGD.step"):
        with pytest.raises(ShortcutError):
            torch.optim.SGD([parameter], lr=0.1).step()
        torch.optim.Adam([parameter], lr=0.1).step()
    assert parameter.detach().lt(1).all()
