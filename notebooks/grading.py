"""What the exercise checks share: running your code without the package's own answer.

    from grading import unavailable

    with unavailable("minidl.fit"):
        mine = train_loop(...)  # a call of minidl.fit in here fails the check

Inside the block each named function raises `ShortcutError` (an `AssertionError`, so the check
fails as it does for a wrong answer). A Python function has its code swapped for the block's
duration, so every way of reaching it sees the swap: its name in the notebook, `super()`, its
class, an alias, a reference stored in an object. A built-in (`torch.nn.functional.avg_pool2d`)
has every module attribute that holds it rebound instead, the notebook's own namespace included
(a reference kept elsewhere escapes). Everything is restored when the block ends, by an error
too. The check calls the package's function as its oracle outside the block.
"""

import importlib
import sys
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
    """Rebind every module attribute that is `obj` to `replacement`; return how to undo it."""
    undo = []
    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for key, value in list(namespace.items()):
            if value is obj:
                namespace[key] = replacement
                undo.append((namespace, key))
    return undo


def _blocked(message):
    def blocked(*args, **kwargs):
        raise ShortcutError(message)

    return blocked


@contextmanager
def unavailable(*names):
    """Inside the block, calling any of the named functions raises ShortcutError."""
    swapped, rebound = [], []
    try:
        for name in names:
            target = resolve(name)
            target = getattr(target, "__func__", target)  # a classmethod or bound method
            message = (
                f"this check runs your code without {name}, the package's own answer: "
                "write it yourself"
            )
            if isinstance(target, types.FunctionType):
                if any(function is target for function, _ in swapped):
                    continue  # named twice (an inherited method): blocked already
                swapped.append((target, target.__code__))
                target.__code__ = _raiser_code(target, message)
            elif callable(target):
                undo = _replace_everywhere(target, _blocked(message))
                rebound += [(namespace, key, target) for namespace, key in undo]
            else:
                raise TypeError(f"unavailable({name!r}): {type(target).__name__} is not callable")
        yield
    finally:  # in reverse: a name given twice restores the original last
        for function, code in reversed(swapped):
            function.__code__ = code
        for namespace, key, target in reversed(rebound):
            namespace[key] = target
