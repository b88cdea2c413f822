"""The result of answering one question, before it is put into words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot import Lang
from bot.content.models import Topic

Outcome = Literal["answer", "suggest", "out_of_scope"]


@dataclass(frozen=True)
class Answer:
    question: str
    lang: Lang
    outcome: Outcome
    topic: Topic | None  # set only when outcome == "answer"
    suggestions: tuple[str, ...]  # topic ids: "did you mean" choices, or a menu when out of scope
    confidence: float  # 0..1: how sure the adviser is that `topic` (or the best guess) is right
    # True when an answer was held back because the question named nothing of the adviser's
    # field (knowledge/scope.yaml): the suggestions are a guess, not close readings.
    outside_field: bool = False
    # Who does answer a question next to the field (knowledge/referrals.yaml), when it is one.
    referral: str | None = None
