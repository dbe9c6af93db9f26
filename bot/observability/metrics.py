"""The Prometheus side of the tutor: a ``CommandObserver`` that counts into a registry it is given.

The registry is built by the entry point and passed in (never prometheus-client's global default), so two
tutors in one process (tests) keep separate counts.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram

from bot.core.observer import Outcome
from sandbox.local import PoolStats
from sandbox.metrics import PoolCollector

COMMAND_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
RUN_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
OUTCOMES: tuple[Outcome, ...] = ("ok", "user_error", "rate_limited", "error")


class PrometheusObserver:
    """Count commands by name and outcome, runs by status, and their latencies."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._commands = Counter(
            "tutor_commands",
            "Commands handled, by command name and outcome (ok, user_error, rate_limited, error).",
            ["command", "outcome"],
            registry=registry,
        )
        self._command_seconds = Histogram(
            "tutor_command_duration_seconds",
            "Time to answer a command, runs included.",
            buckets=COMMAND_BUCKETS_S,
            registry=registry,
        )
        self._runs = Counter(
            "tutor_runs",
            "Sandbox runs, by result status (busy: refused unrun because every runner was full).",
            ["status"],
            registry=registry,
        )
        self._run_seconds = Histogram(
            "tutor_run_duration_seconds",
            "Time from asking the sandbox for a run to its result, as the bot sees it.",
            buckets=RUN_BUCKETS_S,
            registry=registry,
        )

    def command_done(self, name: str, outcome: Outcome, seconds: float) -> None:
        """Count one command."""
        self._commands.labels(name, outcome).inc()
        self._command_seconds.observe(seconds)

    def run_done(self, status: str, seconds: float) -> None:
        """Count one sandbox run."""
        self._runs.labels(status).inc()
        self._run_seconds.observe(seconds)


def watch_pool(registry: CollectorRegistry, stats: Callable[[], PoolStats]) -> None:
    """Expose the embedded sandbox pool's gauges (``tutor_sandbox_*``), read at every scrape."""
    registry.register(PoolCollector(stats, prefix="tutor_sandbox"))
