"""Drive ``tutor console`` as a subprocess, through a pseudo-terminal or a pipe kept open, line by line.

Unlike feeding a whole script, this lets a test wait for an answer before typing on, as a person at a
terminal (or a program driving the console) does, and tell an answer that came at once from one that did
not come at all.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r")


def console_env(home: Path, lessons: Path, **extra: str) -> dict[str, str]:
    """Return the environment of a console run in ``home`` with the lessons of ``lessons``."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "USER": "e2e-learner",
        "LANG": "en_US.UTF-8",
        "TERM": "xterm",
        "COLUMNS": "120",
        "PYTHONPATH": str(REPO),
        "TUTOR_DATABASE_URL": f"sqlite+aiosqlite:///{home / 'tutor.db'}",
        "TUTOR_LESSONS_DIRS": str(lessons),
        "TUTOR_LOG_LEVEL": "WARNING",
        **extra,
    }


class Console:
    """One ``tutor console`` process; ``send`` types a line, ``expect`` waits for output."""

    def __init__(self, env: dict[str, str], cwd: Path, *args: str, tty: bool) -> None:
        command = [sys.executable, "-m", "bot.cli", "console", *args]
        self.output = ""
        if tty:
            master, slave = pty.openpty()
            attributes = termios.tcgetattr(slave)
            attributes[3] &= ~termios.ECHO  # the output is the tutor's alone, not the typed lines again
            termios.tcsetattr(slave, termios.TCSANOW, attributes)
            self.process = subprocess.Popen(
                command, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, close_fds=True
            )
            os.close(slave)
            self._in, self._out = master, master
        else:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd,
            )
            assert self.process.stdin is not None and self.process.stdout is not None
            self._in, self._out = self.process.stdin.fileno(), self.process.stdout.fileno()
        self._seen = 0

    def send(self, *lines: str) -> None:
        """Type lines, all at once (as a paste)."""
        os.write(self._in, "".join(f"{line}\n" for line in lines).encode())

    def expect(self, pattern: str, timeout: float = 60.0) -> str:
        """Wait until ``pattern`` (a regex) appears in output not yet matched; return that output."""
        deadline = time.monotonic() + timeout
        found = re.compile(pattern)
        while True:
            match = found.search(self.output, self._seen)
            if match is not None:
                seen, self._seen = self._seen, match.end()
                return self.output[seen : match.end()]
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(f"no {pattern!r} in the console's output:\n{self.output[self._seen :]}")

    def quiet_for(self, seconds: float) -> str:
        """Read whatever arrives within ``seconds``; return it."""
        start = len(self.output)
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0 and self._read(left):
            pass
        return self.output[start:]

    def close(self) -> int:
        """End input, wait for the process (killing it if it does not end) and return its exit code."""
        try:
            if self._in == self._out:
                self.send("/quit")
            elif self.process.stdin is not None:
                self.process.stdin.close()
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            if self._in == self._out:
                os.close(self._out)

    def _read(self, timeout: float) -> bool:
        readable, _, _ = select.select([self._out], [], [], timeout)
        if not readable:
            return False
        try:
            data = os.read(self._out, 65536)
        except OSError:  # the terminal's other end closed: the process ended
            return False
        if not data:
            return False
        self.output += _ANSI.sub("", data.decode("utf-8", errors="replace"))
        return True
