"""An executor whose warm-up makes libseccomp unavailable: the sandbox must refuse to start (tests only)."""

from __future__ import annotations

import sys

from tests.sandbox.unrestricted_executor import execute  # noqa: F401 - the executor interface


def warm_up() -> None:
    sys.modules["pyseccomp"] = None  # type: ignore[assignment] - makes `import pyseccomp` fail
