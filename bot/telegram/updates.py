"""Telegram updates as the engine's events: who is talking, and what they sent.

Only private chats reach the engine; in a group the bot answers when addressed (see handlers).
Button data is checked here before it goes anywhere: the engine's tokens are short printable
ASCII, so anything longer than Telegram's 64 bytes or with other characters is forged, and is
handed on as an empty press, which the engine answers like any button that no longer applies.
"""

from __future__ import annotations

import re

from telegram import Chat, Message, User
from telegram.constants import ChatType

from bot.engine.buttons import fits_telegram
from bot.events import Event, Press, Text, Unsupported, UserRef, parse_command

KEY_PREFIX = "tg:"  # the terminal's users are "cli:<name>", so the two never collide
FORGED = Press("")  # what a forged button becomes: no token of ours is empty
_TOKEN = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces
# What a message holds instead of text, in the order Telegram's clients show them.
_MEDIA = (
    "sticker",
    "photo",
    "video",
    "video_note",
    "voice",
    "audio",
    "animation",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
)


def user_ref(user: User) -> UserRef:
    """The user's key in the database, with their app's language as a hint for a new user."""
    return UserRef(f"{KEY_PREFIX}{user.id}", user.language_code)


def is_private(chat: Chat) -> bool:
    return chat.type == ChatType.PRIVATE


def message_event(message: Message) -> Event:
    """A private message as an event: a /command, text (or a caption), or something the adviser
    cannot read."""
    text = message.text
    if text is None and message.caption:
        # A photo or a file with a question written under it: the words are what to answer.
        return Text(message.caption)
    if text is None:
        return Unsupported(_media_kind(message))
    command = parse_command(text)
    return command[0] if command is not None else Text(text)


def press_event(data: str | None) -> Press:
    """A button press; data that cannot be one of the engine's tokens becomes FORGED."""
    if not data or not fits_telegram(data) or not _TOKEN.match(data):
        return FORGED
    return Press(data)


def addressed_in_group(message: Message, bot_username: str) -> bool:
    """In a group: is this message meant for the bot (a command for it, a mention, a reply)?

    Other group messages are none of the bot's business and get no answer at all.
    """
    text = message.text or message.caption or ""
    own = bot_username.lower()
    command = parse_command(text)
    if command is not None:
        addressee = command[1]
        return addressee is None or addressee.lower() == own
    if own and f"@{own}" in text.lower():
        return True
    replied = message.reply_to_message
    return bool(
        replied
        and replied.from_user
        and replied.from_user.username
        and replied.from_user.username.lower() == own
    )


def _media_kind(message: Message) -> str:
    for kind in _MEDIA:
        if getattr(message, kind, None):
            return kind
    return "other"
