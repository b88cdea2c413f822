"""Whole conversations through the engine, in English and Finnish, for three different firms.

Each firm taps its way through the self-assessment exactly as shown on screen; the tests check
what the owner sees (progress, the plan, the chart, the file) and what is stored.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot import LANGS, Lang
from bot.assessment.planner import make_plan
from bot.assessment.present import plan_values
from bot.assessment.scoring import score
from bot.content.loader import Knowledge
from bot.engine.engine import Engine
from bot.events import Press, UserRef
from tests.chat_helpers import Chat, make_engine
from tests.companies import COMPANIES, Answers
from tests.profiles import HAIRDRESSER_SOLO

# What makes each firm's plan its own: the topic its first (pilot) step rests on.
PILOT_TOPIC = {
    "cafe": "choosing-channels",  # no presence, consumers: start on one channel
    "b2b": "pilot-first",  # an internal network nobody uses: restart it with one team
    "active": "rapid-experiments",  # already active: small, bold experiments
}


@pytest.fixture
def engine(knowledge: Knowledge, tmp_path: Path) -> Engine:
    return make_engine(knowledge, tmp_path / "adviser.sqlite3")


def _stored_answers(engine: Engine, key: str) -> Answers:
    with engine.store.transaction() as repo:
        (assessment,) = repo.assessments(key)
        return {k: row.choices for k, row in repo.answers(assessment.id).items() if row.final}


def _finish(engine: Engine, name: str, lang: Lang) -> Chat:
    chat = Chat(engine, UserRef(f"tg:{name}-{lang}", language_hint=lang))
    chat.command("start")
    chat.tap(engine.services.label(lang, "start_assessment"))
    asked = chat.answer_all(COMPANIES[name])
    expected = engine.services.steps.asked_for(COMPANIES[name])
    assert asked == [s.key for s in expected]  # every step it is asked once, in order
    return chat


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(COMPANIES))
def test_a_firm_answers_everything_and_gets_its_plan(
    engine: Engine, knowledge: Knowledge, name: str, lang: Lang
) -> None:
    answers = COMPANIES[name]
    chat = _finish(engine, name, lang)

    # Stored exactly as tapped, multi-choice answers included; what it was not asked, not at all.
    asked = {s.key for s in engine.services.steps.asked_for(answers)}
    assert _stored_answers(engine, chat.user.key) == {k: answers[k] for k in asked}

    # The results: a closing word, the plan, the radar chart and the plan as a file.
    assert chat.templates() == ["done", "plan", "checkin_offer"]
    plan_message = chat.messages()[1]
    assert plan_message.lang == lang
    result = score(knowledge.assessment, answers)
    plan = make_plan(knowledge, answers, result)
    assert plan_message.values == plan_values(knowledge, result, plan, lang)
    assert plan_message.values["steps"][0]["topic"] == PILOT_TOPIC[name]
    assert plan_message.values["steps"][0]["kind"] == "pilot"
    (photo,) = chat.photos()
    assert photo.png.startswith(b"\x89PNG\r\n\x1a\n")
    (document,) = chat.documents()
    markdown = document.content.decode()
    assert document.mime_type == "text/markdown"
    assert result.stage.name.of(lang) in chat.text()
    shown = chat.text()
    chat.tap(engine.services.label(lang, "whole_plan"))
    assert chat.templates() == ["plan_whole"]
    for number, step in enumerate(plan_message.values["steps"], start=1):
        assert step["title"] in markdown
        assert step["title"] in chat.text()  # the whole plan, one tap away
        assert (step["title"] in shown) == (number <= 3)  # the message: the first three


def test_the_three_firms_get_visibly_different_plans(engine: Engine) -> None:
    titles = {}
    for name in COMPANIES:
        chat = _finish(engine, name, "en")
        titles[name] = [s["title"] for s in chat.messages()[1].values["steps"]]
    cafe, b2b, active = titles["cafe"], titles["b2b"], titles["active"]
    assert cafe[0] != b2b[0] != active[0] != cafe[0]
    assert len(set(cafe) & set(b2b)) <= 2  # a shared step or two at most (rules, purpose)
    assert len(set(cafe) & set(active)) <= 2


@pytest.mark.parametrize("lang", LANGS)
def test_progress_is_shown_on_every_question(engine: Engine, lang: Lang) -> None:
    chat = Chat(engine, UserRef("tg:progress", language_hint=lang))
    chat.command("assess")
    everything = len(engine.services.steps.all)
    asked = len(engine.services.steps.asked_for(COMPANIES["cafe"]))  # once the profile is known
    profile = len(engine.services.knowledge.assessment.profile)
    word = {"en": "Question", "fi": "Kysymys"}[lang]
    for number in range(1, asked + 1):
        total = everything if number <= profile else asked
        assert f"{word} {number}/{total}" in chat.text()
        chat.answer(COMPANIES["cafe"][chat.current_step().key])
    assert chat.question() is None


def test_plan_shows_the_latest_plan_again_in_the_current_language(engine: Engine) -> None:
    chat = Chat(engine, UserRef("tg:again", language_hint="en"))
    chat.command("plan")
    assert chat.templates() == ["no_plan"]
    assert chat.button(engine.services.label("en", "start_assessment"))

    chat = _finish(engine, "b2b", "en")
    first = chat.messages()[1].values
    chat.command("plan")
    assert chat.templates() == ["plan"]
    assert chat.messages()[0].values == first
    assert len(chat.photos()) == 1 and len(chat.documents()) == 1

    chat.command("language", "fi")
    chat.command("plan")
    assert chat.messages()[0].lang == "fi"
    assert chat.messages()[0].values["steps"][0]["topic"] == first["steps"][0]["topic"]
    assert "Missä yrityksesi on nyt" in chat.text()


def test_a_new_assessment_keeps_the_earlier_ones_as_history(engine: Engine) -> None:
    chat = _finish(engine, "cafe", "en")
    chat.command("assess")
    chat.tap(engine.services.label("en", "afresh"))
    assert chat.question() is not None
    chat.answer_all(COMPANIES["active"])
    chat.command("plan")
    assert chat.messages()[0].values["steps"][0]["topic"] == PILOT_TOPIC["active"]
    with sqlite3.connect(engine.store.path) as conn:
        finished = conn.execute(
            "SELECT count(*) FROM assessments WHERE user_key = ? AND finished IS NOT NULL",
            (chat.user.key,),
        ).fetchone()[0]
        plans = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
    assert finished == 2 and plans == 2


def test_free_text_mid_assessment_is_answered_then_the_same_question_returns(
    engine: Engine,
) -> None:
    for lang, question in (
        ("en", "Which channel should my cafe start with on social media?"),
        ("fi", "Mistä somekanavasta kahvilan kannattaa aloittaa?"),
    ):
        chat = Chat(engine, UserRef(f"tg:curious-{lang}", language_hint=lang))
        chat.command("assess")
        for _ in range(4):
            chat.answer(COMPANIES["cafe"][chat.current_step().key])
        step = chat.current_step()
        chat.say(question)
        assert chat.templates()[0] in {"answer", "suggest"}
        assert chat.messages()[0].lang == lang
        assert chat.templates()[-1] == "question"
        assert chat.current_step() == step
        if chat.templates()[0] == "suggest":  # a "did you mean" button opens that topic
            chat.tap(chat.messages()[0].choices[0][0].label)
            assert chat.templates() == ["answer", "question"]
            assert chat.current_step() == step
        chat.answer(COMPANIES["cafe"][step.key])  # and the assessment carries on
        assert chat.current_step() != step


def test_a_question_outside_the_field_gets_a_guess_not_an_answer(engine: Engine) -> None:
    for lang, outside, inside in (
        (
            "en",
            "Who is the president of Finland?",
            "How much time does posting on Facebook take a week?",
        ),
        (
            "fi",
            "paljonko aikaa kuluu kaupan siivoukseen",
            "paljonko aikaa somettamiseen menee viikossa",
        ),
    ):
        chat = Chat(engine, UserRef(f"tg:van-{lang}", language_hint=lang))
        chat.say(outside)
        assert chat.templates() == ["suggest_outside"]
        assert chat.messages()[0].choices, "the topics it might have meant, to choose from"
        chat.say(inside)  # the same everyday words, naming the field: answered
        assert chat.templates() == ["answer"]


def test_a_follow_up_is_read_in_the_thread_of_the_last_answer(engine: Engine) -> None:
    """ "what about internal stuff?" right after an answer on channels asks about channels inside
    the firm; the thread is the topic's id, shown by /mydata and gone with /delete."""
    chat = Chat(engine, UserRef("tg:thread", language_hint="en"))
    chat.say("which social media channel should our cafe start with?")
    first = chat.messages()[0]
    assert first.template == "answer"
    chat.say("what about internal stuff?")
    follow_up = chat.messages()[0]
    assert follow_up.template == "answer"
    assert follow_up.values["title"] != first.values["title"]
    assert "internal" in follow_up.values["title"].casefold()
    chat.command("mydata")
    assert chat.messages()[0].values["last_topic"] == follow_up.values["title"]

    alone = Chat(engine, UserRef("tg:no-thread", language_hint="en"))
    alone.say("what about internal stuff?")
    assert alone.templates() != ["answer"], "without the thread it cannot be read"


def test_the_whole_plan_is_one_tap_away_and_an_old_plan_s_button_is_stale(engine: Engine) -> None:
    chat = _finish(engine, "cafe", "en")
    old = chat.button(engine.services.label("en", "whole_plan")).token
    chat.send(Press(old))
    assert chat.templates() == ["plan_whole"]
    whole = chat.text()
    assert "Your pilot's 90 days" in whole and "(Source: " in whole

    # A second assessment: the first plan's button no longer opens anything.
    chat.command("assess")
    chat.tap(engine.services.label("en", "afresh"))
    chat.answer_all(COMPANIES["active"])
    chat.send(Press(old))
    assert chat.templates() == ["stale_button"]
    chat.tap(engine.services.label("en", "whole_plan"))
    assert chat.templates() == ["plan_whole"] and chat.text() != whole


@pytest.mark.parametrize("lang", LANGS)
def test_a_plan_stored_by_an_earlier_version_still_shows_under_plan(
    engine: Engine, lang: Lang
) -> None:
    """Plans are stored as the words the user got; one stored before the plan's findings were
    kept apart (tests/data/plan_stored_by_0.1.json, written by that version) still renders."""
    stored = json.loads((Path(__file__).parent / "data" / "plan_stored_by_0.1.json").read_text())
    chat = Chat(engine, UserRef(f"tg:old-{lang}", language_hint=lang))
    chat.command("start")
    with engine.store.transaction() as repo:
        repo.ensure_user(chat.user.key, lang)
        assessment_id = repo.start_assessment(chat.user.key).id
        for key, choices in COMPANIES["cafe"].items():
            repo.put_answer(assessment_id, key, choices, final=True)
        repo.finish(assessment_id, stored)
    chat.command("plan")
    assert chat.templates() == ["plan"]
    steps = stored["values"][lang]["steps"]
    assert all(step["title"] in chat.text() for step in steps[:3])
    chat.tap(engine.services.label(lang, "whole_plan"))
    assert chat.templates() == ["plan_whole"]
    assert all(step["title"] in chat.text() and step["why"] in chat.text() for step in steps)


@pytest.mark.parametrize("lang", LANGS)
def test_a_one_person_firm_is_never_asked_about_its_staff(engine: Engine, lang: Lang) -> None:
    chat = Chat(engine, UserRef(f"tg:solo-{lang}", language_hint=lang))
    chat.command("assess")
    seen = chat.answer_all(HAIRDRESSER_SOLO)
    assert seen == [s.key for s in engine.services.steps.asked_for(HAIRDRESSER_SOLO)]
    assert {"pe_young", "in_info", "pu_shared", "importance:internal"}.isdisjoint(seen)
    assert chat.templates() == ["done", "plan", "checkin_offer"]


def test_changing_the_size_back_brings_the_staff_questions_back(engine: Engine) -> None:
    chat = Chat(engine, UserRef("tg:resize", language_hint="en"))
    chat.command("assess")
    profile = len(engine.services.knowledge.assessment.profile)
    for _ in range(profile):
        chat.answer(HAIRDRESSER_SOLO[chat.current_step().key])
    alone = int(chat.question().values["total"])  # type: ignore[union-attr]
    chat.answer(("vague",))  # pu_goal; then, alone, no "what would your staff say?"
    assert chat.current_step().key == "importance:purpose"
    for _ in range(profile + 1):  # back to the size question
        chat.tap(engine.services.label("en", "back"))
    assert chat.current_step().key == "size"
    chat.answer(("micro",))  # two to nine people after all
    while chat.current_step().key != "pu_goal":  # the rest of the profile, as it was
        if chat.current_step().multi:  # its selection is kept: confirm it
            chat.tap(engine.services.label("en", "done"))
        else:
            chat.answer(HAIRDRESSER_SOLO[chat.current_step().key])
    assert int(chat.question().values["total"]) > alone  # type: ignore[union-attr]
    chat.answer(("vague",))
    assert chat.current_step().key == "pu_shared"
