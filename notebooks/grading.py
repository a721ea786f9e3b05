"""What the exercise checks share: running your code without the package's own answer.

    from grading import unavailable

    with unavailable("minidl.fit"):
        mine = train_loop(...)  # a call of minidl.fit in here fails the check

Inside the block each named function raises `ShortcutError` (an `AssertionError`, so the check
fails as it does for a wrong answer). A Python function has its code swapped for the block's
duration, in it and in every function made from the same code object, so every way of reaching
it sees the swap: its name in the notebook, `super()`, its class, an alias, a reference stored
in an object, a copy built from its `__code__`. A built-in (`torch.nn.functional.avg_pool2d`)
cannot change its code: every reference the garbage collector can find is rebound instead, in a
module, a dict, a list, a closure cell or a function's default arguments. Everything is restored
when the block ends, by an error too. The check calls the package's function as its oracle
outside the block.
"""

import gc
import importlib
import operator
import types
from contextlib import contextmanager


class ShortcutError(AssertionError):
    """Your code called the package function that the exercise asks you to write."""


def resolve(name):
    """The object a dotted name denotes: the longest importable module prefix, then attributes.

    Modules come first, so that "minidl.gradcheck._compare" reaches the submodule even though
    the package re-exports a function of the same name.
    """
    parts = name.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for attribute in parts[k:]:
            obj = getattr(obj, attribute)
        return obj
    raise ValueError(f"unavailable({name!r}): no module in the name")


def _raiser_code(function, message):
    """Code that raises ShortcutError(message), with the free variables of `function`'s code
    (a function's closure must match its code's free variables)."""
    free = function.__code__.co_freevars
    source = "def outer():\n"
    source += "".join(f"    {v} = None\n" for v in free)
    source += "    def blocked(*args, **kwargs):\n"
    source += f"        if False:\n            {', '.join(free)}\n" if free else ""
    source += f"        raise __import__({__name__!r}).ShortcutError({message!r})\n"
    source += "    return blocked\n"
    namespace = {}
    exec(source, namespace)
    code = namespace["outer"]().__code__
    assert code.co_freevars == free, (code.co_freevars, free)
    return code


def _replace_everywhere(obj, replacement):
    """Rebind every reference to `obj` that gc finds (dict values, list items, closure cells,
    functions' default arguments) to `replacement`.

    Returns the undo as (setter, holder, key, value) tuples. Nothing here is a closure over
    `obj` (comprehensions are): the search would find its cell and rebind it.
    """
    undo = []
    for holder in gc.get_referrers(obj):
        if isinstance(holder, dict):
            owner = _class_of(holder)
            # a class's namespace goes through setattr, which clears the method cache
            setter = setattr if owner else operator.setitem
            target = owner[0] if owner else holder
            for key, value in list(holder.items()):
                if value is obj:
                    setter(target, key, replacement)
                    undo.append((setter, target, key, obj))
        elif isinstance(holder, list):
            for i, value in enumerate(holder):
                if value is obj:
                    holder[i] = replacement
                    undo.append((operator.setitem, holder, i, obj))
        elif isinstance(holder, types.CellType):
            holder.cell_contents = replacement
            undo.append((setattr, holder, "cell_contents", obj))
        elif isinstance(holder, tuple):  # a tuple of defaults: its function gets a new one
            for function in gc.get_referrers(holder):
                if isinstance(function, types.FunctionType) and function.__defaults__ is holder:
                    function.__defaults__ = _swap(holder, obj, replacement)
                    undo.append((setattr, function, "__defaults__", holder))
    return undo


def _class_of(namespace):
    """The classes whose namespace is `namespace` (none for a module's or an object's dict)."""
    return [
        t for t in gc.get_referrers(namespace) if isinstance(t, type) and t.__dict__ == namespace
    ]


def _swap(values, old, new):
    """`values` with each `old` replaced by `new`, as a tuple."""
    return tuple(new if value is old else value for value in values)


def _same_code(function):
    """Every function object that is `function` again: its code (a copy made with
    types.FunctionType) over the same closure values. Closures that only share a decorator's
    code, each over another function (torch's optimiser steps), are others."""
    code, closed_over = function.__code__, _closed_over(function)
    return [
        f
        for f in gc.get_referrers(code)
        if isinstance(f, types.FunctionType) and _closed_over(f) == closed_over
    ]


def _closed_over(function) -> tuple:
    """The identities of the values `function`'s closure cells hold (None for an empty cell)."""
    return tuple(_held(cell) for cell in function.__closure__ or ())


def _held(cell) -> int | None:
    try:
        return id(cell.cell_contents)
    except ValueError:  # an empty cell
        return None


def _blocked(message):
    def blocked(*args, **kwargs):
        raise ShortcutError(message)

    return blocked


@contextmanager
def unavailable(*names):
    """Inside the block, calling any of the named functions raises ShortcutError."""
    swapped, undo = [], []
    try:
        for name in names:
            target = resolve(name)
            target = getattr(target, "__func__", target)  # a classmethod or bound method
            message = (
                f"this check runs your code without {name}, the package's own answer: "
                "write it yourself"
            )
            if isinstance(target, types.FunctionType):
                raiser = _raiser_code(target, message)
                for function in _same_code(target):
                    swapped.append((function, function.__code__))
                    function.__code__ = raiser
            elif callable(target):
                undo += _replace_everywhere(target, _blocked(message))
            else:
                raise TypeError(f"unavailable({name!r}): {type(target).__name__} is not callable")
        yield
    finally:  # in reverse: a name given twice restores the original last
        for function, code in reversed(swapped):
            function.__code__ = code
        for setter, holder, key, value in reversed(undo):
            setter(holder, key, value)
