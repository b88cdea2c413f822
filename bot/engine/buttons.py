"""Button tokens: compact (at most 64 bytes, Telegram's callback_data limit) and checked.

A token is `kind.field.field...~mac`. The mac is a short HMAC over the user's key and the rest,
with a key kept in the database, so a token typed by hand, altered, or taken from another user's
chat is recognised as forged. Whether a genuine token still applies (is its question the current
one?) is decided by the engine against the store, never by the token alone.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

MAX_TOKEN_BYTES = 64
_MAC_BYTES = 6  # 48 bits, 8 characters: enough to make guessing hopeless for a chat button
_SEP = "."
_MAC_SEP = "~"

# What a token asks for. Fields after the kind are listed beside each.
ANSWER = "a"  # assessment id, step, option id; for a multi-choice option "+" select, "-" unselect
DONE = "d"  # assessment id, step: a multi-choice selection is complete
BACK = "b"  # assessment id, step shown: go back to the step before it
PAUSE = "p"  # assessment id
RESUME = "r"  # assessment id: continue where the user was
RESTART = "n"  # assessment id: abandon it and start a new assessment
MENU = "m"  # what: "assess", "ask", "plan", "help", "language"
LANGUAGE = "l"  # "en" or "fi"
DELETE = "x"  # "yes" or "no"
WHOLE_PLAN = "w"  # assessment id: every step of that plan, the findings and the 30/60/90 days


class TokenTooLong(ValueError):
    """A token over 64 bytes: a content id is too long for Telegram's button data."""


@dataclass(frozen=True)
class Token:
    kind: str
    fields: tuple[str, ...]

    def field(self, position: int) -> str | None:
        return self.fields[position] if position < len(self.fields) else None


class Buttons:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, user_key: str, body: str) -> str:
        digest = hmac.new(self._key, f"{user_key}\n{body}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:_MAC_BYTES]).decode("ascii")

    def token(self, user_key: str, kind: str, *fields: object) -> str:
        body = _SEP.join((kind, *(str(f) for f in fields)))
        token = f"{body}{_MAC_SEP}{self._mac(user_key, body)}"
        if len(token.encode()) > MAX_TOKEN_BYTES:
            raise TokenTooLong(f"button token over {MAX_TOKEN_BYTES} bytes: {token!r}")
        return token

    def read(self, user_key: str, token: str) -> Token | None:
        """The token's meaning if it is one of ours for this user; None if forged or garbled."""
        if len(token.encode("utf-8", "replace")) > MAX_TOKEN_BYTES:
            return None
        body, sep, mac = token.rpartition(_MAC_SEP)
        if not sep or not hmac.compare_digest(mac.encode(), self._mac(user_key, body).encode()):
            return None
        kind, *fields = body.split(_SEP)
        return Token(kind, tuple(fields))
