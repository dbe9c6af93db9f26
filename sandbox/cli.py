"""The ``tutor sandbox`` commands: ``run`` one snippet, ``serve`` the HTTP service.

``bot/cli/sandbox.py`` calls ``add_parser(subparsers)`` and then ``args.handler(args)``;
``python -m sandbox.cli`` offers the same commands on their own.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence

from sandbox.local import LocalSandbox, PoolConfig
from sandbox.result import RunLimits, RunRequest, Status
from sandbox.service import ServiceConfig, serve
from sandbox.text import format_result
from sandbox.warm_process import WarmStartError

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "TUTOR_SANDBOX__TOKEN"
MIN_TOKEN_CHARS = 16


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``sandbox run`` and ``sandbox serve`` under the given subcommand set."""
    sandbox = subparsers.add_parser("sandbox", help="run code in the sandbox, or serve it over HTTP")
    commands = sandbox.add_subparsers(dest="sandbox_command", required=True)

    run = commands.add_parser("run", help="run one snippet and show the result")
    run.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="code to run (default: stdin)")
    run.add_argument("--json", action="store_true", help="print the result object as JSON")
    run.add_argument(
        "--time-limit",
        type=_seconds,
        metavar="S",
        help=f"wall-clock limit in seconds (more than 0, at most {MAX_TIME_LIMIT_S:g})",
    )
    run.add_argument(
        "--exit-status",
        action="store_true",
        help="exit with a code that says how the run ended: "
        + ", ".join(f"{code} {status.value}" for status, code in EXIT_CODES.items()),
    )
    _add_common(run)
    run.set_defaults(handler=run_command)

    serve_parser = commands.add_parser("serve", help="serve POST /run, GET /healthz, /readyz and /metrics")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8060)
    serve_parser.add_argument(
        "--concurrency",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="runs at once (default: the number of cores)",
    )
    serve_parser.add_argument(
        "--queue",
        type=int,
        default=32,
        metavar="N",
        help="runs that may wait for a slot before 503 (default: 32)",
    )
    _add_common(serve_parser)
    serve_parser.set_defaults(handler=serve_command)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--insecure-dev",
        action="store_true",
        help="start even where the syscall filter is unavailable (loudly logged; never in production)",
    )
    parser.add_argument("--executor", default="sandbox.executor", help=argparse.SUPPRESS)


MAX_TIME_LIMIT_S = 300.0
# With --exit-status: the run's status as the exit code (without it, 0 whenever a result was produced).
EXIT_CODES = {
    Status.OK: 0,
    Status.ERROR: 3,
    Status.SYNTAX: 4,
    Status.DENIED: 5,
    Status.TIMEOUT: 6,
    Status.MEMORY: 7,
    Status.OUTPUT_LIMIT: 8,
    Status.INTERNAL: 9,
}


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= MAX_TIME_LIMIT_S:
        raise argparse.ArgumentTypeError(
            f"{text} s is out of range: give more than 0 and at most {MAX_TIME_LIMIT_S:g}"
        )
    return value


def _read_code(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    with open(source, encoding="utf-8") as handle:
        return handle.read()


def run_command(args: argparse.Namespace) -> int:
    """Run one snippet from FILE or stdin; exit 0 whenever a result was produced (see --exit-status)."""
    try:
        code = _read_code(args.file)
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    limits = RunLimits()
    if args.time_limit is not None:
        limits = RunLimits(time_s=args.time_limit, cpu_s=max(limits.cpu_s, int(args.time_limit) + 1))
    config = PoolConfig(
        concurrency=1,
        pool_size=1,
        queue_size=0,
        limits=limits,
        insecure_dev=args.insecure_dev,
        executor=args.executor,
    )

    async def once() -> int:
        async with LocalSandbox.start(config) as sandbox:
            result = await sandbox.run(RunRequest(code=code))
        text = (
            json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
            if args.json
            else format_result(result)
        )
        _write_stdout(text)
        return EXIT_CODES[result.status] if args.exit_status else 0

    try:
        return asyncio.run(once())
    except WarmStartError as exc:
        print(f"the sandbox could not start: {exc}", file=sys.stderr)
        return 1


def _write_stdout(text: str) -> None:
    """Print ``text``; a reader that went away (``| head``) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's own flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def serve_command(args: argparse.Namespace) -> int:
    """Serve the sandbox over HTTP until SIGINT or SIGTERM."""
    pool = PoolConfig(
        concurrency=args.concurrency,
        queue_size=args.queue,
        insecure_dev=args.insecure_dev,
        executor=args.executor,
    )
    token = os.environ.get(TOKEN_VARIABLE, "").strip() or None
    if token is None and not args.insecure_dev:
        log.error(
            "the sandbox service needs a shared secret: set %s (the bot sends the same value); "
            "only --insecure-dev serves without one",
            TOKEN_VARIABLE,
        )
        return 2
    if token is not None and (len(token) < MIN_TOKEN_CHARS or "change-me" in token):
        log.error(
            "%s is a placeholder or shorter than %d characters; set a long random value "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')",
            TOKEN_VARIABLE,
            MIN_TOKEN_CHARS,
        )
        return 2
    if token is None:
        log.warning("INSECURE DEV MODE: no %s; setup, check and probe code are refused", TOKEN_VARIABLE)
    service = ServiceConfig(limits=pool.limits, max_limits=pool.max_limits, token=token)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve(args.host, args.port, pool, service, stop)

    try:
        asyncio.run(main())
    except WarmStartError as exc:
        log.error("the sandbox could not start: %s", exc)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (``sandbox run ...`` or ``sandbox serve ...``) and run the command."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m sandbox.cli")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        return int(args.handler(args))
    return 130


if __name__ == "__main__":
    sys.exit(main())
