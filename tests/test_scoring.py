"""Scores per dimension (0-100), how much each matters, the overall score and the stage."""

from __future__ import annotations

import pytest

from bot.assessment.profile import Answers
from bot.assessment.scoring import importance_key, score
from bot.content.assessment_models import Assessment
from bot.content.loader import Knowledge
from tests.companies import ACTIVE, B2B, CAFE, COMPANIES

# A firm with staff, on social media already: asked every question.
PROFILE: Answers = {"size": ("micro",), "customers": ("consumers",), "channels": ("facebook",)}


def every_question(assessment: Assessment, pick: int) -> dict[str, tuple[str, ...]]:
    """The option at position `pick` (0: the first, -1: the last) of every scored question."""
    return {q.id: (q.options[pick].id,) for q in assessment.questions}


def test_all_lowest_answers_score_zero_at_the_first_stage(knowledge: Knowledge) -> None:
    assessment = knowledge.assessment
    result = score(assessment, {**PROFILE, **every_question(assessment, 0)})
    assert [d.score for d in result.dimensions] == [0] * len(assessment.dimensions)
    assert result.overall == 0
    assert result.stage == assessment.stages[0]


def test_all_highest_answers_score_100_at_the_last_stage(knowledge: Knowledge) -> None:
    assessment = knowledge.assessment
    result = score(assessment, {**PROFILE, **every_question(assessment, -1)})
    assert [d.score for d in result.dimensions] == [100] * len(assessment.dimensions)
    assert result.overall == 100
    assert result.stage == assessment.stages[-1]
    assert all(d.gap == 0 and d.need == 0 for d in result.dimensions)


def test_skipped_importance_counts_as_the_default(knowledge: Knowledge) -> None:
    assessment = knowledge.assessment
    default = assessment.importance_option(assessment.default_importance)
    assert default is not None
    answers = dict(CAFE)
    skipped = assessment.dimensions[0].id
    del answers[importance_key(skipped)]
    result = score(assessment, answers)
    dimension = result.dimension(skipped)
    assert dimension.importance_option is None
    assert dimension.importance == default.score
    others = [d for d in result.dimensions if d.id != skipped and d.score is not None]
    assert all(d.importance_option is not None for d in others)


def test_importance_weighs_the_gap(knowledge: Knowledge) -> None:
    assessment = knowledge.assessment
    low, high = assessment.importance_options[0], assessment.importance_options[-1]
    dimension = assessment.dimensions[1].id
    base = {**PROFILE, **every_question(assessment, 0)}
    result_low = score(assessment, {**base, importance_key(dimension): (low.id,)})
    result_high = score(assessment, {**base, importance_key(dimension): (high.id,)})
    assert result_low.dimension(dimension).score == result_high.dimension(dimension).score
    assert result_low.dimension(dimension).need < result_high.dimension(dimension).need
    assert result_high.dimension(dimension).need == pytest.approx(high.score)


def test_one_answer_changes_only_its_own_dimension(knowledge: Knowledge) -> None:
    assessment = knowledge.assessment
    lowest = {**PROFILE, **every_question(assessment, 0)}
    question = assessment.questions[0]
    changed = score(assessment, {**lowest, question.id: (question.options[-1].id,)})
    asked = len(assessment.questions_of(question.dimension or ""))
    expected = {d.id: 0 for d in assessment.dimensions}
    expected[question.dimension or ""] = round(100 / asked)
    assert {d.id: d.score for d in changed.dimensions} == expected


def test_unanswered_and_unknown_answers_do_not_count(knowledge: Knowledge) -> None:
    """A stale option id (from an older assessment) or a missing answer is not a zero."""
    assessment = knowledge.assessment
    question = assessment.questions[0]
    siblings = assessment.questions_of(question.dimension or "")
    answers: Answers = {
        **PROFILE,
        **{q.id: (q.options[-1].id,) for q in siblings[1:]},
        question.id: ("no_such_option",),
    }
    result = score(assessment, answers)
    dimension = result.dimension(question.dimension or "")
    assert dimension.score == 100
    assert dimension.answered == len(siblings) - 1
    assert score(assessment, {}).overall == 0


def test_none_of_these_is_dropped_when_channels_are_chosen_too(knowledge: Knowledge) -> None:
    result = score(knowledge.assessment, {**CAFE, "channels": ("facebook", "none")})
    assert result.profile["channels"] == ("facebook",)
    assert score(knowledge.assessment, CAFE).profile["channels"] == ("none",)


def test_the_stage_matches_the_overall_score(knowledge: Knowledge) -> None:
    stages = knowledge.assessment.stages
    for answers in COMPANIES.values():
        result = score(knowledge.assessment, answers)
        position = stages.index(result.stage)
        assert stages[position].min_score <= result.overall
        if position + 1 < len(stages):
            assert result.overall < stages[position + 1].min_score


def test_the_three_companies_stand_where_you_would_expect(knowledge: Knowledge) -> None:
    cafe, b2b, active = (score(knowledge.assessment, a) for a in (CAFE, B2B, ACTIVE))
    assert cafe.overall < b2b.overall < active.overall
    assert cafe.stage == knowledge.assessment.stages[0]
    assert knowledge.assessment.stages.index(active.stage) >= 2
    # The café is on no channel, so only "where are your customers?" was asked (a hunch); the
    # active firm is strongest there.
    assert cafe.dimension("presence").score == 30
    assert cafe.dimension("presence").answered == 1
    assert active.dimension("presence").score == max(d.score or 0 for d in active.dimensions)
    # The B2B firm's unused internal network shows as its weakest spot but one.
    internal, presence = b2b.dimension("internal").score, b2b.dimension("presence").score
    assert internal is not None and presence is not None and internal < presence
