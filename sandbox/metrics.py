"""Prometheus metrics of the sandbox service, kept in a registry of its own (never the global default).

``ServiceMetrics`` counts what the service does; ``PoolCollector`` reads a pool's live gauges at scrape
time, so the bot reuses it (with its own prefix) when it runs the embedded pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from sandbox.local import PoolStats
from sandbox.result import Status

LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class PoolCollector(Collector):
    """Expose a pool's ``PoolStats`` as gauges, read when scraped."""

    def __init__(self, stats: Callable[[], PoolStats], prefix: str = "sandbox") -> None:
        self._stats = stats
        self._prefix = prefix

    def collect(self) -> Iterator[Metric]:
        """Yield the pool's gauges and its restart counter."""
        pool, prefix = self._stats(), self._prefix
        for name, help_text, value in (
            ("up", "1 while the warm parent serves.", int(pool.healthy)),
            ("queue_depth", "Runs waiting for a free slot.", pool.waiting),
            ("running", "Runs executing now.", pool.running),
            ("pool_ready_children", "Isolated children waiting for a run.", pool.ready_children),
            ("concurrency", "Runs that may execute at once (the pool's size in slots).", pool.concurrency),
            ("queue_capacity", "Runs that may wait for a slot.", pool.queue_size),
        ):
            yield GaugeMetricFamily(f"{prefix}_{name}", help_text, value=value)
        yield CounterMetricFamily(
            f"{prefix}_warm_restarts", "Times the warm parent was restarted.", value=pool.restarts
        )


class ServiceMetrics:
    """What the service counts, registered in ``registry``; the pool's gauges too when ``stats`` is given."""

    def __init__(self, registry: CollectorRegistry, stats: Callable[[], PoolStats] | None = None) -> None:
        self.runs = Counter("sandbox_runs", "Runs finished, by result status.", ["status"], registry=registry)
        for status in Status:
            self.runs.labels(status.value)  # every status shows, at 0 until it happens
        self.duration = Histogram(
            "sandbox_run_duration_seconds",
            "Time from accepting a run to its result.",
            buckets=LATENCY_BUCKETS_S,
            registry=registry,
        )
        self.busy_rejections = Counter(
            "sandbox_busy_rejections", "Runs refused with 503 because the queue was full.", registry=registry
        )
        self.bad_requests = Counter("sandbox_bad_requests", "Requests refused with 400.", registry=registry)
        self.replays = Counter(
            "sandbox_idempotent_replays", "Answers replayed for a known request_id.", registry=registry
        )
        if stats is not None:
            registry.register(PoolCollector(stats))

    def observe(self, status: Status, seconds: float) -> None:
        """Count one finished run and its latency."""
        self.runs.labels(status.value).inc()
        self.duration.observe(seconds)
