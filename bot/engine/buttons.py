"""Buttons: one small typed class per kind, packed into compact signed tokens and read back.

A token is `kind.field.field...~mac` (at most 64 bytes, Telegram's callback_data limit). The mac
is a short HMAC over the user's key and the rest, with a key kept in the database, so a token
typed by hand, altered, or taken from another user's chat is recognised as forged. Whether a
genuine button still applies (is its question the current one?) is decided by the engine against
the store, never by the token alone.

Packing and reading happen here only: the rest of the engine sees `AnswerButton(assessment=3,
step="size", option="micro")`, never a position in a token.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, ClassVar

MAX_TOKEN_BYTES = 64
_MAC_BYTES = 6  # 48 bits, 8 characters: enough to make guessing hopeless for a chat button
_SEP = "."
_MAC_SEP = "~"
_SELECT, _UNSELECT = "+", "-"


def fits_telegram(token: str) -> bool:
    """Telegram refuses button data over 64 bytes (UTF-8)."""
    return len(token.encode("utf-8", "replace")) <= MAX_TOKEN_BYTES


@dataclass(frozen=True)
class AnswerButton:
    """An option of a question. A multi-choice option says whether it selects or unselects, so
    a double tap does not undo itself; `select` is None for a single-choice question."""

    KIND: ClassVar[str] = "a"
    assessment: int
    step: str
    option: str
    select: bool | None = None


@dataclass(frozen=True)
class DoneButton:
    """A multi-choice selection is complete."""

    KIND: ClassVar[str] = "d"
    assessment: int
    step: str


@dataclass(frozen=True)
class BackButton:
    """Go back to the question before the one shown (`step`)."""

    KIND: ClassVar[str] = "b"
    assessment: int
    step: str


@dataclass(frozen=True)
class PauseButton:
    KIND: ClassVar[str] = "p"
    assessment: int


@dataclass(frozen=True)
class ResumeButton:
    """Continue where the user was."""

    KIND: ClassVar[str] = "r"
    assessment: int


@dataclass(frozen=True)
class RestartButton:
    """Abandon the assessment (kept as history) and start a new one."""

    KIND: ClassVar[str] = "n"
    assessment: int


@dataclass(frozen=True)
class StartButton:
    """Begin a new assessment: afresh (`earlier` 0) or from the answers of that earlier one."""

    KIND: ClassVar[str] = "s"
    earlier: int


@dataclass(frozen=True)
class KeepRestButton:
    """In an assessment started from earlier answers: keep every remaining earlier answer."""

    KIND: ClassVar[str] = "e"
    assessment: int


@dataclass(frozen=True)
class MenuButton:
    KIND: ClassVar[str] = "m"
    choice: str  # "assess", "ask", "plan", "help", "language"


@dataclass(frozen=True)
class LanguageButton:
    KIND: ClassVar[str] = "l"
    lang: str  # "en" or "fi"; checked by the command, as any input is


@dataclass(frozen=True)
class DeleteButton:
    """The answer to "delete everything?"; a yes carries the one-time code of its question."""

    KIND: ClassVar[str] = "x"
    answer: str  # "yes" or "no"
    code: str | None = None


@dataclass(frozen=True)
class WholePlanButton:
    """Every step of that assessment's plan, the findings and the 30/60/90 days."""

    KIND: ClassVar[str] = "w"
    assessment: int


@dataclass(frozen=True)
class CheckinOfferButton:
    """The answer to "shall I check in on your pilot?" for that assessment's plan."""

    KIND: ClassVar[str] = "c"
    assessment: int
    answer: str  # "yes", "no", or "stop" (on a check-in: no more of them)


@dataclass(frozen=True)
class CheckinAnswerButton:
    """An answer at a check-in: to "how is it going?" ("status") or to an effect question."""

    KIND: ClassVar[str] = "k"
    checkin: int
    question: str
    answer: str


@dataclass(frozen=True)
class CheckinPickButton:
    """A "choose all that apply" survey question at a check-in. The selection travels in the
    button itself (`picked`, one bit an option, as it will be after the press), so nothing is
    stored until "Done" (`done`), and a double tap or an old message cannot store half a choice."""

    KIND: ClassVar[str] = "g"
    checkin: int
    question: str
    picked: int
    done: bool | None = None


@dataclass(frozen=True)
class TopicButton:
    """A related topic under an answer."""

    KIND: ClassVar[str] = "t"
    topic: str


Button = (
    AnswerButton
    | DoneButton
    | BackButton
    | PauseButton
    | ResumeButton
    | RestartButton
    | StartButton
    | KeepRestButton
    | MenuButton
    | LanguageButton
    | DeleteButton
    | WholePlanButton
    | CheckinOfferButton
    | CheckinAnswerButton
    | CheckinPickButton
    | TopicButton
)
_KINDS: dict[str, type[Button]] = {
    kind.KIND: kind
    for kind in (
        AnswerButton,
        DoneButton,
        BackButton,
        PauseButton,
        ResumeButton,
        RestartButton,
        StartButton,
        KeepRestButton,
        MenuButton,
        LanguageButton,
        DeleteButton,
        WholePlanButton,
        CheckinOfferButton,
        CheckinAnswerButton,
        CheckinPickButton,
        TopicButton,
    )
}


class TokenTooLong(ValueError):
    """A token over 64 bytes: a content id is too long for Telegram's button data."""


def _pack(button: Button) -> str:
    fields: list[str] = [button.KIND]
    for spec in dataclasses.fields(button):
        value = getattr(button, spec.name)
        if value is None:
            break  # optional fields come last, and are left off when not given
        if isinstance(value, bool):
            fields.append(_SELECT if value else _UNSELECT)
        else:
            fields.append(str(value))
    return _SEP.join(fields)


def _unpack(body: str) -> Button | None:
    kind, *values = body.split(_SEP)
    cls = _KINDS.get(kind)
    if cls is None:
        return None
    specs = dataclasses.fields(cls)
    required = sum(1 for s in specs if s.default is dataclasses.MISSING)
    if not required <= len(values) <= len(specs):
        return None
    parsed: dict[str, Any] = {}
    for spec, raw in zip(specs, values, strict=False):
        kind_of_field = str(spec.type)
        if kind_of_field == "int":
            if not raw.isdigit():
                return None
            parsed[spec.name] = int(raw)
        elif kind_of_field.startswith("bool"):
            if raw not in (_SELECT, _UNSELECT):
                return None
            parsed[spec.name] = raw == _SELECT
        else:
            parsed[spec.name] = raw
    return cls(**parsed)


class Buttons:
    """Signs buttons for a user and reads them back; the key lives in the database."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _mac(self, user_key: str, body: str) -> str:
        digest = hmac.new(self._key, f"{user_key}\n{body}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:_MAC_BYTES]).decode("ascii")

    def token(self, user_key: str, button: Button) -> str:
        body = _pack(button)
        token = f"{body}{_MAC_SEP}{self._mac(user_key, body)}"
        if not fits_telegram(token):
            raise TokenTooLong(f"button token over {MAX_TOKEN_BYTES} bytes: {token!r}")
        return token

    def read(self, user_key: str, token: str) -> Button | None:
        """The button if the token is one of ours for this user; None if forged or garbled."""
        if not fits_telegram(token):
            return None
        body, sep, mac = token.rpartition(_MAC_SEP)
        if not sep or not hmac.compare_digest(mac.encode(), self._mac(user_key, body).encode()):
            return None
        return _unpack(body)
