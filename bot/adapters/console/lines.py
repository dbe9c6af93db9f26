"""Input lines for the console, and whether the next one has already arrived.

A bare ``/run`` may be followed by a code block on the next line; the reader looks at that line only if it
is already there (pasted with the command, or piped), never waiting for a learner who meant a bare ``/run``.
Reading a file descriptor ourselves (not through ``sys.stdin``'s buffer) keeps that question answerable:
what a buffered stream has read ahead is invisible to ``select``.
"""

from __future__ import annotations

import codecs
import io
import os
import select
from typing import Protocol, TextIO

GRACE_S = 0.25
"""How long a line may take to follow the one before it and still count as arrived with it."""
_CHUNK = 65536


class Lines(Protocol):
    """A source of input lines."""

    def readline(self) -> str | None:
        """Return the next line without its line break, or None at the end of input."""
        ...

    def waiting(self) -> bool:
        """Tell whether reading the next line would not wait for more input."""
        ...


def ready(fd: int, timeout: float = GRACE_S) -> bool:
    """Tell whether ``fd`` has input (or its end) to read within ``timeout`` seconds."""
    try:
        readable, _, _ = select.select([fd], [], [], timeout)
    except (OSError, ValueError):
        return True  # not selectable (closed, or not a descriptor select takes): reading will tell
    return bool(readable)


class DescriptorLines:
    """Lines read straight from a file descriptor, decoded incrementally."""

    def __init__(self, fd: int, encoding: str = "utf-8", *, grace: float = GRACE_S) -> None:
        self._fd = fd
        self._grace = grace
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._buffer = ""
        self._ended = False

    def readline(self) -> str | None:
        """Return the next line, waiting for it if need be."""
        while "\n" not in self._buffer and not self._ended:
            self._fill()
        if not self._buffer:
            return None
        line, newline, rest = self._buffer.partition("\n")
        self._buffer = rest if newline else ""
        return line.rstrip("\r")

    def waiting(self) -> bool:
        """Tell whether a line (or the end of input) is already here or arrives within the grace period."""
        if "\n" in self._buffer or self._ended:
            return True
        if not ready(self._fd, self._grace):
            return False
        self._fill()
        return True

    def _fill(self) -> None:
        try:
            data = os.read(self._fd, _CHUNK)
        except InterruptedError:  # pragma: no cover - retried by Python since PEP 475
            return
        if not data:
            self._ended = True
            self._buffer += self._decoder.decode(b"", final=True)
        else:
            self._buffer += self._decoder.decode(data)


class StreamLines:
    """Lines of a stream that is all there already (an in-memory text, in tests)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def readline(self) -> str | None:
        """Return the next line."""
        line = self._stream.readline()
        return line.rstrip("\r\n") if line else None

    def waiting(self) -> bool:
        """Tell that the next line is here: the whole stream is."""
        return True


def lines_of(stream: TextIO) -> Lines:
    """Return the lines of ``stream``: read from its file descriptor where it has one."""
    try:
        fd = stream.fileno()
    except (io.UnsupportedOperation, AttributeError, ValueError):
        return StreamLines(stream)
    return DescriptorLines(fd, getattr(stream, "encoding", None) or "utf-8")
