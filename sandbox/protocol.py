"""The wire formats between the bot-side pool, the warm parent and its children.

Child → pool, on the child's output pipe: frames of ``kind (1 byte) + length (4 bytes, big endian) +
payload``. The child is hostile once learner code runs, so the reader trusts nothing: unknown kinds,
oversized frames and bad JSON end the run as an internal failure.

Pool ↔ warm parent, on a ``SOCK_SEQPACKET`` socket pair: one JSON object per message, a new child's
descriptors attached with ``SCM_RIGHTS``.
"""

from __future__ import annotations

import json
import socket
import struct
from dataclasses import asdict
from typing import Any

from sandbox.result import Cell, RunLimits, RunRequest

READY = b"R"  # the child is isolated and warm; payload: its isolation report (JSON)
STARTED = b"S"  # the child has read its request (a child that dies before this can be replaced)
UNTRUSTED = b"U"  # learner code is about to run: from here on, nothing the child says is trusted
OUTPUT = b"O"  # printed text (UTF-8)
EVIDENCE = b"E"  # what a check's probe captured (JSON, ``sandbox.evidence``); untrusted like all after U
DONE = b"D"  # the run's result (JSON, ``stdout`` left empty)
FAILED = b"F"  # the child could not isolate itself or crashed outside learner code; payload: detail

HEADER = struct.Struct("!cI")
MAX_FRAME = 8 * 2**20
MAX_CONTROL_MESSAGE = 64 * 1024
OUTPUT_CHUNK = 64 * 1024
NOTICE_ROOM = 1024  # the executor may add its own "Output limit ... reached" line past the limit


def output_cap(limit: int) -> int:
    """Return how many printed bytes the pool reads before it kills the child."""
    return limit + NOTICE_ROOM


def frame(kind: bytes, payload: bytes) -> bytes:
    """Return one frame."""
    return HEADER.pack(kind, len(payload)) + payload


class FrameError(ValueError):
    """The child sent something that is not a valid frame."""


class FrameReader:
    """Split a byte stream into frames, refusing unknown kinds and oversized payloads."""

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self._buffer = bytearray()
        self._max_frame = max_frame

    def feed(self, data: bytes) -> list[tuple[bytes, bytes]]:
        """Add bytes read from the pipe; return every complete frame."""
        self._buffer += data
        frames = []
        while len(self._buffer) >= HEADER.size:
            kind, length = HEADER.unpack_from(self._buffer)
            if kind not in (READY, STARTED, UNTRUSTED, OUTPUT, EVIDENCE, DONE, FAILED):
                raise FrameError(f"unknown frame kind {kind!r}")
            if length > self._max_frame:
                raise FrameError(f"frame of {length} bytes exceeds {self._max_frame}")
            end = HEADER.size + length
            if len(self._buffer) < end:
                break
            frames.append((kind, bytes(self._buffer[HEADER.size : end])))
            del self._buffer[:end]
        return frames

    @property
    def pending(self) -> int:
        """Return how many bytes of an incomplete frame are buffered."""
        return len(self._buffer)


def encode_request(request: RunRequest, limits: RunLimits) -> bytes:
    """Serialise what the child needs to run ``request`` under ``limits``."""
    body = {
        "code": request.code,
        "setup": request.setup,
        "check": request.check,
        "probe": request.probe,
        "evidence": request.evidence,
        "limits": asdict(limits),
        "cells": [[cell.code, cell.seed] for cell in request.cells],
        "seed": request.seed,
    }
    return json.dumps(body).encode()


def decode_request(data: bytes) -> RunRequest:
    """Parse a request written by ``encode_request``."""
    body = json.loads(data)
    return RunRequest(
        code=body["code"],
        setup=body["setup"],
        check=body["check"],
        probe=body["probe"],
        evidence=body["evidence"],
        limits=RunLimits(**body["limits"]),
        cells=tuple(Cell(code, seed) for code, seed in body["cells"]),
        seed=body["seed"],
    )


def send_message(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    """Send one control message, with descriptors attached if given."""
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.send(data)


def receive_message(sock: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    """Receive one control message and its descriptors; return None at end of stream."""
    data, fds, _flags, _addr = socket.recv_fds(sock, MAX_CONTROL_MESSAGE, 4, socket.MSG_CMSG_CLOEXEC)
    if not data:
        for fd in fds:
            socket.close(fd)
        return None
    return json.loads(data), list(fds)
