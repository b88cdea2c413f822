"""The engine's replies as Telegram messages, photos and documents.

- Texts are the templates rendered as Telegram HTML (escaped by the renderer), split at
  paragraph or line breaks when longer than Telegram allows.
- Choices become an inline keyboard under the message (under its last piece, if split).
- A reply marked `replaces_pressed` is shown by editing the message whose button was pressed,
  so that answering a question turns that message into the next one.
- When the same buttons are shown again (the current question, after a side trip to a question
  in free text), the earlier copy loses them, so that only one copy can be pressed. Which message
  that was lives in memory only; after a restart an old copy may keep its buttons, and the
  engine answers their presses as stale. Buttons that differ (related topics under answers)
  stay: they still work, and removing them would cost a request per answer.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.engine.buttons import MAX_TOKEN_BYTES
from bot.engine.events import Choice, Document, Forgotten, Message, Photo, Reply
from bot.render import Renderer
from bot.telegram.retry import RetryPolicy, with_retries
from bot.telegram.split import CAPTION_LIMIT, split_html, telegram_length

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # answers cite reports, not web pages
_CLEANUP = RetryPolicy(attempts=2)  # removing an old keyboard is cosmetic: try, but not for long
_TRACKED_CHATS = 100_000  # chats whose latest keyboard message is remembered (a few MB at most)


@dataclass(frozen=True)
class _Shown:
    """A message shown with buttons, and what its buttons send."""

    message_id: int
    buttons: tuple[str, ...]

    @classmethod
    def of(cls, message_id: int, markup: InlineKeyboardMarkup) -> _Shown:
        data = (b.callback_data for row in markup.inline_keyboard for b in row)
        return cls(message_id, tuple(str(d) for d in data))


def keyboard(rows: Sequence[Sequence[Choice]]) -> InlineKeyboardMarkup | None:
    """The choices as an inline keyboard; a button whose token Telegram would refuse is left out."""
    buttons: list[list[InlineKeyboardButton]] = []
    for row in rows:
        kept = []
        for choice in row:
            if len(choice.token.encode()) > MAX_TOKEN_BYTES:
                log.error("left out a button whose data is over %d bytes", MAX_TOKEN_BYTES)
                continue
            kept.append(InlineKeyboardButton(choice.label, callback_data=choice.token))
        if kept:
            buttons.append(kept)
    return InlineKeyboardMarkup(buttons) if buttons else None


async def _each(replies: Iterable[Reply] | AsyncIterable[Reply]) -> AsyncIterator[Reply]:
    if isinstance(replies, AsyncIterable):
        async for reply in replies:
            yield reply
    else:
        for reply in replies:
            yield reply


@dataclass
class _Batch:
    """What happened while one batch of replies was sent."""

    pressed: int | None  # the message whose button was pressed, if any
    replaced: bool = False  # it has been edited into a reply
    keyboards: list[_Shown] = field(default_factory=list)  # messages shown with buttons


class Sender:
    def __init__(self, bot: Bot, renderer: Renderer, policy: RetryPolicy | None = None) -> None:
        self.bot = bot
        self.renderer = renderer
        self.policy = policy or RetryPolicy()
        self._latest_keyboard: OrderedDict[int, _Shown] = OrderedDict()  # by chat id

    async def typing(self, chat_id: int) -> None:
        """Show "typing..." (for about five seconds, or until the next message)."""
        try:
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:  # only a courtesy: never worth a retry or a failure
            log.debug("typing action failed: %s", type(exc).__name__)

    async def deliver(
        self,
        chat_id: int,
        replies: Iterable[Reply] | AsyncIterable[Reply],
        pressed: int | None = None,
    ) -> None:
        """Send the replies in order, each as soon as it is there; `pressed` is the message id
        whose button was pressed.

        A reply that cannot be sent even after retries is logged and the rest still go out;
        if the user has blocked the bot, nothing more is tried.
        """
        batch = _Batch(pressed)
        async for reply in _each(replies):
            try:
                await self._one(chat_id, reply, batch)
            except Forbidden:
                log.info("a user has blocked the bot; replies not sent")
                return
            except TelegramError as exc:
                log.error("could not send a %s: %s", type(reply).__name__, type(exc).__name__)
            except Exception:  # a bug (a template that fails): the other replies still go
                log.exception("could not prepare a %s", type(reply).__name__)
        await self._tidy_keyboards(chat_id, batch)

    async def _one(self, chat_id: int, reply: Reply, batch: _Batch) -> None:
        if isinstance(reply, Message):
            await self._message(chat_id, reply, batch)
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

    async def _message(self, chat_id: int, message: Message, batch: _Batch) -> None:
        pieces = split_html(self.renderer.html(message))
        markup = keyboard(message.choices)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            piece_markup = markup if last else None
            edit = (
                batch.pressed
                if (i == 0 and message.replaces_pressed and not batch.replaced)
                else None
            )
            if edit is not None and await self._edit(chat_id, edit, piece, piece_markup):
                batch.replaced = True
                message_id = edit
            else:
                message_id = await self._send_text(chat_id, piece, piece_markup)
            if piece_markup is not None:
                batch.keyboards.append(_Shown.of(message_id, piece_markup))

    async def _send_text(self, chat_id: int, html: str, markup: InlineKeyboardMarkup | None) -> int:
        sent = await with_retries(
            "sendMessage",
            lambda: self.bot.send_message(
                chat_id,
                html,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=NO_PREVIEW,
            ),
            self.policy,
        )
        return sent.message_id

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
        if markup is not None:
            batch.keyboards.append(_Shown.of(sent.message_id, markup))
        if caption is not None and not fits:  # too long for a caption: the text follows
            await self._message(chat_id, caption, batch)

    # --- old keyboards -------------------------------------------------------------------------

    async def _tidy_keyboards(self, chat_id: int, batch: _Batch) -> None:
        if not batch.keyboards:
            return
        previous = self._latest_keyboard.get(chat_id)
        if previous is not None and any(
            shown.buttons == previous.buttons and shown.message_id != previous.message_id
            for shown in batch.keyboards
        ):
            await self._remove_keyboard(chat_id, previous.message_id)  # shown again below
        self._latest_keyboard[chat_id] = batch.keyboards[-1]
        self._latest_keyboard.move_to_end(chat_id)
        if len(self._latest_keyboard) > _TRACKED_CHATS:
            self._latest_keyboard.popitem(last=False)

    async def _remove_keyboard(self, chat_id: int, message_id: int) -> None:
        try:
            await with_retries(
                "editMessageReplyMarkup",
                lambda: self.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None),
                _CLEANUP,
            )
        except TelegramError as exc:  # gone, too old, or already without buttons: all fine
            log.debug("old keyboard not removed: %s", type(exc).__name__)
