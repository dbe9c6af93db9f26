"""Turn what a learner typed (or an adapter's typed options) into a command's keyword arguments."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.errors import UserError
from bot.core.parsing import extract_code, split_args, tidy_code
from bot.core.registry import Arg, Command, Upload


def bind_text(command: Command, rest: str) -> dict[str, object]:
    """Bind the text after a command's name; a lone ``code`` argument takes the code in all of it.

    Only here, in a chat message, do fences mark where code starts and ends (``extract_code``); typed
    options (``bind_values``: slash options, form fields) are code as they stand.
    """
    raw: dict[str, object] = {}
    if len(command.args) == 1 and command.args[0].type == "code":
        if rest.strip():
            raw[command.args[0].name] = extract_code(rest)
    else:
        for arg, word in zip(command.args, split_args(rest, len(command.args)), strict=False):
            raw[arg.name] = word
    return bind_values(command, raw)


def bind_values(command: Command, values: Mapping[str, object]) -> dict[str, object]:
    """Check and convert named argument values; raise ``UserError`` with the usage if one is wrong."""
    unknown = set(values) - {arg.name for arg in command.args}
    if unknown:
        raise UserError("usage", usage=command.usage)
    bound: dict[str, object] = {}
    for arg in command.args:
        value = values.get(arg.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if arg.required:
                raise UserError("usage", usage=command.usage)
            continue
        bound[arg.name] = _convert(command, arg, value)
    return bound


def _convert(command: Command, arg: Arg, value: object) -> object:
    if arg.type == "file":
        # Only front ends that take attachments can pass one; typed text can't stand for a file.
        if not isinstance(value, Upload):
            raise UserError("arg.needs_file", usage=command.usage)
        return value
    if arg.type == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise UserError("arg.not_int", name=arg.name, usage=command.usage) from None
    text = str(value)
    if arg.type == "code":
        return tidy_code(text)
    if arg.type == "prose":
        return text.strip()  # the command checks its length: it says by how much it is too long
    if arg.type == "choice":
        choice = text.strip().lower()
        if choice not in arg.choices:
            raise UserError("arg.bad_choice", name=arg.name, choices=", ".join(arg.choices))
        return choice
    if arg.type == "lesson":
        return text.strip().lower()
    if arg.type == "channel":
        # A channel id, or a mention of one as chat clients insert it (<#123>).
        channel = text.strip().removeprefix("<#").removesuffix(">")
        if not channel.isdigit():
            raise UserError("arg.bad_channel", name=arg.name, usage=command.usage)
        return channel
    return text.strip()
