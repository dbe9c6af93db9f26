"""One run, step by step: compile, setup, code, value, introspection, a check's probe; outcomes become data.

A run with a check ends by capturing, as data, the names the check reads (after the probe, if any, has
bound what it read from the learner's objects). The check itself runs in a second request, ``run_verdict``,
in a fresh child where no learner code ran.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import math
import signal
import time
import types
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import CodeType, TracebackType
from typing import Any, NoReturn

import numpy
import torch

from sandbox import evidence, figures
from sandbox.bounds import (
    GRAPH_TEXT_CHARS,
    MAX_WARNINGS,
    MESSAGE_CHARS,
    MESSAGE_ID,
    PARAM_NAME_MAX,
    PARAM_TEXT_MAX,
    PARAMS_MAX,
    WARNING_CHARS,
    shorten,
)
from sandbox.check_helpers import CHECK_HELPERS, watch_optimizers
from sandbox.graph_text import render_graph
from sandbox.introspect import (
    GRAPH_CUT_NOTE,
    build_graph,
    choose_graph_root,
    describe_modules,
    describe_tensors,
    summarised_printing,
)
from sandbox.policy.errors import JOURNAL, SNIPPET_FILENAME, OutputLimitReached, PolicyDenied
from sandbox.policy.namespace import ImportHook, OutputSink, Printer, build_globals
from sandbox.policy.transformer import VALUE_NAME, CompileRefused, compile_restricted_snippet
from sandbox.reprs import bounded_repr
from sandbox.result import Cell, CheckResult, JsonScalar, RunError, RunLimits, RunRequest, RunResult, Status
from sandbox.suggest import name_error_suggestion

SETUP_FILENAME = "<setup>"
CHECK_FILENAME = "<check>"
PROBE_FILENAME = "<probe>"
MESSAGE_LIMIT = MESSAGE_CHARS
_OOM_MARKERS = ("can't allocate memory", "DefaultCPUAllocator")


@dataclass
class _Outcome:
    """How the learner's part of the run ended, before the check."""

    status: Status = Status.OK
    error: RunError | None = None
    value: str | None = None
    warnings: list[str] = field(default_factory=list)


class _Failed(Exception):
    """A step failed before learner code ran; carries the finished result."""

    def __init__(self, result: RunResult) -> None:
        super().__init__(result.status.value)
        self.result = result


def output_limit_message(limits: RunLimits) -> str:
    """Say that the output limit was reached, naming it."""
    size = limits.output_bytes
    text = f"{size // 1024} KiB" if size % 1024 == 0 else f"{size} bytes"
    return f"Output limit of {text} reached"


def run(
    request: RunRequest,
    builtins_table: dict[str, Any],
    import_hook: ImportHook,
    sink: OutputSink,
    limits: RunLimits,
    *,
    learner_code_starts: Callable[[], None],
    reseed: Callable[[int], None],
    seed: int,
    send_evidence: Callable[[bytes], None],
) -> RunResult:
    """Run one request to completion and return its result (``stdout`` left empty).

    With a check, the names it reads go to ``send_evidence`` as data once the probe has run; the result
    carries a check only when the probe failed it.
    """
    if request.evidence is not None:
        return run_verdict(request, builtins_table, import_hook)
    try:
        setup_code = _compile(request.setup, SETUP_FILENAME, setup=True) if request.setup else None
        code = _compile(request.code, SNIPPET_FILENAME, setup=False)
    except _Failed as failed:
        return failed.result
    watch_optimizers()
    namespace = build_globals(builtins_table, import_hook, None)
    lesson_helpers: dict[str, Any] = {}
    if setup_code is not None:
        before = set(namespace)
        problem = _run_setup(setup_code, namespace)
        if problem is not None:
            return problem
        lesson_helpers = _helpers_defined(namespace, before)
    learner_code_starts()
    if request.cells:
        problem = replay(request.cells, namespace, limits, reseed)
        if problem is not None:
            return problem
    reseed(seed)
    namespace["_print_"] = lambda _getattr: Printer(sink)
    outcome = _Outcome()
    value: Any = None
    cpu_started = time.process_time()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(_SinkWriter(sink)), contextlib.redirect_stderr(io.StringIO()):
            try:
                exec(code, namespace)
                has_value = VALUE_NAME in namespace
                value = namespace.pop(VALUE_NAME, None)
                if value is not None:
                    with summarised_printing():
                        outcome.value = bounded_repr(value)
            except BaseException as exc:
                has_value = False
                _classify(exc, limits, outcome)
        outcome.warnings = _format_warnings(caught)
    cpu_ms = round((time.process_time() - cpu_started) * 1000, 3)
    images, notes = figures.collect()
    outcome.warnings.extend(notes)
    _apply_journal(outcome, limits)
    result = _describe(namespace, value, has_value, outcome).with_changes(cpu_ms=cpu_ms, figures=images)
    if outcome.status is Status.OK and request.check:
        scope = check_scope(namespace, lesson_helpers)
        if request.probe:
            for name in evidence.names_bound_by(request.probe) - _PROVIDED - set(lesson_helpers):
                scope.pop(name, None)
            probed = run_trusted(request.probe, scope, PROBE_FILENAME)
            if not probed.passed:
                result = result.with_changes(check=probed)
        if result.check is None:
            send_evidence(
                evidence.capture(
                    scope, evidence.names_read_by(request.check) - _PROVIDED - set(lesson_helpers)
                )
            )
        if JOURNAL.denial is not None:
            result = result.with_changes(status=Status.DENIED, error=_denial_error())
    return result


def run_verdict(request: RunRequest, builtins_table: dict[str, Any], import_hook: ImportHook) -> RunResult:
    """Decide a check where no learner code ran: the lesson's setup, then the learner's names as data.

    The result carries only the check's outcome. Evidence that cannot be read fails the check.
    """
    assert request.check is not None and request.evidence is not None
    namespace = build_globals(builtins_table, import_hook, None)
    lesson_helpers: dict[str, Any] = {}
    if request.setup:
        try:
            setup_code = _compile(request.setup, SETUP_FILENAME, setup=True)
        except _Failed as failed:
            return failed.result
        before = set(namespace)
        problem = _run_setup(setup_code, namespace)
        if problem is not None:
            return problem
        lesson_helpers = _helpers_defined(namespace, before)
    try:
        names = evidence.restore(request.evidence)
    except (evidence.EvidenceError, TypeError, ValueError, RuntimeError, OverflowError) as exc:  # forged data
        return RunResult(status=Status.OK, check=CheckResult(passed=False, message=f"check crashed: {exc}"))
    namespace.update(names)
    return RunResult(status=Status.OK, check=run_check(request.check, namespace, lesson_helpers))


def _helpers_defined(namespace: dict[str, Any], before: set[str]) -> dict[str, Any]:
    return {
        name: value
        for name, value in namespace.items()
        if name not in before and isinstance(value, types.FunctionType | type)
    }


def replay(
    cells: Sequence[Cell], namespace: dict[str, Any], limits: RunLimits, reseed: Callable[[int], None]
) -> RunResult | None:
    """Run a notebook's earlier cells silently, each with its seed; return a failure if one breaks.

    Their output is discarded (``_print_`` writes nowhere yet, stdout goes nowhere). Replay stops once it
    has used the replay budget of CPU time.
    """
    over_budget = f"replaying took more than the budget of {limits.replay_s:g} s"
    started = time.process_time()
    with _replay_alarm(limits.replay_s):
        for number, cell in enumerate(cells, start=1):
            try:
                code = compile_restricted_snippet(cell.code, SNIPPET_FILENAME)
            except (SyntaxError, RecursionError, MemoryError, ValueError, CompileRefused) as exc:
                return _replay_failed(number, f"{type(exc).__name__}: {exc}")
            reseed(cell.seed)
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                with contextlib.redirect_stderr(io.StringIO()):
                    try:
                        exec(code, namespace)
                    except _ReplayOverrun:
                        return _replay_failed(number, over_budget)
                    except BaseException as exc:
                        JOURNAL.reset_signals()
                        return _replay_failed(number, f"{type(exc).__name__}: {_message(exc)}")
            namespace.pop(VALUE_NAME, None)
            if time.process_time() - started > limits.replay_s:
                return _replay_failed(number, over_budget)
    figures.discard()
    return None


class _ReplayOverrun(BaseException):
    """Raised in a replayed cell once replaying has used its CPU budget."""


def _raise_overrun(signum: int, frame: Any) -> NoReturn:
    raise _ReplayOverrun


@contextlib.contextmanager
def _replay_alarm(budget_s: float) -> Iterator[None]:
    """Interrupt a replayed cell that runs past the replay budget of CPU time.

    Without it a cell that replays slower than it first ran (it reads the clock, say) would use the new
    cell's time limit too and be reported as the new cell's timeout instead of naming the cell.
    """
    previous = signal.signal(signal.SIGPROF, _raise_overrun)
    signal.setitimer(signal.ITIMER_PROF, max(budget_s, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _replay_failed(number: int, detail: str) -> RunResult:
    message = f"cell {number} of your notebook failed when it was run again: {detail}"
    return RunResult(
        status=Status.ERROR, error=RunError(type="NotebookError", message=message), failed_cell=number
    )


def _compile(source: str, filename: str, *, setup: bool) -> CodeType:
    try:
        return compile_restricted_snippet(source, filename)
    except SyntaxError as exc:
        error = RunError(type=type(exc).__name__, message=exc.msg or str(exc), line=exc.lineno)
        status = Status.SYNTAX
    except (RecursionError, MemoryError):
        error = RunError(type="SyntaxError", message="the code is nested too deeply to compile")
        status = Status.SYNTAX
    except ValueError as exc:
        error = RunError(type="SyntaxError", message=str(exc))
        status = Status.SYNTAX
    except CompileRefused as exc:
        error = RunError(type="PolicyError", message=exc.refusal.message, line=exc.refusal.line)
        status = Status.DENIED
    if setup:
        message = f"the lesson's setup code failed: {error.type}: {error.message} (line {error.line})"
        raise _Failed(RunResult(status=Status.INTERNAL, error=RunError(type="internal", message=message)))
    raise _Failed(RunResult(status=status, error=error))


def _run_setup(code: CodeType, namespace: dict[str, Any]) -> RunResult | None:
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        try:
            exec(code, namespace)
        except BaseException as exc:
            message = f"the lesson's setup code failed: {type(exc).__name__}: {_message(exc)}"
            return RunResult(status=Status.INTERNAL, error=RunError(type="internal", message=message))
    return None


def _classify(exc: BaseException, limits: RunLimits, outcome: _Outcome) -> None:
    if isinstance(exc, PolicyDenied | OutputLimitReached):
        return  # the journal already knows, whatever the learner caught
    if isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError) and any(marker in str(exc) for marker in _OOM_MARKERS)
    ):
        outcome.status = Status.MEMORY
        outcome.error = RunError(type="memory", message=f"Memory limit of {limits.memory_mib} MiB reached")
        return
    outcome.status = Status.ERROR
    message = _message(exc)
    suggestion = name_error_suggestion(exc)
    if suggestion is not None:
        message += f". Did you mean: '{suggestion}'?"
    outcome.error = RunError(type=type(exc).__name__, message=message, line=snippet_line(exc.__traceback__))


def _message(exc: BaseException) -> str:
    try:
        if isinstance(exc, SystemExit):
            if exc.code is None:
                return "the code called exit()"
            return f"the code called exit({shorten(repr(exc.code), MESSAGE_LIMIT - 30)})"
        return shorten(str(exc), MESSAGE_LIMIT)
    except BaseException:
        return "(the exception could not be shown)"


def snippet_line(tb: TracebackType | None) -> int | None:
    """Return the learner's line where an exception was raised, from its traceback."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == SNIPPET_FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _apply_journal(outcome: _Outcome, limits: RunLimits) -> None:
    if JOURNAL.denial is not None:
        outcome.status, outcome.error = Status.DENIED, _denial_error()
    elif JOURNAL.output_exceeded:
        outcome.status = Status.OUTPUT_LIMIT
        outcome.error = RunError(type="output_limit", message=output_limit_message(limits))


def _denial_error() -> RunError:
    return RunError(type="PolicyError", message=JOURNAL.denial or "refused", line=JOURNAL.denial_line)


def _format_warnings(caught: list[warnings.WarningMessage] | None) -> list[str]:
    seen: list[str] = []
    for item in caught or []:
        text = shorten(f"{item.category.__name__}: {item.message}", WARNING_CHARS)
        if text not in seen:
            seen.append(text)
        if len(seen) >= MAX_WARNINGS:
            break
    return seen


def _describe(namespace: dict[str, Any], value: Any, has_value: bool, outcome: _Outcome) -> RunResult:
    """Describe the run's tensors, modules and graph; each part is left out if learner code breaks it.

    Describing may run learner code (a module's own ``named_modules``, say), which may raise anything,
    ``SystemExit`` included: the run is still reported, with a warning instead of that part.
    """
    result = RunResult(status=outcome.status, value=outcome.value, error=outcome.error)
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = result.with_changes(tensors=describe_tensors(namespace))
        except BaseException as exc:
            notes.append(_describe_note("tensors", exc))
        try:
            result = result.with_changes(modules=describe_modules(namespace))
        except BaseException as exc:
            notes.append(_describe_note("modules", exc))
        try:
            chosen = choose_graph_root(namespace, value, has_value)
            if chosen is not None:
                graph, cut = build_graph(chosen[0], chosen[1], namespace)
                note = f"\n{GRAPH_CUT_NOTE}" if cut else ""
                text = shorten(render_graph(graph), GRAPH_TEXT_CHARS - len(note)) + note
                result = result.with_changes(graph=graph, graph_text=text)
        except BaseException as exc:
            notes.append(_describe_note("autograd graph", exc))
    return result.with_changes(warnings=(*outcome.warnings, *notes))


def _describe_note(part: str, exc: BaseException) -> str:
    name = shorten(type(exc).__name__, 60)
    return f"The {part} of this run could not be listed: your code raised {name} while they were read."


_SAFE_INT = 2**53  # larger ints lose precision in JSON readers; they are sent as text


class CheckFailed(AssertionError):
    """Raised by a check's ``fail(message_id, **params)``: which lesson message answers the learner."""

    def __init__(self, message_id: str, params: dict[str, JsonScalar]) -> None:
        shown = ", ".join(f"{name}={value!r}" for name, value in params.items())
        super().__init__(f"{message_id} ({shown})" if shown else message_id)
        self.message_id = message_id
        self.params = params


def fail(message_id: str, /, **params: object) -> NoReturn:
    """Fail the check with the lesson's message ``message_id``, formatted with ``params``."""
    if not isinstance(message_id, str) or not MESSAGE_ID.fullmatch(message_id):
        raise TypeError("fail() needs a message id of lowercase letters, digits and dashes (at most 64)")
    if len(params) > PARAMS_MAX:
        raise TypeError(f"fail() takes at most {PARAMS_MAX} parameters")
    raise CheckFailed(message_id, {name: _scalar(name, value) for name, value in params.items()})


def _scalar(name: str, value: object) -> JsonScalar:
    if len(name) > PARAM_NAME_MAX:
        raise TypeError(f"fail() parameter names are at most {PARAM_NAME_MAX} characters")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < _SAFE_INT else shorten(str(value), PARAM_TEXT_MAX)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return shorten(str(value), PARAM_TEXT_MAX)
    raise TypeError(
        f"fail() parameter {name!r} is a {type(value).__name__}; pass a str, int, float, bool or None "
        "(for a tensor: .item(), or str(t.tolist()))"
    )


_BUILTIN_NAMES = frozenset(dir(builtins))
_CHECK_MODULES: dict[str, Any] = {
    "torch": torch,
    "nn": torch.nn,
    "F": torch.nn.functional,
    "optim": torch.optim,
    "np": numpy,
    "math": math,
}
"""The names every probe and check may rely on: the notebook's ready modules, as the real modules."""
_PROVIDED = frozenset({*_BUILTIN_NAMES, *CHECK_HELPERS, *_CHECK_MODULES, "fail"})
"""Names the check's own child provides: never taken from the learner's."""


def run_check(
    source: str, namespace: dict[str, Any], lesson_helpers: Mapping[str, Any] | None = None
) -> CheckResult:
    """Run trusted check code against ``namespace``; ``fail()`` or a failed assertion fails it."""
    return run_trusted(source, check_scope(namespace, lesson_helpers), CHECK_FILENAME)


def check_scope(namespace: dict[str, Any], lesson_helpers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the scope a probe or check runs in: ``namespace``'s names, then what every check relies on.

    ``lesson_helpers`` are the functions and classes the lesson's setup defined: the check gets them as
    setup left them, whatever the learner bound to those names (a ``make_batch`` that labels with the
    model's own output would grade any model).
    """
    scope = {
        name: value
        for name, value in namespace.items()
        if not (name in _BUILTIN_NAMES and callable(value))  # a learner's abs() must not answer the check's
    }
    scope.update(_CHECK_MODULES)  # the real modules, whatever the learner bound to these names
    scope.update(CHECK_HELPERS)
    scope.update(lesson_helpers or {})
    scope["__builtins__"] = builtins
    scope["fail"] = fail
    return scope


def run_trusted(source: str, scope: dict[str, Any], filename: str) -> CheckResult:
    """Run a probe or check in ``scope`` (which it may change); passed unless it failed or crashed."""
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return CheckResult(passed=False, message=f"check crashed: SyntaxError: {exc.msg} (line {exc.lineno})")
    with contextlib.ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore")
        stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        stack.enter_context(torch.inference_mode(False))
        stack.enter_context(torch.enable_grad())
        torch.autograd.set_detect_anomaly(False)
        try:
            exec(code, scope)
        except CheckFailed as exc:
            return CheckResult(
                passed=False, message=_message(exc), message_id=exc.message_id, params=exc.params
            )
        except AssertionError as exc:
            return CheckResult(passed=False, message=_message(exc) or "check failed")
        except BaseException as exc:
            return CheckResult(passed=False, message=f"check crashed: {type(exc).__name__}: {_message(exc)}")
    return CheckResult(passed=True)


class _SinkWriter(io.TextIOBase):
    """``sys.stdout`` during a run: library code that prints counts against the same limit."""

    def __init__(self, sink: OutputSink) -> None:
        self._sink = sink

    def write(self, text: str) -> int:
        """Pass ``text`` to the run's output."""
        self._sink.write(text)
        return len(text)

    def writable(self) -> bool:
        """Say that this stream accepts text."""
        return True
