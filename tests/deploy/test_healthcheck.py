"""deploy/healthcheck.py: the image's health check asks the sandbox service's /healthz, and the bot's."""

from __future__ import annotations

import http.server
import importlib.util
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.deploy import files


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tutor_healthcheck", files.HEALTHCHECK_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


healthcheck = _load()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/healthz" else 503)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    ("argv", "url"),
    [
        (
            ["tutor", "sandbox", "serve", "--host", "0.0.0.0", "--port", "9000"],
            "http://127.0.0.1:9000/healthz",
        ),
        (
            ["/sbin/docker-init", "--", "tutor", "sandbox", "serve", "--port=8061"],
            "http://127.0.0.1:8061/healthz",
        ),
        (["tutor", "sandbox", "serve"], "http://127.0.0.1:8060/healthz"),
        (["tutor", "serve"], "http://127.0.0.1:9108/healthz"),
        (["/sbin/docker-init", "--", "tutor", "serve"], "http://127.0.0.1:9108/healthz"),
        (["tutor", "db", "upgrade"], None),
    ],
)
def test_health_url_follows_the_main_command(argv: list[str], url: str | None) -> None:
    assert healthcheck.health_url(argv, env={}) == url


@pytest.mark.parametrize(
    ("port", "url"),
    [("9200", "http://127.0.0.1:9200/healthz"), ("0", None), ("", "http://127.0.0.1:9108/healthz")],
)
def test_bot_health_url_follows_the_metrics_port(port: str, url: str | None) -> None:
    assert healthcheck.health_url(["tutor", "serve"], env={"TUTOR_METRICS__PORT": port}) == url


def test_main_command_reads_a_nul_separated_command_line(tmp_path: Path) -> None:
    cmdline = tmp_path / "cmdline"
    cmdline.write_bytes(b"tutor\0sandbox\0serve\0")
    assert healthcheck.main_command(str(cmdline)) == ["tutor", "sandbox", "serve"]


def test_healthy_when_the_url_answers_200(server: str) -> None:
    assert healthcheck.main([f"{server}/healthz"]) == 0


def test_unhealthy_when_the_url_answers_an_error(server: str) -> None:
    assert healthcheck.main([f"{server}/other"]) == 1


def test_unhealthy_when_nothing_listens() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert healthcheck.main([f"http://127.0.0.1:{port}/healthz"]) == 1
