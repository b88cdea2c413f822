"""Splitting a long Telegram HTML text into messages of at most 4,096 characters.

Cuts fall at a paragraph break if there is one in the second half of the piece, else at a line
break, else between words, and only in a hard-to-read text without spaces mid-word. A cut never
falls inside a tag or an entity (`&amp;`); a tag open at a cut (`<b>`) is closed at the end of
the piece and opened again at the start of the next, so every piece is valid HTML on its own.
"""

from __future__ import annotations

import re

MESSAGE_LIMIT = 4096  # Telegram's limit for a message's text
CAPTION_LIMIT = 1024  # ... and for a photo's or a document's caption
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
_SELF_CLOSING = frozenset({"br"})  # not in Telegram's HTML; listed so that it cannot misnest
_CLOSING_ROOM = 64  # room kept at the end of a piece for the closing tags


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The text in pieces that each fit in `limit`. Counts markup too, so pieces stay under it."""
    text = text.strip()
    pieces: list[str] = []
    while telegram_length(text) > limit:
        cut = _cut(text, limit - _CLOSING_ROOM)
        head, tail = text[:cut].rstrip(), text[cut:].lstrip()
        if not _TAG.sub("", head).strip():
            # Only tags fit (a link thousands of characters long, reopened at each piece):
            # cutting there would never get on. Keep the words, drop the markup, and go on.
            text = _TAG.sub("", text)
            continue
        still_open = _open_tags(head)
        closing = "".join(f"</{name}>" for name, _ in reversed(still_open))
        if head:
            pieces.append(head + closing)
        text = "".join(opening for _, opening in still_open) + tail
    if text:
        pieces.append(text)
    return pieces


def _cut(text: str, room: int) -> int:
    """Where to cut: the best boundary among the first `room` UTF-16 units of the text."""
    end = _index_for_length(text, room)
    window = text[:end]
    half = end // 2
    for separator in ("\n\n", "\n", " "):
        at = window.rfind(separator)
        while at > 0 and _inside_markup(text, at):
            at = window.rfind(separator, 0, at)
        if at >= half or (separator == " " and at > 0):
            return at
    # No space at all: cut mid-word, stepping back out of any tag or entity.
    at = end
    while at > 0 and _inside_markup(text, at):
        at -= 1
    return at if at > 0 else end


def _index_for_length(text: str, units: int) -> int:
    """The largest index i such that text[:i] is at most `units` UTF-16 units long."""
    count = 0
    for i, char in enumerate(text):
        count += 2 if ord(char) > 0xFFFF else 1
        if count > units:
            return i
    return len(text)


def _inside_markup(text: str, at: int) -> bool:
    """True if position `at` lies inside a tag (`<a href="x y">`) or an entity (`&amp;`)."""
    before = text[:at]
    if before.rfind("<") > before.rfind(">"):
        return True
    amp = before.rfind("&")
    return (
        amp != -1 and ";" not in before[amp:] and re.fullmatch(r"&#?\w*", before[amp:]) is not None
    )


def _open_tags(html: str) -> list[tuple[str, str]]:
    """The tags open at the end of `html`, outermost first: (name, the opening tag as written)."""
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(html):
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name in _SELF_CLOSING:
            continue
        if not closing:
            stack.append((name, match.group(0)))
            continue
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                del stack[i:]
                break
    return stack
