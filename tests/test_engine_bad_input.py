"""Bad input: each gets a clear, friendly reply in the user's language and changes nothing stored.

Every case runs in English and Finnish, mid-assessment (where the question must come back, so
the user is never stuck) and, where it makes sense, with nothing under way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot import LANGS, Lang
from bot.content.loader import Knowledge
from bot.engine.buttons import MAX_TOKEN_BYTES
from bot.engine.engine import Engine
from bot.events import Press, UserRef
from tests.chat_helpers import Chat, make_engine, snapshot
from tests.companies import CAFE

SHORT_NON_ANSWER = {"en": "ok sure", "fi": "joo kyllä kai"}

# Each case: (name, what the user sends, the template of the friendly reply)
CASES: list[tuple[str, Callable[[Chat, Lang], object], str]] = [
    ("unknown command", lambda c, lang: c.command("frobnicate"), "unknown_command"),
    ("unknown command with args", lambda c, lang: c.command("Sudo", "rm -rf /"), "unknown_command"),
    ("text for a button", lambda c, lang: c.say(SHORT_NON_ANSWER[lang]), "expected_button"),
    ("a bare number", lambda c, lang: c.say("7"), "expected_button"),
    ("an empty line", lambda c, lang: c.say(""), "empty_message"),
    ("only spaces", lambda c, lang: c.say("   \t "), "empty_message"),
    ("10,000 characters", lambda c, lang: c.say("facebook " * 1111 + "x"), "too_long"),
    ("emoji only", lambda c, lang: c.say("👍🎉🙈"), "no_words"),
    ("punctuation only", lambda c, lang: c.say("?!?..."), "no_words"),
    ("a sticker", lambda c, lang: c.unsupported("sticker"), "unsupported"),
    ("a voice message", lambda c, lang: c.unsupported("voice"), "unsupported"),
]


@pytest.fixture
def engine(knowledge: Knowledge, tmp_path: Path) -> Engine:
    return make_engine(knowledge, tmp_path / "adviser.sqlite3")


def _mid_assessment(engine: Engine, lang: Lang, answered: int = 5) -> Chat:
    chat = Chat(engine, UserRef(f"tg:bad-{lang}", language_hint=lang))
    chat.command("assess")
    for _ in range(answered):
        chat.answer(CAFE[chat.current_step().key])
    return chat


def _assert_friendly_and_unchanged(
    chat: Chat, engine: Engine, before: object, template: str, lang: Lang
) -> None:
    assert chat.templates()[0] == template
    assert all(m.lang == lang for m in chat.messages())
    first = chat.texts()[0]
    assert 20 < len(first) < 600  # a sentence or two, not an error dump or a wall of text
    assert "Traceback" not in first
    assert snapshot(engine.store.path) == before


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("case", "send", "template"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_mid_assessment(
    engine: Engine,
    lang: Lang,
    case: str,
    send: Callable[[Chat, Lang], object],
    template: str,
) -> None:
    chat = _mid_assessment(engine, lang)
    step = chat.current_step()
    before = snapshot(engine.store.path)
    send(chat, lang)
    _assert_friendly_and_unchanged(chat, engine, before, template, lang)
    assert chat.templates()[-1] == "question"  # the question comes back: never stuck
    assert chat.current_step() == step


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("case", "send", "template"),
    [c for c in CASES if c[2] not in {"expected_button"}],
    ids=[c[0] for c in CASES if c[2] not in {"expected_button"}],
)
def test_bad_input_from_a_new_user_stores_nothing(
    engine: Engine,
    lang: Lang,
    case: str,
    send: Callable[[Chat, Lang], object],
    template: str,
) -> None:
    chat = Chat(engine, UserRef("tg:new", language_hint=lang))
    before = snapshot(engine.store.path)
    send(chat, lang)
    _assert_friendly_and_unchanged(chat, engine, before, template, lang)
    assert "question" not in chat.templates()


@pytest.mark.parametrize("lang", LANGS)
def test_a_button_of_an_answered_question_is_stale(engine: Engine, lang: Lang) -> None:
    chat = _mid_assessment(engine, lang, answered=0)
    first = chat.current_step()
    old_label = first.options[1].label.of(lang)
    chat.answer(CAFE[first.key])
    step = chat.current_step()
    before = snapshot(engine.store.path)
    chat.tap(old_label)  # the first question's button, still visible higher up in the chat
    _assert_friendly_and_unchanged(chat, engine, before, "stale_button", lang)
    assert chat.current_step() == step


@pytest.mark.parametrize("lang", LANGS)
def test_back_pressed_twice_on_the_same_message_acts_once(engine: Engine, lang: Lang) -> None:
    chat = _mid_assessment(engine, lang, answered=3)
    back = chat.button(engine.services.label(lang, "back"))
    chat.send(Press(back.token))
    assert chat.current_step().key == engine.services.steps.all[2].key
    before = snapshot(engine.store.path)
    chat.send(Press(back.token))
    _assert_friendly_and_unchanged(chat, engine, before, "stale_button", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_buttons_of_a_finished_assessment_are_stale(engine: Engine, lang: Lang) -> None:
    chat = _mid_assessment(engine, lang, answered=0)
    chat.answer_all(CAFE)
    shown = list(chat.buttons)  # every button of the finished assessment
    before = snapshot(engine.store.path)
    for choice in shown[::7]:
        chat.send(Press(choice.token))
        _assert_friendly_and_unchanged(chat, engine, before, "stale_button", lang)
        assert chat.question() is None  # nothing under way, so no question to bring back


@pytest.mark.parametrize("lang", LANGS)
def test_forged_buttons_change_nothing(engine: Engine, lang: Lang) -> None:
    chat = _mid_assessment(engine, lang)
    step = chat.current_step()
    real = chat.button(step.options[0].label.of(lang)).token
    body, _, mac = real.rpartition("~")
    stranger = Chat(engine, UserRef("tg:stranger", language_hint="en"))
    stranger.command("assess")
    theirs = stranger.buttons[0].token
    forged = [
        "",
        "hello",
        "a.1.size.micro",  # well formed but unsigned
        f"{body}~{'A' * len(mac)}",  # a wrong signature
        f"{body.rsplit('.', 1)[0]}.{step.options[-1].id}~{mac}",  # another option, same mac
        real + "x",
        theirs,  # a genuine button of another user
        "x.yes~AAAAAAAA",
        "topic:no-such-topic",  # the unsigned scheme of an earlier version
        "t.no-such-topic",  # unsigned
        f"t.facebook~{mac}",  # another button's signature
        "ä" * 200,
        "~" * MAX_TOKEN_BYTES,
    ]
    before = snapshot(engine.store.path)
    for token in forged:
        chat.send(Press(token))
        _assert_friendly_and_unchanged(chat, engine, before, "stale_button", lang)
        assert chat.current_step() == step


def test_tokens_fit_telegrams_64_bytes(engine: Engine) -> None:
    chat = Chat(engine, UserRef("tg:" + "9" * 20, language_hint="fi"))
    chat.command("start")
    chat.command("assess")
    chat.answer_all(CAFE)
    chat.command("delete")
    chat.command("language")
    assert chat.buttons
    assert all(len(c.token.encode()) <= MAX_TOKEN_BYTES for c in chat.buttons)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("fi", "meillä on whatsapp-ryhmä"),
        ("fi", "facebook ja instagram"),
        ("en", "we have a whatsapp group"),
        ("en", "facebook and instagram"),
    ],
)
def test_a_short_statement_at_a_question_is_taken_as_a_try_at_answering(
    engine: Engine, lang: Lang, said: str
) -> None:
    """Not answered with a topic about something else: the buttons are pointed at, and the
    question comes back, nothing stored."""
    chat = _mid_assessment(engine, lang)
    step = chat.current_step()
    before = snapshot(engine.store.path)
    chat.say(said)
    _assert_friendly_and_unchanged(chat, engine, before, "expected_button", lang)
    assert chat.templates()[-1] == "question" and chat.current_step() == step


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "how often should we post?"),
        ("en", "tell me more about internal tools"),  # a request, though no question mark
        ("fi", "kerro lisää sisäisestä viestinnästä"),
    ],
)
def test_a_short_question_or_request_at_a_question_is_still_answered(
    engine: Engine, lang: Lang, said: str
) -> None:
    chat = _mid_assessment(engine, lang)
    chat.say(said)
    assert chat.templates()[0] in {"answer", "suggest"}
