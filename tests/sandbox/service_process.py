"""Start real ``tutor sandbox serve`` processes on loopback ports for tests, and always stop them."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

TUTOR = str(Path(sys.executable).parent / "tutor")
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "replica-test-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServiceProcess:
    """One ``tutor sandbox serve`` in a session of its own, so that stopping it stops its whole tree."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [TUTOR, "sandbox", "serve", "--host", "127.0.0.1", "--port", str(self.port), *args]
        environment = {**os.environ, "TUTOR_SANDBOX__TOKEN": TOKEN}
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the sandbox service exited with {self.process.returncode} while starting"
                )
            with contextlib.suppress(OSError):
                if get(f"{self.url}/healthz")[0] == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError("the sandbox service did not become healthy")

    def kill(self) -> None:
        """SIGKILL the service process only, as a crash would (its warm parent notices and exits)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """Stop gracefully, then make sure nothing of its process group is left."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def runs_by_status(self) -> dict[str, float]:
        """Return ``sandbox_runs_total`` by status, from the service's own /metrics."""
        _, text = get(f"{self.url}/metrics")
        runs: dict[str, float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == "sandbox_runs_total":
                    runs[sample.labels["status"]] = sample.value
        return runs

    def runs(self) -> float:
        return sum(self.runs_by_status().values())


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode()


@contextlib.contextmanager
def services(count: int, args: Sequence[str] = ()) -> Iterator[list[ServiceProcess]]:
    """Start ``count`` services at once (they warm up in parallel); stop them all on exit, come what may."""
    started: list[ServiceProcess] = []
    try:
        for _ in range(count):
            started.append(ServiceProcess(*args))
        for service in started:
            service.wait_healthy()
        yield started
    finally:
        for service in started:
            service.stop()
