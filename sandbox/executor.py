"""Run one learner snippet in the current (already isolated) process and describe what happened.

``warm_up()`` runs once in the warm parent before it forks; ``execute()`` runs in each forked child.
``run_inline()`` is for tests and debugging only: it runs the code in the calling process, with the
language policy but WITHOUT process isolation (no limits on time, memory, files or syscalls).
"""

from __future__ import annotations

import importlib
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy
import torch

from sandbox import execution, figures, verdict
from sandbox.policy import guards
from sandbox.policy.errors import JOURNAL
from sandbox.policy.identity import IDENTITY
from sandbox.policy.namespace import ImportHook, OutputSink, build_builtins
from sandbox.result import RunError, RunLimits, RunRequest, RunResult, Status
from sandbox.surface.catalog import DataLoader, build_proxies
from sandbox.surface.native_types import build_attribute_rules, install_value_rules
from sandbox.surface.plotting import artist_set, build_plotting_proxies, savefig_to_memory
from sandbox.surface.stdlib import seal_functional_enums
from sandbox.warmup_snippets import FIGURE_WARM_UP_RUNS, PRELOAD, WARM_UP_RUNS


@dataclass(frozen=True, slots=True)
class _Policy:
    builtins: dict[str, object]
    import_hook: ImportHook


_policy: _Policy | None = None
_warmed = False


def _prepare() -> _Policy:
    global _policy  # noqa: PLW0603 - built once per process, before fork when warmed up
    if _policy is None:
        torch.set_num_threads(1)
        proxies = build_proxies()
        if figures.is_ready():
            proxies.update(build_plotting_proxies())
            guards.install_method_guard("savefig", savefig_to_memory)
            guards.install_method_guard("set", artist_set)
        guards.install(build_attribute_rules(DataLoader))
        install_value_rules()
        seal_functional_enums()
        _policy = _Policy(build_builtins(), ImportHook(proxies))
    return _policy


def warm_up(*, with_figures: bool = True) -> None:
    """Load torch, the allowed modules and the policy, and run trusted snippets, before forking.

    ``with_figures=False`` leaves matplotlib out (a lean warm parent, for comparing fork costs).
    """
    global _warmed  # noqa: PLW0603 - once per process
    if _warmed:
        return
    torch.set_num_threads(1)
    for name in PRELOAD:
        importlib.import_module(name)
    if with_figures:
        figures.prepare()
    _prepare()
    for request in WARM_UP_RUNS:
        run_inline(request)
    if with_figures:
        with figures.style_kept():
            for request in FIGURE_WARM_UP_RUNS:
                run_inline(request)
        figures.forget_open_fonts()
    _warmed = True


def _nothing() -> None:
    return None


def _drop(_data: bytes) -> None:
    return None


def execute(
    request: RunRequest,
    emit: Callable[[str], None],
    learner_code_starts: Callable[[], None] = _nothing,
    send_evidence: Callable[[bytes], None] = _drop,
) -> RunResult:
    """Run ``request`` here, streaming printed text to ``emit``; the result's ``stdout`` is left empty.

    ``learner_code_starts`` is called just before the learner's code runs (after any trusted setup);
    ``send_evidence`` gets what a check's probe captured, for the check's own request.
    """
    started = time.perf_counter()
    limits = request.limits or RunLimits()
    sink = OutputSink(emit, limits.output_bytes)
    JOURNAL.reset()
    IDENTITY.reset()
    figures.CAPTURE.reset()
    try:
        policy = _prepare()
        seed = request.seed if request.seed is not None else _fresh_seed()
        result = execution.run(
            request,
            policy.builtins,
            policy.import_hook,
            sink,
            limits,
            learner_code_starts=learner_code_starts,
            reseed=_reseed,
            seed=seed,
            send_evidence=send_evidence,
        ).with_changes(seed=seed)
    except BaseException as exc:
        result = RunResult(
            status=Status.INTERNAL, error=RunError(type="internal", message=f"{type(exc).__name__}: {exc}")
        )
    finally:
        JOURNAL.reset()
    if sink.full:
        newline = "" if sink.last_char == "\n" else "\n"
        emit(f"{newline}{execution.output_limit_message(limits)}\n")
    return result.with_changes(duration_ms=round((time.perf_counter() - started) * 1000, 3))


def _fresh_seed() -> int:
    """Return a random seed: each run starts from fresh random state, as a new interpreter would."""
    return int.from_bytes(os.urandom(8), "little") & 0x7FFF_FFFF_FFFF_FFFF


def _reseed(seed: int) -> None:
    """Seed torch's, Python's and numpy's generators, so a notebook cell replays with the values it showed."""
    # The CPU generator is the only one a child can use. ``torch.manual_seed`` would also queue lazy
    # seeds for CUDA, MPS and XPU, formatting a stack trace each time (~0.2 ms, and hundreds of page
    # faults in a fresh child).
    torch.default_generator.manual_seed(seed)
    random.seed(seed)
    numpy.random.seed(seed & 0xFFFF_FFFF)


def run_inline(request: RunRequest) -> RunResult:
    """Run ``request`` in this process and collect its output (tests and debugging only: no isolation).

    A check is decided as the pool decides it, by a second request over the captured evidence.
    """
    chunks: list[str] = []
    captured: list[bytes] = []
    result = execute(request, chunks.append, send_evidence=captured.append)
    result = result.with_changes(stdout="".join(chunks))
    if not verdict.needed(request, result):
        return result
    decided = execute(verdict.request_for(request, captured[0] if captured else None), _ignore)
    return verdict.merge(result, decided)


def _ignore(_text: str) -> None:
    return None
