"""Read chat lines from the terminal, gathering a fenced code block that spans lines into one message."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.parsing import opens_fence, parse_command

ReadLine = Callable[[bool], str | None]
"""Return the next input line without its newline, or None at the end; True asks for a continuation line."""

_CODE_COMMANDS = frozenset({"run", "submit"})


class ChatReader:
    """Turns input lines into chat messages.

    ``/run`` and ``/submit`` take code as a fenced block that starts on the command's line or on the next
    line and spans lines until its closing fence. A bare ``/run`` runs the current step's code, so only a
    scripted reader (``peek_after_run``) looks ahead for a block after it; ``/submit`` always does.
    """

    def __init__(self, read_line: ReadLine, *, peek_after_run: bool) -> None:
        self._read_line = read_line
        self._peek_after_run = peek_after_run
        self._pushed: list[str] = []

    def read(self) -> str | None:
        """Return the next message, or None at the end of input."""
        line = self._next(continuation=False)
        if line is None:
            return None
        command = parse_command(line)
        if command is None or command.name not in _CODE_COMMANDS:
            return line
        if opens_fence(line):
            return "\n".join([line, *self._rest_of_block()])
        if command.rest or (command.name == "run" and not self._peek_after_run):
            return line
        following = self._next(continuation=True)
        if following is None:
            return line
        if not following.lstrip().startswith("```"):
            self._pushed.append(following)
            return line
        block = [following, *self._rest_of_block()] if opens_fence(following) else [following]
        return "\n".join([line, *block])

    def _rest_of_block(self) -> list[str]:
        lines: list[str] = []
        while (line := self._next(continuation=True)) is not None:
            lines.append(line)
            if "```" in line:
                break
        return lines

    def _next(self, *, continuation: bool) -> str | None:
        if self._pushed:
            return self._pushed.pop()
        return self._read_line(continuation)
