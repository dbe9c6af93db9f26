"""Read chat lines from the terminal, gathering a fenced code block that spans lines into one message."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.core.parsing import opens_fence, parse_command
from bot.core.registry import Registry

ReadLine = Callable[[bool], str | None]
"""Return the next input line without its newline, or None at the end; True asks for a continuation line."""


def code_commands(registry: Registry) -> dict[str, bool]:
    """Return the commands that take code, by every name they are typed with, and whether code is required."""
    found: dict[str, bool] = {}
    for command in registry:
        if command.code_arg is not None:
            found[command.flat_name] = command.code_arg.required
    return found


class ChatReader:
    """Turns input lines into chat messages.

    Commands that take code (``code_commands``: name to whether code is required) take it as a fenced
    block that starts on the command's line or on the next line and spans lines until its closing fence.
    Where code is optional (a bare ``/run`` runs the current step's code), only a scripted reader
    (``peek_optional``) looks ahead for a block after the command; where it is required, every reader does.
    """

    def __init__(
        self, read_line: ReadLine, code_commands: Mapping[str, bool], *, peek_optional: bool
    ) -> None:
        self._read_line = read_line
        self._code_commands = dict(code_commands)
        self._peek_optional = peek_optional
        self._pushed: list[str] = []

    def read(self) -> str | None:
        """Return the next message, or None at the end of input."""
        line = self._next(continuation=False)
        if line is None:
            return None
        command = parse_command(line)
        required = self._code_commands.get(command.name) if command is not None else None
        if command is None or required is None:
            return line
        if opens_fence(line):
            return "\n".join([line, *self._rest_of_block()])
        if command.rest or (not required and not self._peek_optional):
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
