"""Then and now: a new assessment beside the firm's previous one, dimension by dimension.

A change is called progress (or a step back) only when it is at least one answer step: the
smallest move one answer of that dimension can make (one option up, in one question of the
questions it asked). Anything smaller is "about the same", so a firm that answered one question
a little differently is not told it has grown. The changes are listed most important first:
real moves before "about the same" (a plan showing three unchanged dimensions and not the one
that grew by 20 hides the news), then the dimensions that matter most to the firm (its
importance answers), then the largest moves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from bot.assessment.profile import Answers, Profile
from bot.assessment.scoring import Result
from bot.content.assessment_models import Assessment, Dimension

Trend = Literal["up", "down", "same"]

# A move of this many points is never "about the same", even where one answer step is larger:
# a dimension of a single question, or a profile that now asks other questions of it.
SAME_BELOW = 10


@dataclass(frozen=True)
class Change:
    dimension: Dimension
    before: int
    after: int
    step: float  # one answer step in this dimension, in score points
    importance: float

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def trend(self) -> Trend:
        if abs(self.delta) < min(self.step, SAME_BELOW):
            return "same"
        return "up" if self.delta > 0 else "down"


def answer_step(assessment: Assessment, answers: Answers, dimension_id: str) -> float:
    """The smallest score change one answer can make in the dimension, as the firm was asked."""
    return _answer_step(assessment, Profile.of(assessment, answers), dimension_id)


def _answer_step(assessment: Assessment, profile: Profile, dimension_id: str) -> float:
    asked = [q for q in assessment.questions_of(dimension_id) if profile.asks(q)]
    gaps = []
    for question in asked:
        scores = sorted({o.score for o in question.options if o.score is not None})
        gaps += [b - a for a, b in pairwise(scores) if b > a]
    if not asked or not gaps:
        return 100.0
    return 100 * min(gaps) / len(asked)


def compare(
    assessment: Assessment, before: Mapping[str, int | None], after: Result, answers: Answers
) -> list[Change]:
    """The dimensions scored both times, most important first (see the module's note)."""
    profile = Profile.of(assessment, answers)
    changes = [
        Change(d.dimension, old, d.score, _answer_step(assessment, profile, d.id), d.importance)
        for d in after.dimensions
        if d.score is not None and (old := before.get(d.id)) is not None
    ]
    return sorted(changes, key=lambda c: (c.trend == "same", -c.importance, -abs(c.delta)))
