"""What adapters hand to the engine (events) and what the engine hands back (replies).

Adapters translate only: a Telegram update or a terminal line becomes an Event; each Reply becomes
a Telegram message, photo or document, or printed text. Texts travel as a template name and its
values, so that each adapter renders them in its own format (plain text or Telegram HTML).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot import Lang


@dataclass(frozen=True)
class UserRef:
    """Who is talking. `key` is namespaced by adapter ("tg:123", "cli:local") so ids never collide."""

    key: str
    language_hint: str | None = None  # e.g. Telegram's language_code, used for a new user


# --- events ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    name: str  # without the slash, lower case: "start", "assess"
    args: str = ""


# "/name args" or, in Telegram, "/name@bot args": one grammar for every adapter. Any name is a
# command (an unknown one is answered as such), so a typed "/ääni" is not taken for a question.
_COMMAND = re.compile(r"^/([^\s@]+)(?:@(\S*))?(?:\s+(.*))?$", re.DOTALL)


def parse_command(text: str) -> tuple[Command, str | None] | None:
    """The command a line is, and the bot it names after "@" (None when it names none)."""
    found = _COMMAND.match(text.strip())
    if found is None:
        return None
    return Command(found.group(1).casefold(), (found.group(3) or "").strip()), found.group(2)


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Press:
    """A button press; `token` is the button's compact data, which may be stale or forged."""

    token: str


@dataclass(frozen=True)
class Unsupported:
    """Anything the adviser cannot read: a sticker, a photo, a voice message."""

    kind: str


Event = Command | Text | Press | Unsupported


# --- replies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    label: str  # already in the user's language, plain text
    token: str  # at most 64 bytes (Telegram's callback_data limit)


@dataclass(frozen=True)
class Message:
    lang: Lang
    template: str  # e.g. "answer", rendered from bot/templates/<lang>/<template>.j2
    values: Mapping[str, Any] = field(default_factory=dict)
    choices: tuple[tuple[Choice, ...], ...] = ()  # rows of buttons
    replaces_pressed: bool = False  # show in place of the message whose button was pressed
    # A short word about the button just pressed ("already chosen", "from an earlier step"):
    # Telegram shows it on the button itself, so a double tap adds nothing to the chat.
    notice: bool = False


@dataclass(frozen=True)
class Photo:
    png: bytes
    filename: str
    caption: Message | None = None


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    mime_type: str
    caption: Message | None = None


@dataclass(frozen=True)
class Forgotten:
    """The user's data was deleted: the adapter removes whatever it keeps of them (files)."""


Reply = Message | Photo | Document | Forgotten
