"""A fake Telegram Bot API on loopback (aiohttp): serves ``getUpdates`` from a script, records the rest.

python-telegram-bot talks to it for real (``base_url``), so requests, parsing, the rate limiter and the
polling loop are the library's own. Only what the tutor uses is implemented.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token"
BOT = {"id": 42, "is_bot": True, "first_name": "Torch Tutor", "username": "torch_tutor_bot"}
_TEXT_FIELDS = {"text", "caption", "question", "explanation", "parse_mode", "callback_query_id", "filename"}


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    files: dict[str, bytes] = field(default_factory=dict)


class FakeBotApi:
    """The fake server; ``push_*`` queue updates, ``calls`` records requests, ``wait_for`` awaits them."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.admins: set[int] = set()
        self.blocked: set[int] = set()  # users who never started a private chat with the bot
        self.failures: dict[str, list[dict[str, Any]]] = {}
        self._updates: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._messages = itertools.count(100)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/bot"

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- the script ------------------------------------------------------------------------------------
    async def push(self, **update: Any) -> None:
        async with self._changed:
            self._updates.append({"update_id": next(self._ids), **update})
            self._changed.notify_all()

    async def push_text(
        self, text: str, *, user_id: int = 7, chat_id: int | None = None, group: bool = False, **extra: Any
    ) -> None:
        await self.push(message=self.message(text, user_id=user_id, chat_id=chat_id, group=group, **extra))

    async def press(self, sent: Call, data: str, *, user_id: int = 7) -> None:
        """Press the button ``data`` of a message the bot sent."""
        message = self.message_of(sent)
        query = {"id": f"q{next(self._ids)}", "from": self.user(user_id), "chat_instance": "c", "data": data}
        await self.push(callback_query={**query, "message": message})

    async def answer_poll(self, sent: Call, option: int, *, user_id: int = 7) -> None:
        poll_id = sent.params["_poll_id"]
        answer = {"poll_id": poll_id, "user": self.user(user_id), "option_ids": [option]}
        await self.push(poll_answer={**answer, "option_persistent_ids": [f"o{option}"]})

    def fail_next(self, method: str, *, retry_after: int) -> None:
        """Answer the next call of ``method`` with a 429 Too Many Requests."""
        self.failures.setdefault(method, []).append(
            {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {retry_after}",
                "parameters": {"retry_after": retry_after},
            }
        )

    def refuse_next(self, method: str, *, status: int, description: str) -> None:
        """Answer the next call of ``method`` with an error, e.g. 403 for a user who blocked the bot."""
        self.failures.setdefault(method, []).append(
            {"ok": False, "error_code": status, "description": description}
        )

    def user(self, user_id: int, language: str = "en") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": language}

    def message(
        self,
        text: str,
        *,
        user_id: int = 7,
        chat_id: int | None = None,
        group: bool = False,
        language: str = "en",
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        chat = {"id": chat_id or (-100 if group else user_id), "type": "supergroup" if group else "private"}
        if group:
            chat["title"] = "Study group"
        message: dict[str, Any] = {
            "message_id": next(self._messages),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, language),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    def message_of(self, sent: Call) -> dict[str, Any]:
        return sent.params["_result"]

    # -- what the bot did --------------------------------------------------------------------------------
    def sent(self, method: str = "sendMessage") -> list[Call]:
        """Return the calls of ``method`` that were answered (not refused with a 429)."""
        return [call for call in self.calls if call.method == method and not call.params.get("_failed")]

    def refused(self, method: str = "sendMessage") -> list[Call]:
        return [call for call in self.calls if call.method == method and call.params.get("_failed")]

    def texts(self) -> list[str]:
        return [str(call.params.get("text", "")) for call in self.sent()]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0, **match: Any) -> list[Call]:
        """Wait until ``method`` was called ``count`` times (with params containing ``match``)."""

        def found() -> list[Call]:
            return [
                c
                for c in self.sent(method)
                if all(str(v) in str(c.params.get(k, "")) for k, v in match.items())
            ]

        async def until() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(found()) >= count)
            return found()

        return await asyncio.wait_for(until(), timeout)

    # -- the server --------------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params, files = await _params(request)
        if method == "getUpdates":
            await self._record(Call(method, params))
            return web.json_response({"ok": True, "result": await self._get_updates(params)})
        if method == "sendMessage" and int(params.get("chat_id") or 0) in self.blocked:
            await self._record(Call(method, {**params, "_failed": True}))
            forbidden = {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot can't initiate conversation",
            }
            return web.json_response(forbidden, status=403)
        failures = self.failures.get(method)
        if failures:
            call = Call(method, {**params, "_failed": True}, files=files)
            await self._record(call)
            failure = failures.pop(0)
            return web.json_response(failure, status=failure["error_code"])
        call = Call(method, params, files=files)
        result = self._result(method, params)
        call.params["_result"] = result
        if method == "sendPoll":
            call.params["_poll_id"] = result["poll"]["id"]
        await self._record(call)
        return web.json_response({"ok": True, "result": result})

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 1.0)

        def pending() -> list[dict[str, Any]]:
            return [u for u in self._updates if u["update_id"] >= offset]

        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(lambda: bool(pending())), timeout)
            return pending()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {**BOT, "can_join_groups": True, "can_read_all_group_messages": False}
        if method == "getChatMember":
            user = self.user(int(params["user_id"]))
            if int(params["user_id"]) in self.admins:
                return {"status": "creator", "user": user, "is_anonymous": False}
            return {"status": "member", "user": user}
        if method == "sendMediaGroup":  # one message per photo of the album
            return [self._sent_message("sendPhoto", params) for _ in params["media"]]
        if method.startswith("send") or method.startswith("edit"):
            return self._sent_message(method, params)
        return True

    def _sent_message(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params.get("chat_id") or 0)
        message: dict[str, Any] = {
            "message_id": int(params.get("message_id") or next(self._messages)),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT,
        }
        if "text" in params:
            if params.get("parse_mode") == "HTML":
                message["text"], message["entities"] = _parsed_html(str(params["text"]))
            else:
                message["text"] = str(params["text"])
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        if method == "sendPhoto":
            message["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        if method == "sendDocument":
            message["document"] = {"file_id": "d", "file_unique_id": "d", "file_name": "output.txt"}
        if method == "sendPoll":
            options = [
                {"text": o["text"] if isinstance(o, dict) else o, "voter_count": 0, "persistent_id": f"o{n}"}
                for n, o in enumerate(params["options"])
            ]
            message["poll"] = {
                "id": f"poll{message['message_id']}",
                "question": params["question"],
                "options": options,
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": False,
                "type": "quiz",
                "allows_multiple_answers": False,
                "correct_option_ids": params.get("correct_option_ids"),
                "allows_revoting": False,
                "members_only": False,
            }
        return message


async def _params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        return dict(await request.json()), files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = value.file.read()
            params[key] = f"<file {value.filename}>"
        elif key in _TEXT_FIELDS:
            params[key] = value
        else:
            try:
                params[key] = json.loads(str(value))
            except ValueError:
                params[key] = value
    return params, files


_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ENTITY_TYPES = {"b": "bold", "i": "italic", "code": "code", "pre": "pre"}


def _parsed_html(html_text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the text Telegram shows for HTML and its entities (UTF-16 offsets), as the Bot API does.

    Only the tags the tutor sends: ``b``, ``i``, ``code`` and ``pre`` (with ``<code class="language-x">``
    inside for a language; a ``code`` inside ``pre`` is part of the block, not an entity of its own).
    """
    text = ""
    entities: list[dict[str, Any]] = []
    open_tags: list[tuple[str, int, dict[str, Any]]] = []
    position = 0
    for match in _TAG.finditer(html_text):
        text += html.unescape(html_text[position : match.start()])
        position = match.end()
        closing, name, attributes = match[1] == "/", match[2], match[3]
        if name not in _ENTITY_TYPES:
            continue
        offset = len(text.encode("utf-16-le")) // 2
        inside_pre = any(tag == "pre" for tag, _, _ in open_tags)
        if not closing:
            entity: dict[str, Any] = {"type": _ENTITY_TYPES[name]}
            language = re.search(r'class="language-([^"]+)"', attributes)
            if name == "code" and inside_pre:
                if language:
                    next(e for tag, _, e in reversed(open_tags) if tag == "pre")["language"] = language[1]
                entity = {}
            open_tags.append((name, offset, entity))
        elif open_tags and open_tags[-1][0] == name:
            _, start, entity = open_tags.pop()
            if entity and offset > start:
                entities.append({**entity, "offset": start, "length": offset - start})
    text += html.unescape(html_text[position:])
    return text, sorted(entities, key=lambda e: (e["offset"], -e["length"]))
