"""What goes into the tutor (a chat line, its sender and where it came from) and what comes out."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.ports import PlatformUser, ServerSettings
from bot.core.replies import Reply


@dataclass(frozen=True, slots=True)
class ServerRef:
    """The server (Discord guild, Telegram group) a message came from, and its channel where it has them."""

    platform: str
    server_id: str
    channel_id: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One chat line from a learner.

    ``is_admin`` is the adapter's verdict for this command's admin scope (``TutorSettings.admins`` are
    admins everywhere); ``locale`` is a language the front end was explicitly told to use (the console's
    ``--lang``) and wins over all until the learner chooses another with ``/lang``.
    """

    user: PlatformUser
    text: str
    server: ServerRef | None = None
    is_admin: bool = False
    locale: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """The tutor's answer to one message: the replies, and how to present them.

    ``locale`` is the language the replies are in and the learner is to be addressed in from now on (after
    ``/lang`` it is the new one); ``server`` is the settings of the server the message came from, if any;
    ``ends_chat`` says the learner asked to leave (the console's ``/quit``).
    """

    replies: tuple[Reply, ...]
    locale: str
    server: ServerSettings | None = None
    ends_chat: bool = False


@dataclass(frozen=True, slots=True)
class Presentation:
    """How to present a front end's own messages to a user: their language and the server's settings."""

    locale: str
    server: ServerSettings | None = None
