"""Read chat lines from the terminal, gathering a fenced code block that spans lines into one message."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.core.parsing import closes_fence, opens_fence, parse_command
from bot.core.registry import Registry

ReadLine = Callable[[bool], str | None]
"""Return the next input line without its newline, or None at the end; True asks for a continuation line."""
Waiting = Callable[[], bool]
"""Tell whether another input line has already arrived (reading it would not wait for the learner)."""


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
    Where code is optional (a bare ``/run`` runs the current step's code), the next line is looked at only
    if it has already arrived (``waiting``: pasted, or piped), so a bare ``/run`` never waits for more
    input; a block typed after such a bare command has been answered still goes to that command.
    """

    def __init__(self, read_line: ReadLine, code_commands: Mapping[str, bool], *, waiting: Waiting) -> None:
        self._read_line = read_line
        self._code_commands = dict(code_commands)
        self._waiting = waiting
        self._pushed: list[str] = []
        self._bare: str | None = None  # the code command just sent without code, if any

    def read(self) -> str | None:
        """Return the next message, or None at the end of input."""
        bare, self._bare = self._bare, None
        line = self._next(continuation=False)
        if line is None:
            return None
        command = parse_command(line)
        if command is None:
            if bare is not None and line.lstrip().startswith("```"):
                return "\n".join([f"/{bare}", *self._block(line)])
            return line
        required = self._code_commands.get(command.name)
        if required is None:
            return line
        if command.rest:
            if opens_fence(command.rest):
                return "\n".join([line, *self._rest_of_block()])
            return line
        if not required and not self._waiting():
            self._bare = command.name
            return line
        following = self._next(continuation=True)
        if following is None:
            return line
        if not following.lstrip().startswith("```"):
            self._pushed.append(following)
            return line
        return "\n".join([line, *self._block(following)])

    def _block(self, first: str) -> list[str]:
        """Return a block's lines from its opening line, reading on to its closing fence if still open."""
        return [first, *self._rest_of_block()] if opens_fence(first) else [first]

    def _rest_of_block(self) -> list[str]:
        lines: list[str] = []
        while (line := self._next(continuation=True)) is not None:
            lines.append(line)
            if closes_fence(line):
                break
        return lines

    def _next(self, *, continuation: bool) -> str | None:
        if self._pushed:
            return self._pushed.pop()
        return self._read_line(continuation)
