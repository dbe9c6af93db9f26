"""Counters of the sandbox service, written in the Prometheus text exposition format (no dependency)."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field

from sandbox.local import PoolStats
from sandbox.result import Status

LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass
class ServiceMetrics:
    """What the service counts; ``render`` adds the pool's live gauges."""

    runs: Counter[str] = field(default_factory=Counter)
    busy_rejections: int = 0
    bad_requests: int = 0
    replays: int = 0
    bucket_counts: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BUCKETS_S))
    latency_sum_s: float = 0.0
    latency_count: int = 0

    def observe(self, status: Status, seconds: float) -> None:
        """Count one finished run and its latency."""
        self.runs[status.value] += 1
        self.latency_sum_s += seconds
        self.latency_count += 1
        index = bisect.bisect_left(LATENCY_BUCKETS_S, seconds)
        if index < len(self.bucket_counts):
            self.bucket_counts[index] += 1

    def render(self, pool: PoolStats | None) -> str:
        """Return the metrics page."""
        lines: list[str] = []

        def family(name: str, kind: str, help_text: str) -> None:
            lines.append(f"# HELP {name} {help_text}")
            lines.append(f"# TYPE {name} {kind}")

        family("sandbox_runs_total", "counter", "Runs finished, by result status.")
        for status in Status:
            lines.append(f'sandbox_runs_total{{status="{status.value}"}} {self.runs.get(status.value, 0)}')
        family("sandbox_run_duration_seconds", "histogram", "Time from accepting a run to its result.")
        cumulative = 0
        for bound, count in zip(LATENCY_BUCKETS_S, self.bucket_counts, strict=True):
            cumulative += count
            lines.append(f'sandbox_run_duration_seconds_bucket{{le="{bound:g}"}} {cumulative}')
        lines.append(f'sandbox_run_duration_seconds_bucket{{le="+Inf"}} {self.latency_count}')
        lines.append(f"sandbox_run_duration_seconds_sum {self.latency_sum_s:.6f}")
        lines.append(f"sandbox_run_duration_seconds_count {self.latency_count}")
        for name, help_text, value in (
            (
                "sandbox_busy_rejections_total",
                "Runs refused with 503 because the queue was full.",
                self.busy_rejections,
            ),
            ("sandbox_bad_requests_total", "Requests refused with 400.", self.bad_requests),
            ("sandbox_idempotent_replays_total", "Answers replayed for a known request_id.", self.replays),
        ):
            family(name, "counter", help_text)
            lines.append(f"{name} {value}")
        if pool is not None:
            for name, help_text, gauge in (
                ("sandbox_up", "1 while the warm parent serves.", int(pool.healthy)),
                ("sandbox_queue_depth", "Runs waiting for a free slot.", pool.waiting),
                ("sandbox_running", "Runs executing now.", pool.running),
                ("sandbox_pool_ready_children", "Isolated children waiting for a run.", pool.ready_children),
                ("sandbox_concurrency", "Runs that may execute at once.", pool.concurrency),
                ("sandbox_queue_capacity", "Runs that may wait for a slot.", pool.queue_size),
            ):
                family(name, "gauge", help_text)
                lines.append(f"{name} {gauge}")
            family("sandbox_warm_restarts_total", "counter", "Times the warm parent was restarted.")
            lines.append(f"sandbox_warm_restarts_total {pool.restarts}")
        return "\n".join(lines) + "\n"
