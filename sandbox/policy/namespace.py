"""The globals learner code runs with: safe builtins, the guards, the import hook and the print collector."""

from __future__ import annotations

import builtins
import io
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence

from sandbox.policy import guards, identity, values
from sandbox.policy.errors import JOURNAL, OutputLimitReached, deny
from sandbox.policy.imports import FUTURE_FEATURES, import_refusal
from sandbox.policy.transformer import DUNDER_GUARD, INIT_GUARD, VET_GUARD, WITH_GUARD
from sandbox.surface.names import name_tuple
from sandbox.surface.proxy import ModuleProxy, namespace

_PLAIN_BUILTINS = name_tuple(
    """
    len range enumerate zip map filter sum abs round sorted reversed list dict set frozenset
    tuple str int float bool complex bytes bytearray isinstance issubclass any all divmod pow
    repr format hex oct bin chr ord slice object property staticmethod classmethod super callable
    ascii NotImplemented Ellipsis __build_class__
    """
)
_EXCEPTIONS = name_tuple(
    """
    BaseException Exception ArithmeticError AssertionError AttributeError EOFError FloatingPointError
    GeneratorExit ImportError IndexError KeyError KeyboardInterrupt LookupError MemoryError
    ModuleNotFoundError NameError NotImplementedError OverflowError RecursionError RuntimeError
    StopIteration StopAsyncIteration SystemExit TypeError UnboundLocalError UnicodeError ValueError
    ZeroDivisionError Warning UserWarning DeprecationWarning RuntimeWarning FutureWarning
    """
)
_WITHHELD = {
    "open": "the sandbox has no files",
    "input": "nobody is at the keyboard",
    "breakpoint": "there is no debugger",
    "help": "it reads documentation files",
    "globals": "it exposes the sandbox's namespace",
    "locals": "it exposes the sandbox's namespace",
    "vars": "it exposes objects' internals",
    "memoryview": "it exposes raw memory",
    "compile": "it runs code outside the policy",
}


def _withheld(name: str, why: str) -> Callable[..., NoReturn]:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        deny(f"{name}() is not available here: {why}")

    refuse.__name__ = refuse.__qualname__ = name
    return refuse


def _exit(code: object = None) -> NoReturn:
    raise SystemExit(code)


def _as_builtin(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Show a guarded replacement under the builtin's name (``print(max)``)."""
    func.__name__ = func.__qualname__ = name
    return func


def build_builtins() -> dict[str, Any]:
    """Build the learner's ``__builtins__``: the safe whitelist plus guarded replacements."""
    table: dict[str, Any] = {name: getattr(builtins, name) for name in _PLAIN_BUILTINS + _EXCEPTIONS}
    table.update({"None": None, "True": True, "False": False})
    table.update({name: _withheld(name, why) for name, why in _WITHHELD.items()})
    table.update(
        {
            "getattr": guards.guarded_getattr,
            "hasattr": guards.guarded_hasattr,
            "setattr": guards.guarded_setattr,
            "delattr": guards.guarded_delattr,
            "type": values.learner_type,
            "dir": guards.guarded_dir,
            "iter": _as_builtin("iter", values.learner_iter),
            "next": _as_builtin("next", values.learner_next),
            "max": _as_builtin("max", values.learner_max),
            "min": _as_builtin("min", values.learner_min),
            "id": _as_builtin("id", identity.learner_id),
            "hash": _as_builtin("hash", identity.learner_hash),
            "exit": _exit,
            "quit": _exit,
        }
    )
    return table


READY_NAMES = {
    "torch": "torch",
    "nn": "torch.nn",
    "F": "torch.nn.functional",
    "optim": "torch.optim",
    "np": "numpy",
}
"""Bound in every run, as after a notebook's first import cell."""


class ImportHook:
    """The learner's ``__import__``: allow-listed modules come back as their proxies."""

    def __init__(self, proxies: Mapping[str, ModuleProxy]) -> None:
        self.proxies = proxies
        self.ready = {name: proxies[module] for name, module in READY_NAMES.items()}
        self.future = namespace("__future__", {name: None for name in FUTURE_FEATURES}, "unknown feature")

    def __call__(
        self,
        name: str,
        globals: object = None,
        locals: object = None,
        fromlist: tuple[str, ...] | list[str] | None = (),
        level: int = 0,
    ) -> ModuleProxy:
        """Import ``name`` for learner code."""
        if isinstance(fromlist, list):
            # Only PyImport_Import (C code inside torch/numpy importing its own parts lazily) passes a
            # list; learner code's import statements pass a tuple or None. C callers ignore the return
            # value and read sys.modules, so nothing reaches learner code.
            return builtins.__import__(name, None, None, fromlist, level)  # type: ignore[return-value]
        if name == "__future__" and not level:
            return self.future
        refusal = import_refusal(name, level)
        if refusal:
            deny(refusal)
        if name.split(".", maxsplit=1)[0] not in self.proxies or (fromlist and name not in self.proxies):
            deny(f"import of '{name}' is not available here: this sandbox was started without it")
        if fromlist:
            proxy = self.proxies[name]
            for item in fromlist:
                try:
                    getattr(proxy, item)
                except AttributeError:
                    raise ImportError(f"cannot import name '{item}' from '{name}'") from None
            return proxy
        return self.proxies[name.split(".", maxsplit=1)[0]]


class OutputSink:
    """Count printed bytes, pass text to ``emit`` and stop at the output limit."""

    def __init__(self, emit: Callable[[str], None], limit_bytes: int) -> None:
        self.emit = emit
        self.limit = limit_bytes
        self.used = 0
        self.full = False
        self.last_char = "\n"

    def write(self, text: str) -> int:
        """Emit ``text`` if it fits; emit what fits and raise OutputLimitReached if it does not."""
        if self.full:
            raise OutputLimitReached("output limit reached")
        if not text:
            return 0
        data = text.encode("utf-8", "replace")
        if self.used + len(data) <= self.limit:
            self.used += len(data)
            self.emit(text)
            self.last_char = text[-1]
            return len(text)
        room = self.limit - self.used
        head = data[:room].decode("utf-8", "ignore")
        if head:
            self.emit(head)
            self.last_char = head[-1]
        self.used = self.limit
        self.full = True
        JOURNAL.output_exceeded = True
        raise OutputLimitReached("output limit reached")

    def flush(self) -> None:
        """Do nothing: text is emitted as it is written."""


class Printer:
    """What RestrictedPython's ``_print_`` returns: ``print`` for one scope, writing to the sink."""

    def __init__(self, sink: OutputSink | None) -> None:
        self.sink = sink

    def _call_print(
        self,
        *objects: Any,
        sep: str | None = " ",
        end: str | None = "\n",
        file: Any = None,
        flush: bool = False,
    ) -> None:
        buffer = io.StringIO()
        print(*objects, sep=sep, end=end, file=buffer)
        if file is not None:
            guards.guarded_getattr(file, "write")(buffer.getvalue())
        elif self.sink is not None:
            self.sink.write(buffer.getvalue())

    def __call__(self) -> str:
        """Return the text RestrictedPython's ``printed`` name would read (always empty here)."""
        return ""


def build_globals(
    builtins_table: dict[str, Any], import_hook: ImportHook, sink: OutputSink | None
) -> dict[str, Any]:
    """Build a fresh global namespace for one run (``sink`` None discards printed text)."""
    table = dict(builtins_table)
    table["__import__"] = import_hook
    return {
        **import_hook.ready,
        "__builtins__": table,
        "__name__": "__main__",
        "__metaclass__": guards.build_class,
        "_getattr_": guards.guarded_getattr,
        "_getitem_": guards.guarded_getitem,
        "_getiter_": values.guarded_iter,
        "_write_": guards.guarded_write,
        "_inplacevar_": guards.inplace_var,
        "_apply_": guards.guarded_apply,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_print_": lambda _getattr: Printer(sink),
        INIT_GUARD: guards.init_of,
        WITH_GUARD: values.VettedContext,
        VET_GUARD: values.vet_exception,
        DUNDER_GUARD: guards.read_dunder,
    }
