"""The command registry: every command once, with its arguments, help and attributes, read by every adapter.

A command's help is its function's docstring: the first line is the short help, the rest the details.
Grouped commands have a spaced name (``/admin reload``, a Discord subcommand) and a flat one
(``/admin_reload``, for Telegram and the console); both find the same command.

Adapters never list command names: what they need to treat a command differently is an attribute here
(``docs/commands.md`` is the table):

- ``takes_code``: it has a ``code`` argument (a modal on Discord, a fenced block in the console, the
  replied-to message on Telegram); ``code_arg.required`` says whether it needs one;
- ``lesson_flow``: it moves through a lesson (a server may send these to direct messages);
- ``in_groups``: it may run in a group chat where everyone sees every reply (Telegram groups);
- ``public``: in a server, its replies are for the whole channel rather than only the asker;
- ``private``: its replies are for the asker alone even where a platform shows a group everything (a
  Telegram group): they go to the asker's private chat;
- ``platforms``: the platforms it exists on (elsewhere it is absent, as if unknown);
- ``admin``: None for everyone, ``"server"`` for the admins of the server it is used in, ``"bot"`` for the
  tutor's own operators (those who manage lessons for every server).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from bot.core.replies import Reply

if TYPE_CHECKING:
    from bot.core.plan import RunPlan

ArgType = Literal["text", "code", "lesson", "int", "choice", "file", "channel", "prose"]
"""``file`` takes an ``Upload`` (front ends that take attachments); ``channel`` a channel id of the server;
``prose`` is free text a learner writes (a review), asked for in a form where the platform has one."""
AdminScope = Literal["server", "bot"]
PLATFORMS: frozenset[str] = frozenset({"console", "discord", "telegram"})
"""Every platform a command may exist on."""
FORM_PLATFORMS: frozenset[str] = frozenset({"discord"})
"""Platforms whose front end asks for missing code or prose in a form (Discord's modal): optional to type."""
FORM_TYPES: frozenset[str] = frozenset({"code", "prose"})
"""The argument types a form asks for when they were left out."""
CommandFunc = Callable[..., Awaitable["list[Reply] | RunPlan"]]
"""``func(ctx, **args)`` returns ``list[Reply]``, or a ``RunPlan`` when it runs code in the sandbox."""


@dataclass(frozen=True, slots=True)
class Upload:
    """A file a user attached to a command, as its name and raw bytes."""

    filename: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a command; ``choices`` lists the accepted values of a ``choice``."""

    name: str
    type: ArgType
    help: str
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int | None = None  # for ``prose``: the most characters the command accepts

    @property
    def names_lesson(self) -> bool:
        """Return whether the argument is a lesson id (front ends offer lessons to pick from)."""
        return self.type == "lesson"

    def required_on(self, platform: str) -> bool:
        """Return whether the argument must be typed on ``platform`` (a form asks for code, prose on some)."""
        return self.required and not (self.type in FORM_TYPES and platform in FORM_PLATFORMS)


@dataclass(frozen=True, slots=True)
class Command:
    """One command: ``func(ctx, **args)`` answers it; the other fields are what adapters read."""

    name: str
    func: CommandFunc = field(repr=False)
    args: tuple[Arg, ...] = ()
    group: str | None = None
    admin: AdminScope | None = None
    lesson_flow: bool = False
    in_groups: bool = False
    public: bool = False
    platforms: frozenset[str] = PLATFORMS
    writes: bool = True  # False: reads only, so it need not lock the learner against concurrent commands
    private: bool = False
    aliases: tuple[str, ...] = ()  # other names it answers to (``/exit`` for ``/quit``); help shows its name

    def __post_init__(self) -> None:
        if self.public and self.private:
            raise ValueError(f"command {self.name!r} cannot be both public and private")

    @property
    def code_arg(self) -> Arg | None:
        """Return the argument that takes code, if the command has one."""
        return next((arg for arg in self.args if arg.type == "code"), None)

    @property
    def takes_code(self) -> bool:
        """Return whether the command takes code to run."""
        return self.code_arg is not None

    @property
    def form_arg(self) -> Arg | None:
        """Return the argument a form asks for when it was left out: the code, or a piece of prose."""
        return next((arg for arg in self.args if arg.type in FORM_TYPES), None)

    def available_on(self, platform: str) -> bool:
        """Return whether the command exists on ``platform``."""
        return platform in self.platforms

    @property
    def flat_name(self) -> str:
        """Return the name without spaces: ``admin_reload`` for ``/admin reload``."""
        return f"{self.group}_{self.name}" if self.group else self.name

    @property
    def full_name(self) -> str:
        """Return the name as typed with its group: ``admin reload``."""
        return f"{self.group} {self.name}" if self.group else self.name

    @property
    def help(self) -> str:
        """Return the short help: the first line of the function's docstring."""
        return self.docstring.split("\n", 1)[0].strip()

    @property
    def details(self) -> str:
        """Return the docstring after its first line (may be empty)."""
        parts = self.docstring.split("\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""

    @property
    def docstring(self) -> str:
        """Return the function's docstring, dedented."""
        return inspect.getdoc(self.func) or ""

    @property
    def usage(self) -> str:
        """Return how to type it: ``/reset <lesson> [confirm]``."""
        return self._usage([arg.required for arg in self.args])

    def usage_on(self, platform: str) -> str:
        """Return how to type it on ``platform``: ``/submit [code]`` where a form asks for the code."""
        return self._usage([arg.required_on(platform) for arg in self.args])

    def _usage(self, required: list[bool]) -> str:
        words = [f"/{self.full_name}"]
        pairs = zip(self.args, required, strict=True)
        words += [f"<{arg.name}>" if needed else f"[{arg.name}]" for arg, needed in pairs]
        return " ".join(words)


def command(
    func: CommandFunc,
    *,
    name: str | None = None,
    args: Sequence[Arg] = (),
    group: str | None = None,
    admin: AdminScope | None = None,
    lesson_flow: bool = False,
    in_groups: bool = False,
    public: bool = False,
    platforms: Iterable[str] = PLATFORMS,
    writes: bool = True,
    aliases: Sequence[str] = (),
    private: bool = False,
) -> Command:
    """Describe ``func`` as a command; its name defaults to the function's."""
    chosen = frozenset(platforms)
    if not chosen <= PLATFORMS:
        raise ValueError(
            f"unknown platforms {sorted(chosen - PLATFORMS)} for command {name or func.__name__}"
        )
    return Command(
        name=name or func.__name__,
        func=func,
        args=tuple(args),
        group=group,
        admin=admin,
        lesson_flow=lesson_flow,
        in_groups=in_groups,
        public=public,
        platforms=chosen,
        writes=writes,
        aliases=tuple(aliases),
        private=private,
    )


class Registry:
    """Every command, found by flat or spaced name."""

    def __init__(self, commands: Sequence[Command]) -> None:
        self._commands = tuple(commands)
        self._by_name: dict[str, Command] = {}
        for cmd in self._commands:
            for name in (cmd.flat_name, *cmd.aliases):
                if name in self._by_name:
                    raise ValueError(f"command {name!r} registered twice")
                self._by_name[name] = cmd
        self.groups = frozenset(cmd.group for cmd in self._commands if cmd.group)
        self._platforms: dict[str, Registry] = {}

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)

    def get(self, name: str) -> Command | None:
        """Return the command called ``name`` (``admin_reload`` or ``admin reload``), if any."""
        return self._by_name.get("_".join(name.lower().split()))

    def resolve(self, name: str, rest: str) -> tuple[Command, str] | None:
        """Find the command a chat line names, taking a group's subcommand from ``rest``."""
        if name in self.groups:
            words = rest.split(maxsplit=1)
            found = self.get(f"{name}_{words[0]}") if words else None
            return (found, words[1] if len(words) > 1 else "") if found else None
        found = self.get(name)
        return (found, rest) if found else None

    def in_group(self, group: str) -> list[Command]:
        """Return the commands of one group."""
        return [cmd for cmd in self._commands if cmd.group == group]

    def on(self, platform: str) -> Registry:
        """Return the registry of the commands that exist on ``platform``."""
        found = self._platforms.get(platform)
        if found is None:
            found = Registry([cmd for cmd in self._commands if cmd.available_on(platform)])
            self._platforms[platform] = found
        return found

    def names(self) -> list[str]:
        """Return every flat name, every spaced name and every alias."""
        return [cmd.flat_name for cmd in self._commands] + [
            name for cmd in self._commands for name in ((cmd.full_name,) if cmd.group else ()) + cmd.aliases
        ]
