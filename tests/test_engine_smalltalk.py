"""Greetings, thanks and goodbyes get a reply in kind, not "that's outside my field"."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import LANGS, Lang
from bot.content.loader import Knowledge
from bot.engine.engine import Engine
from bot.events import UserRef
from tests.chat_helpers import Chat, make_engine, snapshot
from tests.companies import CAFE


@pytest.fixture
def engine(knowledge: Knowledge, tmp_path: Path) -> Engine:
    return make_engine(knowledge, tmp_path / "adviser.sqlite3")


@pytest.mark.parametrize(
    ("lang", "said", "template"),
    [
        ("en", "Hi!", "welcome"),
        ("en", "what can you do?", "welcome"),
        ("fi", "moi moi", "welcome"),  # a repeated word is still a greeting
        ("fi", "Mitä sä osaat?", "welcome"),
        ("en", "Thanks a lot :)", "smalltalk_thanks"),
        ("fi", "kiitos!", "smalltalk_thanks"),
        ("en", "bye", "smalltalk_goodbye"),
        ("fi", "hei hei", "smalltalk_goodbye"),  # "hei" is hello, "hei hei" goodbye
        # Several phrases in one message: a goodbye decides, else the thanks.
        ("en", "thanks, that helps", "smalltalk_thanks"),
        ("en", "ok thanks, bye", "smalltalk_goodbye"),
        ("fi", "kiitos paljon, tämä auttoi", "smalltalk_thanks"),
        ("fi", "selvä, kiitos ja näkemiin", "smalltalk_goodbye"),
        ("en", "thank you so much, that helped", "smalltalk_thanks"),
        ("fi", "kiitos, tästä oli apua", "smalltalk_thanks"),
        ("fi", "ok kiitos tosi paljon", "smalltalk_thanks"),
        ("en", "ok thanks very much", "smalltalk_thanks"),
        ("en", "cheers mate", "smalltalk_thanks"),
        ("en", "thanks, this was helpful!", "smalltalk_thanks"),
        # An introduction ending in "can you help?" asks what the adviser does: the welcome.
        (
            "fi",
            "Moi, meillä on pieni kampaamo ja kaksi työntekijää. Voitko auttaa somessa?",
            "welcome",
        ),
        (
            "en",
            "Hi, I run a small bakery with 3 staff. Can you help me with social media?",
            "welcome",
        ),
        ("fi", "Hei! Mistä aloitan?", "welcome"),
        ("fi", "Meillä on kahdeksan hengen tilitoimisto. Mistä kannattaisi aloittaa?", "welcome"),
        ("en", "We are a café with two part-timers. Where should we start?", "welcome"),
    ],
)
def test_small_talk_from_a_new_user(engine: Engine, lang: Lang, said: str, template: str) -> None:
    chat = Chat(engine, UserRef("tg:new", language_hint=lang))
    before = snapshot(engine.store.path)
    chat.say(said)
    assert chat.templates() == [template]
    assert all(m.lang == lang for m in chat.messages())
    assert snapshot(engine.store.path) == before  # saying hello stores nothing


@pytest.mark.parametrize("lang", LANGS)
def test_thanks_mid_assessment_brings_the_question_back(engine: Engine, lang: Lang) -> None:
    chat = Chat(engine, UserRef("tg:mid", language_hint=lang))
    chat.command("assess")
    chat.answer(CAFE[chat.current_step().key])
    step = chat.current_step()
    before = snapshot(engine.store.path)
    chat.say({"en": "ok thanks", "fi": "okei kiitos"}[lang])
    assert chat.templates() == ["smalltalk_thanks", "question"]
    assert chat.current_step() == step
    assert snapshot(engine.store.path) == before


@pytest.mark.parametrize("lang", LANGS)
def test_goodbye_mid_assessment_says_it_waits(engine: Engine, lang: Lang) -> None:
    chat = Chat(engine, UserRef("tg:bye", language_hint=lang))
    chat.command("assess")
    chat.say({"en": "goodbye", "fi": "näkemiin"}[lang])
    assert chat.templates() == ["smalltalk_goodbye"]
    assert {"en": "where you left it", "fi": "mihin jäit"}[lang] in chat.text()
    assert "/assess" in chat.text()


@pytest.mark.parametrize("lang", LANGS)
def test_goodbye_with_a_paused_assessment_says_it_waits(engine: Engine, lang: Lang) -> None:
    """A paused assessment is kept and /assess carries it on: not "start one"."""
    chat = Chat(engine, UserRef("tg:paused-bye", language_hint=lang))
    chat.command("assess")
    chat.command("cancel")
    chat.say({"en": "bye", "fi": "hei hei"}[lang])
    assert chat.templates()[-1] == "smalltalk_goodbye"
    assert {"en": "where you left it", "fi": "mihin jäit"}[lang] in chat.text()


@pytest.mark.parametrize(("lang", "saved"), [("en", "saved"), ("fi", "tallessa")])
def test_goodbye_says_only_what_is_true_for_this_user(
    engine: Engine, lang: Lang, saved: str
) -> None:
    """A tester: "Everything you've told me is saved" startles someone who only asked questions,
    and /plan shows nothing to one who has none."""
    asker = Chat(engine, UserRef("tg:asker", language_hint=lang))
    asker.say(
        {"en": "how often should a cafe post?", "fi": "kuinka usein kahvilan kannattaa julkaista?"}[
            lang
        ]
    )
    asker.say({"en": "bye", "fi": "hei hei"}[lang])
    assert asker.templates()[-1] == "smalltalk_goodbye"
    assert saved not in asker.text() and "/plan" not in asker.text()
    assert "/assess" in asker.text()
    planner = Chat(engine, UserRef("tg:planner", language_hint=lang))
    planner.command("assess")
    planner.answer_all(CAFE)
    planner.say({"en": "bye", "fi": "hei hei"}[lang])
    assert planner.templates() == ["smalltalk_goodbye"]
    assert saved in planner.text() and "/plan" in planner.text()


def test_thanks_with_anything_else_in_it_is_a_question(engine: Engine) -> None:
    chat = Chat(engine, UserRef("tg:asks", language_hint="en"))
    chat.say("thanks, how often should a cafe post?")
    assert chat.templates()[0] in {"answer", "suggest"}


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "hi, which channel should a café start with?"),
        ("fi", "moi, mikä somekanava kannattaa valita kahvilalle?"),
        ("en", "thanks, and is LinkedIn worth it for a B2B software firm?"),
    ],
)
def test_a_greeting_with_a_question_is_a_question(engine: Engine, lang: Lang, said: str) -> None:
    chat = Chat(engine, UserRef("tg:q", language_hint=lang))
    chat.say(said)
    assert chat.templates() == ["answer"]


@pytest.mark.parametrize(("lang", "said"), [("en", "I don't know"), ("fi", "miksi kysyt tätä?")])
def test_unsure_at_a_question_explains_it_and_asks_again(
    engine: Engine, lang: Lang, said: str
) -> None:
    chat = Chat(engine, UserRef("tg:unsure", language_hint=lang))
    chat.command("assess")
    while chat.current_step().section == "profile":  # on to the first scored question
        chat.answer(CAFE[chat.current_step().key])
    step = chat.current_step()
    before = snapshot(engine.store.path)
    chat.say(said)
    assert chat.templates() == ["question_help", "question"]
    assert step.dimension is not None and step.dimension.name.of(lang) in chat.texts()[0]
    assert chat.current_step() == step
    assert snapshot(engine.store.path) == before


@pytest.mark.parametrize("lang", LANGS)
def test_unsure_without_an_open_question_is_an_ordinary_message(engine: Engine, lang: Lang) -> None:
    chat = Chat(engine, UserRef("tg:nothing-open", language_hint=lang))
    chat.say({"en": "I don't know", "fi": "en tiedä"}[lang])
    assert "question_help" not in chat.templates()


@pytest.mark.parametrize(
    ("lang", "said", "topic"),
    [
        ("en", "We want to start a podcast for our firm. Where should we start?", "podcast"),
        ("fi", "Haluamme aloittaa podcastin. Mistä kannattaa aloittaa?", "podcast"),
    ],
)
def test_where_to_start_with_a_subject_is_answered_on_the_subject(
    engine: Engine, knowledge: Knowledge, lang: Lang, said: str, topic: str
) -> None:
    chat = Chat(engine, UserRef("tg:new", language_hint=lang))
    chat.say(said)
    assert chat.templates() == ["answer"]
    assert knowledge.topics[topic].of(lang).title in chat.text()
