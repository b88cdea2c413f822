"""The engine's replies as Telegram messages, photos and documents.

- Texts are the templates rendered as Telegram HTML (escaped by the renderer), split at
  paragraph or line breaks when longer than Telegram allows.
- Choices become an inline keyboard under the message (under its last piece, if split).
- A reply marked `replaces_pressed` is shown by editing the message whose button was pressed,
  so that answering a question turns that message into the next one.
- Texts ready at the same time go as one message (an answer, and the question the user was at
  beneath it): one request per reply, not one per piece. Telegram's 30 messages a second are
  the bot's budget, and the fewer a reply costs the more users it serves.
- A press on an older copy of a message (one further up the chat) is answered with a new
  message, not by editing that copy: the next question must come at the bottom, where the user
  looks. Which message is the chat's latest is kept in memory only; after a restart the pressed
  message is edited, as it nearly always is the latest.
- Earlier keyboards are left as they are. Removing the one an answer repeats cost a second
  request for most replies (1.75 a reply, in the reliability review); its buttons still work
  while its question is the current one, and afterwards a press on them only gets a notice on
  the button ("from an earlier step"), so nothing is lost by keeping them.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.engine.buttons import MAX_TOKEN_BYTES, fits_telegram
from bot.events import Choice, Document, Forgotten, Message, Photo, Reply
from bot.render import Renderer
from bot.telegram.pacing import BACKGROUND, Pacing
from bot.telegram.retry import RetryPolicy, with_retries
from bot.telegram.split import CAPTION_LIMIT, split_html, telegram_length

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # answers cite reports, not web pages
NOTICE_LIMIT = 200  # characters Telegram shows in a button's notice
_ACK = RetryPolicy(attempts=2)  # an acknowledgement is only worth it within seconds
_TRACKED_CHATS = 100_000  # chats whose latest message id is remembered (a few MB at most)


def keyboard(rows: Sequence[Sequence[Choice]]) -> InlineKeyboardMarkup | None:
    """The choices as an inline keyboard; a button whose token Telegram would refuse is left out."""
    buttons: list[list[InlineKeyboardButton]] = []
    for row in rows:
        kept = []
        for choice in row:
            if not fits_telegram(choice.token):
                log.error("left out a button whose data is over %d bytes", MAX_TOKEN_BYTES)
                continue
            kept.append(InlineKeyboardButton(choice.label, callback_data=choice.token))
        if kept:
            buttons.append(kept)
    return InlineKeyboardMarkup(buttons) if buttons else None


@dataclass(frozen=True)
class _Together:
    """Texts sent as one message: the first may replace the pressed message, the last has the
    buttons."""

    messages: tuple[Message, ...]


def together(replies: Sequence[Reply]) -> list[Reply | _Together]:
    """Consecutive texts joined while only the last has buttons and only the first edits."""
    joined: list[Reply | _Together] = []
    run: list[Message] = []
    for reply in replies:
        joins = (
            isinstance(reply, Message)
            and run
            and not run[-1].choices
            and not reply.replaces_pressed
        )
        if joins:
            assert isinstance(reply, Message)
            run.append(reply)
            continue
        if run:
            joined.append(_Together(tuple(run)))
            run = []
        if isinstance(reply, Message):
            run.append(reply)
        else:
            joined.append(reply)
    if run:
        joined.append(_Together(tuple(run)))
    return joined


async def _runs(
    replies: Iterable[Reply] | AsyncIterable[Sequence[Reply]],
) -> AsyncIterator[Sequence[Reply]]:
    if isinstance(replies, AsyncIterable):
        async for run in replies:
            yield run
    else:
        yield list(replies)


class Delivery(Enum):
    SENT = "sent"
    FAILED = "failed"  # some reply could not be sent, even after retries
    BLOCKED = "blocked"  # the user has blocked the bot


@dataclass
class _Batch:
    """What happened while one batch of replies was sent."""

    pressed: int | None  # the message whose button was pressed, if any
    replaced: bool = False  # it has been edited into a reply
    background: bool = False  # nobody is waiting for it (a check-in): paced behind replies


class Sender:
    def __init__(
        self,
        bot: ExtBot[Any],  # ExtBot: its sends take rate_limit_args (pacing.BACKGROUND)
        renderer: Renderer,
        policy: RetryPolicy | None = None,
        pacing: Pacing | None = None,
    ) -> None:
        self.bot = bot
        self.renderer = renderer
        self.policy = policy or RetryPolicy()
        self.pacing = pacing
        self._latest: OrderedDict[int, int] = OrderedDict()  # chat id: its latest message's id

    async def typing(self, chat_id: int) -> None:
        """Show "typing..." (for about five seconds, or until the next message), unless the
        bot's sending rate is full: a courtesy must not take a reply's place."""
        if self.pacing is not None and self.pacing.busy():
            return
        try:
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:  # only a courtesy: never worth a retry or a failure
            log.debug("typing action failed: %s", type(exc).__name__)

    async def acknowledge(self, query: CallbackQuery, notice: Message | None) -> None:
        """Stop the button's spinner, with the notice on the button if there is one."""
        text = self.renderer.text(notice).strip()[:NOTICE_LIMIT] if notice is not None else None
        try:
            await with_retries("answerCallbackQuery", lambda: query.answer(text), _ACK)
        except TelegramError as exc:  # too late (over 15 s) or gone: the reply still follows
            log.warning("a button press could not be acknowledged: %s", type(exc).__name__)

    async def deliver(
        self,
        chat_id: int,
        replies: Iterable[Reply] | AsyncIterable[Sequence[Reply]],
        pressed: int | None = None,
        *,
        background: bool = False,
    ) -> Delivery:
        """Send the replies in order: a list at once, or runs of them as each is ready (the plan
        text, then its chart when drawn). `pressed` is the message whose button was pressed.

        A reply that cannot be sent even after retries is logged and the rest still go out.
        The answer: SENT, FAILED if any reply could not be sent, BLOCKED if the user has blocked
        the bot (then nothing more is tried).
        """
        latest = self._latest.get(chat_id)
        if pressed is not None and latest is not None and pressed != latest:
            pressed = None  # an older copy was pressed: what follows goes to the bottom
        batch = _Batch(pressed, background=background)
        outcome = Delivery.SENT
        async for run in _runs(replies):
            for reply in together(run):
                try:
                    await self._one(chat_id, reply, batch)
                except Forbidden:
                    log.info("a user has blocked the bot; replies not sent")
                    return Delivery.BLOCKED
                except TelegramError as exc:
                    log.error("could not send a %s: %s", _kind(reply), type(exc).__name__)
                    outcome = Delivery.FAILED
                except Exception:  # a bug (a template that fails): the other replies still go
                    log.exception("could not prepare a %s", _kind(reply))
                    outcome = Delivery.FAILED
        return outcome

    async def _one(self, chat_id: int, reply: Reply | _Together, batch: _Batch) -> None:
        if isinstance(reply, _Together):
            await self._texts(chat_id, reply.messages, batch)
        elif isinstance(reply, Message):
            await self._texts(chat_id, (reply,), batch)
        elif isinstance(reply, Photo):
            await self._file(
                chat_id, "photo", reply.png, reply.filename, "image/png", reply.caption, batch
            )
        elif isinstance(reply, Forgotten):
            return  # Telegram keeps the chat; the bot keeps nothing outside the database
        elif isinstance(reply, Document):
            await self._file(
                chat_id,
                "document",
                reply.content,
                reply.filename,
                reply.mime_type,
                reply.caption,
                batch,
            )

    # --- texts ---------------------------------------------------------------------------------

    async def _texts(self, chat_id: int, messages: Sequence[Message], batch: _Batch) -> None:
        html = "\n\n".join(self.renderer.html(m) for m in messages)
        pieces = split_html(html)
        markup = keyboard(messages[-1].choices)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            piece_markup = markup if last else None
            edit = (
                batch.pressed
                if (i == 0 and messages[0].replaces_pressed and not batch.replaced)
                else None
            )
            if edit is not None and await self._edit(chat_id, edit, piece, piece_markup):
                batch.replaced = True
            else:
                # Only with our pacing: without a rate limiter the library would send the
                # argument to Telegram as a parameter.
                lane = BACKGROUND if batch.background and self.pacing is not None else None
                await self._send_text(chat_id, piece, piece_markup, lane)

    def _sent(self, chat_id: int, message_id: int) -> None:
        self._latest[chat_id] = message_id
        self._latest.move_to_end(chat_id)
        if len(self._latest) > _TRACKED_CHATS:
            self._latest.popitem(last=False)

    async def _send_text(
        self, chat_id: int, html: str, markup: InlineKeyboardMarkup | None, lane: str | None
    ) -> None:
        sent = await with_retries(
            "sendMessage",
            lambda: self.bot.send_message(
                chat_id,
                html,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
                rate_limit_args=lane,
            ),
            self.policy,
        )
        self._sent(chat_id, sent.message_id)

    async def _edit(
        self, chat_id: int, message_id: int, html: str, markup: InlineKeyboardMarkup | None
    ) -> bool:
        """Edit the pressed message; False if Telegram will not (too old, deleted): send anew."""
        try:
            await with_retries(
                "editMessageText",
                lambda: self.bot.edit_message_text(
                    html,
                    chat_id=chat_id,
                    message_id=message_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=NO_PREVIEW,
                ),
                self.policy,
            )
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True  # it already shows exactly this (a press repeated, a retry that landed)
            log.info("could not edit the pressed message (%s); sending a new one", exc.message)
            return False
        return True

    # --- photos and documents -------------------------------------------------------------------

    async def _file(
        self,
        chat_id: int,
        kind: str,
        content: bytes,
        filename: str,
        mime_type: str,
        caption: Message | None,
        batch: _Batch,
    ) -> None:
        html = self.renderer.html(caption) if caption is not None else None
        fits = html is not None and telegram_length(html) <= CAPTION_LIMIT
        markup = keyboard(caption.choices) if caption is not None and fits else None

        def upload() -> InputFile:
            file = InputFile(content, filename=filename)
            file.mimetype = mime_type
            return file

        send, method = (
            (self.bot.send_photo, "sendPhoto")
            if kind == "photo"
            else (self.bot.send_document, "sendDocument")
        )
        sent = await with_retries(
            method,
            lambda: send(
                chat_id,
                upload(),
                caption=html if fits else None,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            ),
            self.policy,
        )
        self._sent(chat_id, sent.message_id)
        if caption is not None and not fits:  # too long for a caption: the text follows
            await self._texts(chat_id, (replace(caption, replaces_pressed=False),), batch)


def _kind(reply: Reply | _Together) -> str:
    return "Message" if isinstance(reply, _Together) else type(reply).__name__
