"""Then and now: a second assessment shows the change per dimension since the first, calls a
change under one answer step "about the same", and its chart shows the earlier one beneath."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.assessment.compare import Change, answer_step, compare
from bot.assessment.scoring import score
from bot.content.loader import Knowledge
from bot.engine.engine import Engine
from bot.events import Message, Photo, UserRef
from tests.chat_helpers import Chat, make_engine
from tests.companies import ACTIVE, CAFE


@pytest.fixture
def engine(knowledge: Knowledge, tmp_path: Path) -> Engine:
    return make_engine(knowledge, tmp_path / "adviser.sqlite3")


def test_one_answer_step_is_the_smallest_move_one_answer_makes(knowledge: Knowledge) -> None:
    assessment = knowledge.assessment
    result = score(assessment, CAFE)
    for d in result.dimensions:
        if d.score is None:
            continue
        step = answer_step(assessment, CAFE, d.id)
        assert 0 < step <= 100
        # Moving one question one option up moves the score by at least the step (rounding aside).
        questions = [q for q in assessment.questions_of(d.id) if q.id in CAFE]
        question = questions[0]
        ordered = sorted(
            (o for o in question.options if o.score is not None), key=lambda o: o.score or 0
        )
        chosen = CAFE[question.id][0]
        index = next(i for i, o in enumerate(ordered) if o.id == chosen)
        if index + 1 < len(ordered):
            moved = {**CAFE, question.id: (ordered[index + 1].id,)}
            after = score(assessment, moved).dimension(d.id).score
            assert after is not None and d.score is not None
            assert after - d.score >= round(step) - 1


def test_a_change_under_one_step_is_about_the_same(knowledge: Knowledge) -> None:
    dimension = knowledge.assessment.dimensions[0]
    assert Change(dimension, 40, 45, 8.3, 1.0).trend == "same"
    assert Change(dimension, 40, 49, 8.3, 1.0).trend == "up"
    assert Change(dimension, 40, 30, 8.3, 1.0).trend == "down"
    # A dimension the firm is asked one question of: one answer step is 50 points, yet a move
    # of 29 is not "about the same" (36 -> 65 was, when a cafe re-answered as a one-person firm).
    assert Change(dimension, 36, 65, 50.0, 1.0).trend == "up"
    assert Change(dimension, 36, 45, 50.0, 1.0).trend == "same"


def test_the_changes_come_most_important_first(knowledge: Knowledge) -> None:
    result = score(knowledge.assessment, ACTIVE)
    before = {d.id: 0 for d in result.dimensions}
    changes = compare(knowledge.assessment, before, result, ACTIVE)
    moved = [c for c in changes if c.trend != "same"]
    weights = [c.importance for c in moved]
    assert weights == sorted(weights, reverse=True)
    # A real move comes before one that is "about the same", whatever their importance.
    assert changes[: len(moved)] == moved
    cafe = score(knowledge.assessment, CAFE)
    same = {d.id: d.score for d in cafe.dimensions}
    grown = {**same, "rules": 0}  # only one dimension moved, one that matters less
    mixed = compare(knowledge.assessment, grown, cafe, CAFE)
    assert mixed[0].dimension.id == "rules" and mixed[0].trend == "up"


def test_a_second_assessment_shows_then_and_now(engine: Engine) -> None:
    chat = Chat(engine, UserRef("tg:again", language_hint="en"))
    chat.command("assess")
    chat.answer_all(CAFE)
    first = next(m for m in chat.messages() if m.template == "plan")
    assert first.values["since"] is None  # nothing to compare with yet
    first_chart = next(r for r in chat.replies if isinstance(r, Photo))

    chat.command("assess")
    chat.tap(engine.services.label("en", "afresh"))
    chat.answer_all(ACTIVE)
    plan = next(m for m in chat.messages() if m.template == "plan")
    since = plan.values["since"]
    assert since is not None and since["changes"]
    before = engine.services.knowledge.assessment
    cafe, active = score(before, CAFE), score(before, ACTIVE)
    for change in since["changes"]:
        dimension = next(d for d in active.dimensions if d.dimension.name.en == change["name"])
        assert change["before"] == cafe.dimension(dimension.id).score
        assert change["after"] == dimension.score
    assert any(c["trend"] == "up" for c in since["changes"])  # the active firm has grown
    text = chat.renderer.text(plan)
    assert f"Since your assessment of {since['date']}" in text
    assert len(text) <= 1400  # still a phone-sized message with the three largest changes

    # The chart shows both: the same result drawn with the earlier one beneath is another picture.
    from bot.assessment.chart import radar_png

    photos = [r for r in chat.replies if isinstance(r, Photo)]
    alone = radar_png(active, before, "en")
    assert photos and photos[0].png != alone and photos[0].png != first_chart.png
    # The plan again (/plan) still compares with the assessment before it.
    chat.command("plan")
    again = next(m for m in chat.messages() if isinstance(m, Message) and m.template == "plan")
    assert again.values["since"] == since


def test_a_second_assessment_can_start_from_the_earlier_answers(engine: Engine) -> None:
    chat = Chat(engine, UserRef("tg:keep", language_hint="en"))
    chat.command("assess")
    chat.answer_all(CAFE)
    label = engine.services.label

    chat.command("assess")
    assert chat.templates() == ["assess_again"]
    chat.tap(label("en", "from_earlier"))
    # Each question shows what the firm answered last time, and the rest can be kept in one tap.
    question = chat.question()
    assert question is not None and question.values["step"] == "size"
    size = engine.services.steps.by_key("size")
    assert size is not None
    micro = size.option("micro")
    assert micro is not None and question.values["earlier"] == micro.label.en
    chat.tap(micro.label.en)  # kept as it was
    step = chat.current_step()
    assert step.key == "customers"
    both = step.option("both")
    assert both is not None
    chat.tap(both.label.en)  # the one thing that changed: businesses buy too now
    chat.tap(label("en", "keep_rest"))
    assert "plan" in chat.templates()

    with engine.store.reading() as repo:
        first, second = repo.assessments("tg:keep")
        kept = {k: r.choices for k, r in repo.answers(second.id).items() if r.final}
    assert second.started_from == first.id
    expected = {**CAFE, "customers": ("both",)}
    asked = {s.key for s in engine.services.steps.asked_for(expected)}
    assert kept == {k: v for k, v in expected.items() if k in asked}
    # An old "start from my earlier answers" button does not start another one.
    chat.tap(label("en", "from_earlier"))
    assert [m.notice for m in chat.messages()] == [True]


def test_starting_afresh_after_an_assessment_shows_no_earlier_answers(engine: Engine) -> None:
    chat = Chat(engine, UserRef("tg:fresh", language_hint="fi"))
    chat.command("assess")
    chat.answer_all(CAFE)
    chat.command("assess")
    chat.tap(engine.services.label("fi", "afresh"))
    question = chat.question()
    assert question is not None and question.values["earlier"] is None
    labels = [c.label for row in question.choices for c in row]
    assert engine.services.label("fi", "keep_rest") not in labels
