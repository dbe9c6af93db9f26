#!/usr/bin/env python3
"""The container health check (``tutor-healthcheck [URL]``): exit 0 when healthy, 1 otherwise.

With a URL, GET it and require a 2xx answer. Without one, look at the container's main command (PID 1's
command line, which also holds the command behind ``docker-init`` when compose runs with ``init: true``):
``tutor sandbox serve`` is asked ``GET /healthz`` on its own port; ``tutor serve`` (the bot) is asked
``GET /healthz`` on its metrics port (``TUTOR_METRICS__PORT``, default 9108), unless that is 0 (disabled);
any other command counts as healthy while it runs, and its restart policy handles a crash. Standard
library only: the image has no curl.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence

DEFAULT_PORT = 8060
DEFAULT_METRICS_PORT = 9108
TIMEOUT_S = 4.0


def main_command(cmdline_path: str = "/proc/1/cmdline") -> list[str]:
    """Return the argv of the container's main process."""
    with open(cmdline_path, "rb") as handle:
        raw = handle.read()
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def health_url(argv: Sequence[str], env: Mapping[str, str] | None = None) -> str | None:
    """Return the URL that tells whether this command is healthy, or None when it serves no HTTP."""
    args = list(argv)
    for index in range(len(args) - 1):
        if args[index] == "sandbox" and args[index + 1] == "serve":
            return f"http://127.0.0.1:{_port(args[index + 2 :])}/healthz"
    if "serve" in args:
        # The bot: its metrics endpoint listens on TUTOR_METRICS__PORT (host 0.0.0.0 or 127.0.0.1 both do).
        port = int((os.environ if env is None else env).get("TUTOR_METRICS__PORT") or DEFAULT_METRICS_PORT)
        return f"http://127.0.0.1:{port}/healthz" if port else None
    return None


def _port(args: Sequence[str]) -> int:
    for index, arg in enumerate(args):
        if arg == "--port" and index + 1 < len(args):
            return int(args[index + 1])
        if arg.startswith("--port="):
            return int(arg.removeprefix("--port="))
    return DEFAULT_PORT


def probe(url: str, timeout_s: float = TIMEOUT_S) -> bool:
    """Return whether ``url`` answers with a 2xx status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            status: int = response.status
    except (urllib.error.URLError, OSError, ValueError):
        return False
    return 200 <= status < 300


def main(argv: Sequence[str] | None = None) -> int:
    """Check the URL given, or the one the container's main command implies; return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    url = args[0] if args else health_url(main_command())
    if url is None:
        return 0
    healthy = probe(url)
    if not healthy:
        print(f"unhealthy: no 2xx answer from {url}", file=sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
