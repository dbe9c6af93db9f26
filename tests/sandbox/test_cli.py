"""``sandbox run`` and ``sandbox serve`` as a user calls them (``python -m sandbox.cli``)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "sandbox.cli", "sandbox"]
SNIPPET = (
    "import torch\nx = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\nout = z.mean()\n"
    "out.backward()\nprint('grad ready')\nx.grad\n"
)


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120, check=False
    )


def test_run_file_prints_a_console_report(tmp_path):
    path = tmp_path / "snippet.py"
    path.write_text(SNIPPET)
    done = cli("run", str(path))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("[ok] ok (")
    assert "--- output ---\ngrad ready" in out
    assert "tensor([[4.5000, 4.5000]," in out
    assert "--- tensors ---" in out and "MeanBackward0" in out
    assert "--- autograd graph ---" in out


def test_run_stdin_json_is_the_result_object_even_on_timeout():
    done = cli("run", "-", "--json", "--time-limit", "0.5", stdin="while True:\n    pass\n")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == "timeout"
    assert result["error"]["message"] == "Time limit of 0.5 s reached"


def test_run_missing_file_is_an_error():
    done = cli("run", "/nonexistent/snippet.py")
    assert done.returncode == 2
    assert "cannot read" in done.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_listens_answers_and_stops_on_sigterm():
    port = free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--concurrency", "1", "--queue", "2"],
        cwd=REPO,
        env={**os.environ, "TUTOR_SANDBOX__TOKEN": "cli-test-token-0123456789"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "the service did not come up"
                time.sleep(0.2)
        body = json.dumps({"code": "1 + 1"}).encode()
        headers = {"Content-Type": "application/json", "Authorization": "Bearer cli-test-token-0123456789"}
        post = urllib.request.Request(f"{url}/run", data=body, headers=headers)
        with urllib.request.urlopen(post, timeout=30) as response:
            assert json.load(response)["value"] == "2"
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0
    assert f"listening on http://127.0.0.1:{port}" in stderr


@pytest.mark.parametrize("token", ["short", "change-me-to-a-long-random-secret"])
def test_serve_refuses_a_placeholder_or_short_token(token):
    environment = {**os.environ, "TUTOR_SANDBOX__TOKEN": token}
    done = subprocess.run(
        [*CLI, "serve", "--port", str(free_port())],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "a placeholder or shorter than 16 characters" in done.stderr


def test_serve_refuses_to_start_without_a_token():
    environment = {key: value for key, value in os.environ.items() if key != "TUTOR_SANDBOX__TOKEN"}
    done = subprocess.run(
        [*CLI, "serve", "--port", str(free_port())],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "set TUTOR_SANDBOX__TOKEN" in done.stderr


@pytest.mark.parametrize("command", ["run", "serve"])
def test_help_mentions_insecure_dev(command):
    done = cli(command, "--help")
    assert done.returncode == 0
    assert "--insecure-dev" in done.stdout
    assert os.linesep in done.stdout


@pytest.mark.parametrize(("code", "status"), [("1 + 1", 0), ("1 / 0", 3), ("import os", 5), ("1 +", 4)])
def test_exit_status_tells_how_the_run_ended(code, status):
    done = subprocess.run(
        [*CLI, "run", "--exit-status"],
        input=code,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == status, done.stderr


def test_without_exit_status_any_result_exits_0():
    done = subprocess.run(
        [*CLI, "run"], input="1 / 0", cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0


@pytest.mark.parametrize("value", ["-1", "0", "nan", "1e9", "soon"])
def test_absurd_time_limits_are_refused(value):
    done = subprocess.run(
        [*CLI, "run", "--time-limit", value],
        input="1",
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--time-limit" in done.stderr


def test_a_reader_that_goes_away_is_not_an_error():
    done = subprocess.run(
        f"{' '.join(CLI)} run | head -c 1",
        shell=True,
        input="for i in range(2000):\n    print(i)",
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr
    assert "BrokenPipeError" not in done.stderr
