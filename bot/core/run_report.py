"""What a run's report shows, whatever the front end: each thing said once."""

from __future__ import annotations

from sandbox.result import RunError, RunResult, Status

LIMIT_STATUSES = frozenset({Status.TIMEOUT, Status.MEMORY, Status.OUTPUT_LIMIT})


def error_to_show(result: RunResult) -> RunError | None:
    """Return the error a report shows, or None.

    A limit's message already ends the run's output (the sandbox writes it there) and its headline says
    which limit it was, so the report does not say it a third time.
    """
    error = result.error
    if error is None:
        return None
    if result.status in LIMIT_STATUSES and result.stdout.rstrip("\n").endswith(error.message):
        return None
    return error
