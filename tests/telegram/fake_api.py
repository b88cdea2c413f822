"""A small fake of the Telegram Bot API on 127.0.0.1, for tests and benchmarks.

The real python-telegram-bot Application talks to it through `base_url`, exactly as it would to
api.telegram.org or a local Bot API server. It keeps what the bot has sent per chat (so a test
can see the chat as the user sees it and press its buttons), records every call, hands out
updates by long polling, and can misbehave on demand: a 429 with `retry_after`, a 500, or a rate
enforced like Telegram's flood limit.

It checks what Telegram checks where a mistake would be easy to make: HTML that Telegram would
refuse, texts over 4,096 characters, captions over 1,024, button data over 64 bytes, and an edit
that changes nothing. Its HTML check is a little stricter than Telegram's: an `&` or a `<` that
does not start a complete entity or tag is refused (see `_check_entities`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token-for-the-fake-api"
BOT_ID = 4242
BOT_USERNAME = "some_adviser_test_bot"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "SoMe Adviser",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Parameters sent JSON-encoded (python-telegram-bot sends strings as they are, the rest as JSON).
_JSON_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "show_alert",
        "cache_time",
        "drop_pending_updates",
        "max_connections",
    }
)
# Methods that count against the flood limit: everything that sends to a chat.
_RATED = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "sendPhoto",
        "sendDocument",
        "sendChatAction",
    }
)
_ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
     "blockquote", "tg-spoiler", "span", "tg-emoji"}
)  # fmt: skip
_ALLOWED_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
# Every `&` must start one of these, `;` included: a named entity Telegram knows, `&#NN;` or `&#xHH;`
# (tdlib reads only a lowercase `x`, and at most 7 digits or 6 hex digits).
_ENTITY = re.compile(r"&(?:(?:lt|gt|amp|quot)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TelegramHtml(HTMLParser):
    """Parses a text as Telegram's HTML mode does, or raises ApiError as Telegram would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: unsupported start tag {tag!r}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(400, f"Bad Request: can't parse entities: unexpected end tag {tag!r}")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        # HTMLParser hands on as text what Telegram reads as markup: a `<` that starts no tag it
        # could parse (`a < b`, or a tag cut off at the end: `<a href="x`), and an `&` that
        # starts no entity (`&am`). _check_entities has refused the `&`s already; this is the net.
        for char in "<&":
            if char in data:
                raise ApiError(400, "Bad Request: can't parse entities: unexpected "
                               f"{char!r} in {data[:40]!r}")  # fmt: skip
        self.plain.append(data)

    def handle_comment(self, data: str) -> None:
        raise ApiError(400, f"Bad Request: can't parse entities: unsupported comment {data[:40]!r}")

    def handle_decl(self, decl: str) -> None:
        raise ApiError(400, f"Bad Request: can't parse entities: unsupported <!{decl[:40]}>")

    def unknown_decl(self, data: str) -> None:
        self.handle_decl(data)

    def handle_pi(self, data: str) -> None:
        raise ApiError(400, f"Bad Request: can't parse entities: unsupported <?{data[:40]}>")

    def handle_entityref(self, name: str) -> None:
        if name not in _ALLOWED_ENTITIES:
            raise ApiError(400, f"Bad Request: can't parse entities: unsupported entity &{name};")
        self.plain.append(unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.plain.append(unescape(f"&#{name};"))


def _check_entities(html: str) -> None:
    """ApiError unless every `&` in the text, in an attribute too, starts a complete entity.

    Telegram's docs ask for every `&` that is not part of an entity to be written `&amp;`. Its
    parser (tdlib's parse_html) keeps a stray one as a literal `&`, so a message with an entity
    cut in two (`... &am` and `p; ...`) goes through and reads as garbage; the fake refuses it,
    so that a test sees the mistake. (Python's HTMLParser, with convert_charrefs=False, passes
    `&am` on as text, and reads `&amp` without its `;` as an entity.)
    """
    for amp in re.finditer("&", html):
        entity = _ENTITY.match(html, amp.start())
        code = None
        if entity is not None and entity.group(1) is not None:
            code = int(entity.group(1))
        elif entity is not None and entity.group(2) is not None:
            code = int(entity.group(2), 16)
        if entity is None or (
            code is not None and not (0 < code < 0x10FFFF and not 0xD800 <= code <= 0xDFFF)
        ):
            found = html[amp.start() : amp.start() + 12]
            raise ApiError(400, "Bad Request: can't parse entities: incomplete or unsupported "
                           f"entity {found!r} at offset {amp.start()}")  # fmt: skip


def plain_text(html: str) -> str:
    """What the user reads of a Telegram HTML text; ApiError if Telegram would refuse it."""
    _check_entities(html)
    parser = _TelegramHtml()
    parser.feed(html)
    parser.close()
    if parser.stack:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed tag {parser.stack[-1]!r}")
    return "".join(parser.plain)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int = 200  # what the fake answered

    @property
    def chat_id(self) -> int | None:
        chat = self.params.get("chat_id")
        return int(chat) if chat is not None else None


@dataclass
class SentMessage:
    """A message the bot sent, as it stands now (after any edits)."""

    message_id: int
    chat_id: int
    kind: str  # "text", "photo", "document"
    html: str  # the text or caption as sent, Telegram HTML
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    file: bytes = b""
    filename: str = ""
    mime_type: str = ""
    edits: int = 0

    @property
    def text(self) -> str:
        return plain_text(self.html)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.keyboard for button in row]

    def data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    def as_telegram(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": "private", "first_name": "User"},
            "from": BOT_USER,
        }
        if self.kind == "text":
            message["text"] = self.text
        elif self.html:
            message["caption"] = self.text
        if self.kind == "photo":
            message["photo"] = [
                {"file_id": f"photo{self.message_id}", "file_unique_id": f"p{self.message_id}",
                 "width": 800, "height": 800}
            ]  # fmt: skip
        if self.kind == "document":
            message["document"] = {
                "file_id": f"doc{self.message_id}",
                "file_unique_id": f"d{self.message_id}",
                "file_name": self.filename,
                "mime_type": self.mime_type,
            }
        if self.keyboard:
            message["reply_markup"] = {"inline_keyboard": self.keyboard}
        return message


@dataclass
class _Failure:
    status: int
    retry_after: int | None
    chat_id: int | None = None  # None: whichever chat the call is for


class TokenBucket:
    """Telegram-like flood limit: `rate` requests a second on average, bursts up to `burst`."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self.rate = rate
        self.capacity = burst if burst is not None else rate
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class FakeTelegram:
    def __init__(
        self, token: str = TOKEN, max_poll_seconds: float = 1.0, delay: float = 0.0
    ) -> None:
        self.token = token
        self.max_poll_seconds = max_poll_seconds  # a long poll never waits longer than this
        self.delay = delay  # seconds before each answer but a poll's: a network's round trip
        self.calls: list[Call] = []
        self.chats: dict[int, list[SentMessage]] = defaultdict(list)
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self.answered_queries: set[str] = set()
        self.webhook: dict[str, Any] | None = None
        self.confirmed = 0  # updates below this id have been fetched and confirmed
        self.rejected_by_rate = 0
        self.polls = 0  # getUpdates calls, empty ones included
        self.observers: list[Callable[[Call], None]] = []  # told of every call, as it is answered
        self._pending: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self._query_ids = itertools.count(1)
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._bucket: TokenBucket | None = None
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- the server ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._endpoint)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _endpoint(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        if self.delay and method != "getUpdates":
            await asyncio.sleep(self.delay)
        call = Call(method, params, time.monotonic())
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            self._misbehave(method, params)
            result = await self._dispatch(method, params)
            body: dict[str, Any] = {"ok": True, "result": result}
        except ApiError as exc:
            call.status = exc.status
            body = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
        if method != "getUpdates" or call.status != 200 or body.get("result"):
            await self._record(call)
        return web.json_response(body, status=call.status)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = {
                    "file": value.file.read(),
                    "filename": value.filename,
                    "mime_type": value.content_type,
                }
            elif key in _JSON_PARAMS:
                params[key] = json.loads(value)
            else:
                params[key] = value
        return params

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            for observer in self.observers:
                observer(call)
            self._changed.notify_all()

    def _misbehave(self, method: str, params: dict[str, Any]) -> None:
        failures = self._failures.get(method)
        chat_id = params.get("chat_id")
        failure = next(
            (f for f in failures or () if f.chat_id is None or str(f.chat_id) == str(chat_id)),
            None,
        )
        if failure is not None:
            assert failures is not None
            failures.remove(failure)
            if failure.status == 429:
                raise ApiError(429, "Too Many Requests: retry later", failure.retry_after)
            raise ApiError(failure.status, "Internal Server Error")
        if method in _RATED and self._bucket is not None and not self._bucket.take():
            self.rejected_by_rate += 1
            raise ApiError(429, "Too Many Requests: retry after 1", 1)

    # --- misbehaving on demand -------------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        *,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` (to `chat_id` only, if given) fail with `status`;
        a 429 carries `retry_after`, as Telegram's flood limit for one chat does."""
        for _ in range(times):
            self._failures[method].append(_Failure(status, retry_after, chat_id))

    def enforce_rate(self, rate: float | None, burst: float | None = None) -> None:
        """Refuse sends beyond `rate` a second with a 429 (None: no limit)."""
        self._bucket = TokenBucket(rate, burst) if rate else None

    # --- the Bot API methods ---------------------------------------------------------------------

    async def _dispatch(self, method: str, p: dict[str, Any]) -> Any:
        handler: Callable[[dict[str, Any]], Any] | None = getattr(self, f"_api_{method}", None)
        if handler is None:
            raise ApiError(404, "Not Found")
        if method == "getUpdates":
            return await self._api_getUpdates(p)
        return handler(p)

    def _api_getMe(self, p: dict[str, Any]) -> Any:
        return BOT_USER

    async def _api_getUpdates(self, p: dict[str, Any]) -> Any:
        offset = int(p.get("offset") or 0)
        limit = int(p.get("limit") or 100)
        wait = min(float(p.get("timeout") or 0), self.max_poll_seconds)
        async with self._changed:
            self.polls += 1
            self._changed.notify_all()
            if offset:
                self.confirmed = max(self.confirmed, offset)
                while self._pending and self._pending[0]["update_id"] < offset:
                    self._pending.popleft()
                self._changed.notify_all()
            if not self._pending and wait > 0:
                with contextlib.suppress(TimeoutError):  # an empty answer, as Telegram's
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._pending)), wait
                    )
            return list(itertools.islice(self._pending, limit))

    def _api_deleteWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    def _api_setWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = dict(p)
        return True

    def _api_getWebhookInfo(self, p: dict[str, Any]) -> Any:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    def _api_setMyCommands(self, p: dict[str, Any]) -> Any:
        self.commands[p.get("language_code") or None] = list(p["commands"])
        return True

    def _api_sendChatAction(self, p: dict[str, Any]) -> Any:
        return True

    def _api_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        self.answered_queries.add(str(p["callback_query_id"]))
        return True

    def _api_sendMessage(self, p: dict[str, Any]) -> Any:
        html = str(p.get("text", ""))
        self._check_text(html, 4096, "message is too long")
        return self._store(p, "text", html).as_telegram()

    def _api_sendPhoto(self, p: dict[str, Any]) -> Any:
        return self._send_file(p, "photo")

    def _api_sendDocument(self, p: dict[str, Any]) -> Any:
        return self._send_file(p, "document")

    def _api_editMessageText(self, p: dict[str, Any]) -> Any:
        message = self._find(p)
        html = str(p.get("text", ""))
        self._check_text(html, 4096, "message is too long")
        keyboard = self._keyboard(p)
        if message.text == plain_text(html) and message.keyboard == keyboard:
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                           "content and reply markup are exactly the same")  # fmt: skip
        message.html, message.keyboard = html, keyboard
        message.edits += 1
        return message.as_telegram()

    def _api_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        message = self._find(p)
        keyboard = self._keyboard(p)
        if message.keyboard == keyboard:
            raise ApiError(400, "Bad Request: message is not modified")
        message.keyboard = keyboard
        message.edits += 1
        return message.as_telegram()

    def _send_file(self, p: dict[str, Any], kind: str) -> Any:
        upload = p.get(kind)
        if not isinstance(upload, dict) or not upload["file"]:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        caption = str(p.get("caption") or "")
        if caption:
            self._check_text(caption, 1024, "message caption is too long")
        message = self._store(p, kind, caption)
        message.file, message.filename = upload["file"], upload["filename"]
        message.mime_type = upload["mime_type"]
        return message.as_telegram()

    # --- checks and the chat store ---------------------------------------------------------------

    def _check_text(self, html: str, limit: int, too_long: str) -> None:
        text = plain_text(html)
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_length(text) > limit:
            raise ApiError(400, f"Bad Request: {too_long}")

    def _keyboard(self, p: dict[str, Any]) -> list[list[dict[str, Any]]]:
        markup = p.get("reply_markup") or {}
        rows: list[list[dict[str, Any]]] = markup.get("inline_keyboard", [])
        for row in rows:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return rows

    def _store(self, p: dict[str, Any], kind: str, html: str) -> SentMessage:
        chat_id = int(p["chat_id"])
        message = SentMessage(
            message_id=self._next_message_id(chat_id),
            chat_id=chat_id,
            kind=kind,
            html=html,
            keyboard=self._keyboard(p),
        )
        self.chats[chat_id].append(message)
        return message

    def _find(self, p: dict[str, Any]) -> SentMessage:
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        for message in self.chats.get(chat_id, []):
            if message.message_id == message_id:
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids[chat_id])

    @property
    def unconfirmed(self) -> int:
        """Updates queued that the bot has not yet fetched and confirmed."""
        return len(self._pending)

    # --- the users' side ---------------------------------------------------------------------------

    @staticmethod
    def user(user_id: int, language_code: str | None = "en") -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    async def push(self, update: dict[str, Any]) -> int:
        """Queue an update for the bot's next poll; returns its update id."""
        async with self._changed:
            update["update_id"] = next(self._update_ids)
            self._pending.append(update)
            self._changed.notify_all()
        return int(update["update_id"])

    async def redeliver(self, update: dict[str, Any]) -> None:
        """Hand out an update again with its own update id, as Telegram does after a bot
        restarted before confirming it (or a webhook that did not answer in time)."""
        async with self._changed:
            self.confirmed = min(self.confirmed, int(update["update_id"]))
            self._pending.appendleft(update)
            self._changed.notify_all()

    def message_update(
        self,
        user_id: int,
        text: str | None = None,
        *,
        language_code: str | None = "en",
        chat_id: int | None = None,
        chat_type: str = "private",
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{user_id}"
        else:
            chat["title"] = "Some group"
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, language_code),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split()[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message.update(extra or {})
        return {"message": message}

    def press_update(
        self, user_id: int, message: SentMessage, data: str, *, language_code: str | None = "en"
    ) -> dict[str, Any]:
        query = {
            "id": str(next(self._query_ids)),
            "from": self.user(user_id, language_code),
            "message": message.as_telegram(),
            "chat_instance": f"ci{message.chat_id}",
            "data": data,
        }
        return {"callback_query": query}

    # --- waiting for the bot -----------------------------------------------------------------------

    async def poke(self) -> None:
        """Wake whoever waits in wait_for, for a condition that changed outside this server."""
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Until `condition()` holds (checked after every call the bot makes); TimeoutError if not."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.chat_id == chat_id)
        ]

    def latest_with_buttons(self, chat_id: int) -> SentMessage | None:
        for message in reversed(self.chats.get(chat_id, [])):
            if message.keyboard:
                return message
        return None
