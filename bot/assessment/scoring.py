"""From answers to scores: each dimension 0-100, how much it matters, the overall stage.

Answers map a step key to the chosen option ids: a question's id ("pu_goal": ("vague",)), and for
each dimension's importance question `importance_key(dimension_id)`. Anything missing or unknown
counts as not answered, so a partial or outdated set of answers still scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from statistics import fmean

from bot.assessment.profile import Answers, Profile, chosen_options
from bot.content.assessment_models import Assessment, Dimension, Stage

IMPORTANCE_PREFIX = "importance:"  # cannot clash with a question id ([a-z0-9_] only)


def importance_key(dimension_id: str) -> str:
    """The answers key of the question "how much does this dimension matter to you now?"."""
    return IMPORTANCE_PREFIX + dimension_id


@dataclass(frozen=True)
class DimensionScore:
    dimension: Dimension
    # 0 (nothing in place) .. 100 (well established); None when none of its questions applies
    # to the firm (a one-person firm's internal collaboration): it counts for nothing.
    score: int | None
    importance: float  # the weight of the importance answer, 0..1 (the default when skipped)
    importance_option: str | None  # the importance option chosen; None when skipped
    answered: int  # how many of the dimension's questions were answered

    @property
    def id(self) -> str:
        return self.dimension.id

    @property
    def gap(self) -> float:
        """How far from well established, 0..1 (0 for a dimension that does not apply)."""
        return 0.0 if self.score is None else (100 - self.score) / 100

    @property
    def need(self) -> float:
        """Gap weighted by importance, 0..1: what the plan ranks its steps by."""
        return self.gap * self.importance


@dataclass(frozen=True)
class Result:
    dimensions: tuple[DimensionScore, ...]  # in the assessment's order
    overall: int  # the mean of the scores of the dimensions that apply, 0..100
    stage: Stage
    profile: Mapping[str, tuple[str, ...]]  # profile question id -> chosen option ids

    def dimension(self, dimension_id: str) -> DimensionScore:
        for scored in self.dimensions:
            if scored.id == dimension_id:
                return scored
        raise KeyError(dimension_id)


def score(assessment: Assessment, answers: Answers) -> Result:
    default = assessment.importance_option(assessment.default_importance)
    assert default is not None and default.score is not None  # checked by the loader
    profile = Profile.of(assessment, answers)
    scored: list[DimensionScore] = []
    exact: list[float] = []
    for dimension in assessment.dimensions:
        values: list[float] = []
        asked = [q for q in assessment.questions_of(dimension.id) if profile.asks(q)]
        for question in asked:
            chosen = chosen_options(question, answers)
            option = question.option(chosen[0]) if chosen else None
            if option is not None and option.score is not None:
                values.append(option.score)
        value = 100 * fmean(values) if values else 0.0
        if asked:
            exact.append(value)
        # How much a dimension matters is asked only with its questions.
        picked = answers.get(importance_key(dimension.id), ()) if asked else ()
        importance = next((o for o in assessment.importance_options if o.id in picked), None)
        weight = importance.score if importance is not None else None
        scored.append(
            DimensionScore(
                dimension=dimension,
                score=round(value) if asked else None,
                importance=weight if weight is not None else default.score,
                importance_option=importance.id if importance is not None else None,
                answered=len(values),
            )
        )
    overall = round(fmean(exact)) if exact else 0
    stage = assessment.stages[0]
    for candidate in assessment.stages:
        if overall >= candidate.min_score:
            stage = candidate
    return Result(
        dimensions=tuple(scored),
        overall=overall,
        stage=stage,
        profile=dict(profile.chosen),
    )
