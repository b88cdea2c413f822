"""The Telegram bot end to end: the real python-telegram-bot Application polling the fake Bot API.

What a user sees is compared with the engine's own templates, rendered for the same values, so
these tests check that the adapter shows exactly what the engine means, in the right language.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.engine.buttons import AnswerButton, LanguageButton, MenuButton, TopicButton
from bot.engine.steps import Steps
from bot.events import Choice, Message, Text, UserRef
from bot.render import Renderer
from bot.telegram.send import Sender
from tests.companies import CAFE
from tests.telegram.fake_api import BOT_USERNAME, FakeTelegram, SentMessage
from tests.telegram.harness import RunningBot, User, parse_token, running_bot


def shown(bot: RunningBot, lang: str, template: str, **values: Any) -> str:
    """What a template says for these values, as the user reads it."""
    return bot.adviser.renderer.text(Message(lang, template, values))  # type: ignore[arg-type]


def snapshot(bot: RunningBot, user: User) -> dict[str, Any] | None:
    """Everything stored about the user (what /mydata shows), to prove a step changed nothing."""
    with bot.adviser.store.transaction() as repo:
        found = repo.export_user(f"tg:{user.user_id}")
    if found is not None:  # when they were last seen changes with every press: a sign of life
        found["user"].pop("last_seen", None)
    return found


def button(message: SentMessage, kind: str, *fields: str) -> str:
    """The data of the message's button of this kind (and leading fields)."""
    for data in message.data():
        token_kind, token_fields = parse_token(data)
        if token_kind == kind and tuple(token_fields[: len(fields)]) == fields:
            return data
    raise AssertionError(f"no {kind} button {fields} in {message.data()}")


def number_shown(message: SentMessage) -> int:
    """The question number in the bold "Question 5/26" (or "Kysymys 5/26") heading."""
    found = re.search(r"<b>[^<]*?(\d+)/\d+</b>", message.html)
    assert found, message.text
    return int(found.group(1))


async def start_assessment(user: User) -> SentMessage:
    await user.say("/start")
    welcome = user.chat[-1]
    await user.press(welcome, button(welcome, MenuButton.KIND, "assess"))
    return user.question()


# --- starting -------------------------------------------------------------------------------------


async def test_start_greets_in_the_language_of_the_users_app(bot: RunningBot) -> None:
    english, finnish = User(bot, 101, "en-GB"), User(bot, 102, "fi")
    await english.say("/start")
    await finnish.say("/start")
    values = {"in_progress": False, "number": 0, "total": 0, "has_plan": False}
    assert english.chat[-1].text == shown(bot, "en", "welcome", **values)
    assert finnish.chat[-1].text == shown(bot, "fi", "welcome", **values)
    assert english.chat[-1].keyboard and finnish.chat[-1].keyboard
    assert english.chat[-1].html != finnish.chat[-1].html


async def test_the_command_menu_is_set_in_english_and_finnish(bot: RunningBot) -> None:
    menus = bot.server.commands
    assert set(menus) == {None, "fi"}  # None: every client without a menu of its own
    english = {c["command"]: c["description"] for c in menus[None]}
    finnish = {c["command"]: c["description"] for c in menus["fi"]}
    assert english.keys() == finnish.keys() >= {"start", "assess", "plan", "language", "help"}
    assert all(english[name] != finnish[name] for name in english)


# --- the assessment by button presses ----------------------------------------------------------------


async def test_a_full_assessment_by_presses_edits_one_message_and_ends_with_the_plan(
    server: FakeTelegram, db_path: Path
) -> None:
    # typing_after=0: "typing..." is shown whenever the engine is not instantly done.
    async with running_bot(server, db_path, typing_after=0) as bot:
        steps = Steps(bot.adviser.knowledge.assessment)
        user = User(bot, 201)
        question = await start_assessment(user)
        numbers = []
        while any(parse_token(d)[0] == AnswerButton.KIND for d in user.chat[-1].data()):
            numbers.append(number_shown(user.question()))
            await user.answer(steps, CAFE)

    # One message turned into each next question in turn; no new message per question.
    asked = steps.asked_for(CAFE)
    assert numbers == list(range(1, len(asked) + 1))
    assert question.edits >= len(asked)
    # The last press turned the question into "done" with the plan beneath: one edit.
    assert question.text.startswith(shown(bot, "en", "done"))
    assert len(question.keyboard) == 1  # "The whole plan"
    # Every press was answered, so no button kept spinning.
    queries = {c.params["callback_query_id"] for c in server.calls_to("answerCallbackQuery")}
    assert len(queries) == sum(len(CAFE[s.key]) + s.multi for s in asked) + 1
    assert queries <= server.answered_queries

    after = user.chat[user.chat.index(question) + 1 :]
    assert [m.kind for m in after] == ["photo", "document", "text"]
    photo, document, offer = after
    plan = question
    assert offer.text.startswith(shown(bot, "en", "checkin_offer", weeks=[2, 6])[:40])
    # Named by the day, never by the assessment's id (a count of everyone's assessments).
    assert re.fullmatch(r"chart-\d{4}-\d\d-\d\d\.png", photo.filename)
    assert re.fullmatch(r"plan-\d{4}-\d\d-\d\d\.md", document.filename)
    assert photo.text == shown(bot, "en", "chart_caption")
    assert document.text == shown(bot, "en", "plan_file_caption")
    assert photo.file.startswith(b"\x89PNG")
    assert document.mime_type == "text/markdown"
    assert document.file.decode().strip()
    # "typing..." was shown before the chart and the plan arrived.
    methods = [c.method for c in server.calls if c.chat_id == user.user_id]
    assert "sendChatAction" in methods[: methods.index("sendPhoto")]
    # No old question is left with buttons to press: the plan's "The whole plan", and the offer.
    assert [m for m in user.chat if m.keyboard] == [plan, offer]


async def test_plan_again_sends_the_chart_and_the_plan_file(bot: RunningBot, steps: Steps) -> None:
    user = User(bot, 202)
    await start_assessment(user)
    while any(parse_token(d)[0] == AnswerButton.KIND for d in user.chat[-1].data()):
        await user.answer(steps, CAFE)
    first_plan = [m for m in user.chat if m.kind != "text"]
    sent_before = len(user.chat)
    await user.say("/plan")
    again = user.chat[sent_before:]
    assert [m.kind for m in again] == ["text", "photo", "document"]
    # The same plan, from the database (the first time it came beneath "done").
    assert user.chat[sent_before - 4].text.endswith(again[0].text)
    assert again[2].file == first_plan[1].file


# --- questions in free text --------------------------------------------------------------------------


async def test_a_question_in_finnish_gets_the_engines_finnish_answer(bot: RunningBot) -> None:
    question = "Miten saisin meidän henkilöstön käyttämään Teamsia?"
    user = User(bot, 301, "fi")
    await user.say(question)
    expected = bot.adviser.engine.handle(UserRef("cli:probe", "fi"), Text(question))
    reply = user.chat[-1]
    assert isinstance(expected[0], Message) and expected[0].lang == "fi"
    assert expected[0].template == "answer"  # a topic's answer, not "did you mean"
    assert reply.html == bot.adviser.renderer.html(expected[0])
    # Its related topics are buttons; pressing one answers that topic, in Finnish too.
    related = reply.data()[0]
    await user.press(reply, related)
    kind, (topic_id,) = parse_token(related)
    assert kind == TopicButton.KIND  # signed like every other button
    topic = bot.adviser.knowledge.topics[topic_id]
    assert user.chat[-1].text.startswith(topic.of("fi").title)


async def test_text_during_the_assessment_is_answered_and_the_question_comes_back(
    bot: RunningBot, steps: Steps
) -> None:
    user = User(bot, 302)
    await start_assessment(user)
    await user.answer(steps, CAFE)
    first = user.question()
    at = number_shown(first)
    calls = await user.say("How do I get my staff to use Teams?")
    # One request for the whole reply: the answer with the question beneath it, in one message.
    assert [c.method for c in calls if c.method != "getUpdates"] == ["sendMessage"]
    again = user.question()
    assert again is not first and number_shown(again) == at
    assert again.text.startswith("Teams") or "Teams" in again.text.split("\n\n")[0]
    # The earlier copy keeps its buttons and they still work: it is the same question. The next
    # question comes at the bottom of the chat, not in place of the copy further up.
    assert first.data() == again.data()
    edits = first.edits
    await user.press(first, first.data()[0])
    assert number_shown(user.chat[-1]) == at + 1
    assert number_shown(first) == at and first.edits == edits
    # Now the newer copy's buttons are of an answered question: only a word on the button.
    sent = len(user.chat)
    calls = await user.press(again, again.data()[0])
    assert len(user.chat) == sent and not [c for c in calls if c.method.startswith("send")]
    [ack] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert ack.params["text"] == shown(bot, "en", "stale_button", in_progress=True)


async def test_a_sticker_gets_a_friendly_word(bot: RunningBot) -> None:
    user = User(bot, 303)
    sticker = {"sticker": {"file_id": "s1", "file_unique_id": "u1", "width": 512,
                           "height": 512, "is_animated": False, "is_video": False,
                           "type": "regular"}}  # fmt: skip
    await bot.send(bot.server.message_update(user.user_id, None, extra=sticker))
    assert user.chat[-1].text == shown(bot, "en", "unsupported", kind="sticker")


# --- language -------------------------------------------------------------------------------------


async def test_language_switches_and_stays_switched(bot: RunningBot) -> None:
    user = User(bot, 401, "en")
    await user.say("/language")
    chooser = user.chat[-1]
    await user.press(chooser, button(chooser, LanguageButton.KIND, "fi"))
    # With no assessment under way, the menu comes again in the language just chosen.
    assert user.chat[-1].text.startswith(shown(bot, "fi", "language_set"))
    assert "Hei!" in user.chat[-1].text
    assert any(b["text"] == "In English" for row in user.chat[-1].keyboard for b in row)
    await user.say("/help")
    assert user.chat[-1].text == shown(bot, "fi", "help", in_progress=False)
    assert bot.adviser.engine.language_of(UserRef("tg:401", "en")) == "fi"


# --- buttons that no longer apply, and forged ones -------------------------------------------------


async def test_a_stale_button_changes_nothing_and_says_so(bot: RunningBot, steps: Steps) -> None:
    user = User(bot, 501)
    question = await start_assessment(user)
    old_answer = question.data()[0]  # an answer to question 1
    await user.answer(steps, CAFE)
    at = number_shown(user.question())
    before = snapshot(bot, user)

    sent = len(user.chat)
    calls = await user.press(question, old_answer)

    assert snapshot(bot, user) == before
    # Said on the button, not in the chat: the question the user is at is still the latest.
    assert len(user.chat) == sent
    [ack] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert ack.params["text"] == shown(bot, "en", "stale_button", in_progress=True)
    assert number_shown(user.question()) == at


async def test_forged_buttons_are_answered_kindly_and_change_nothing(
    bot: RunningBot, steps: Steps
) -> None:
    user = User(bot, 502)
    question = await start_assessment(user)
    real = question.data()[0]
    forged = [
        real[:-3] + ("AAA" if not real.endswith("AAA") else "BBB"),  # a bad signature
        real.replace(".", ".9", 1),  # another assessment, same signature
        "a." + "x" * 70,  # longer than Telegram allows
        "a.1.size.micro~ÄÄÄÄÄÄÄÄ",  # not ASCII
        "",
        "topic:no-such-topic",
    ]
    before = snapshot(bot, user)
    stale = shown(bot, "en", "stale_button", in_progress=True)
    for data in forged:
        sent = len(user.chat)
        calls = await user.press(user.question(), data)
        [ack] = [c for c in calls if c.method == "answerCallbackQuery"]
        assert ack.params["text"] == stale, data
        assert len(user.chat) == sent
        assert snapshot(bot, user) == before
    assert number_shown(user.question()) == 1


# --- Telegram misbehaving ---------------------------------------------------------------------------


async def test_a_flood_limit_is_waited_out_and_the_message_delivered(
    server: FakeTelegram, db_path: Path
) -> None:
    for rate_limit in (0, 30):  # our own retry, and python-telegram-bot's rate limiter
        async with running_bot(server, db_path, rate_limit=rate_limit) as bot:
            user = User(bot, 601 + rate_limit)
            server.fail("sendMessage", 429, retry_after=1)
            calls = await user.say("/start")
            sends = [c for c in calls if c.method == "sendMessage"]
            assert [c.status for c in sends] == [429, 200]
            assert [m.kind for m in user.chat] == ["text"]  # delivered once, not twice
            assert sends[1].at - sends[0].at >= 1.0  # Telegram's retry_after was respected


async def test_server_errors_lose_no_answer_and_do_not_stop_the_bot(
    bot: RunningBot, steps: Steps, caplog: pytest.LogCaptureFixture
) -> None:
    server = bot.server
    user = User(bot, 701)
    question = await start_assessment(user)
    server.fail("editMessageText", 500, times=2)
    await user.answer(steps, CAFE)
    assert number_shown(user.question()) == 2 and user.question() is question
    # A failing poll: the bot polls again and carries on, with one line in the log.
    caplog.clear()
    server.fail("getUpdates", 500)
    await user.answer(steps, CAFE)
    assert number_shown(user.question()) == 3
    polls = [r for r in caplog.records if "updates" in r.getMessage()]
    assert [(r.levelname, r.exc_info) for r in polls] == [("WARNING", None)]
    statuses = [c.status for c in server.calls_to("editMessageText")]
    assert statuses.count(500) == 2 and statuses[-1] == 200


async def test_a_message_that_cannot_be_edited_is_sent_anew(bot: RunningBot, steps: Steps) -> None:
    user = User(bot, 702)
    question = await start_assessment(user)
    server = bot.server
    server.chats[user.user_id].remove(question)  # as if deleted by the user
    option = CAFE[user.step_key(steps, question)][0]
    await user.press(question, next(d for d in question.data() if d.split("~")[0].endswith(option)))
    assert number_shown(user.question()) == 2 and user.question() is not question


# --- groups -----------------------------------------------------------------------------------------


async def test_in_a_group_the_bot_points_to_a_private_chat_and_ignores_chatter(
    bot: RunningBot,
) -> None:
    server = bot.server
    group = -100555
    for text in ("/start", f"/assess@{BOT_USERNAME}", f"hey @{BOT_USERNAME} help?"):
        await bot.send(server.message_update(801, text, chat_id=group, chat_type="supergroup"))
    await bot.send(server.message_update(801, "lunch at noon?", chat_id=group, chat_type="group"))
    await bot.send(server.message_update(801, "/start@other_bot", chat_id=group, chat_type="group"))
    pointer = shown(bot, "en", "group_pointer", username=BOT_USERNAME)
    assert [m.text for m in server.chats[group]] == [pointer] * 3
    assert f"t.me/{BOT_USERNAME}" in pointer
    assert snapshot(bot, User(bot, 801)) is None  # nothing stored about anyone


# --- long texts ----------------------------------------------------------------------------------


async def test_a_text_over_4096_characters_arrives_split_at_paragraphs(
    bot: RunningBot, tmp_path: Path
) -> None:
    """Through the real library to the fake API, which refuses what Telegram would refuse."""
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "long.j2").write_text(
        "{% for p in paragraphs %}{{ p }}\n\n{% endfor %}{{ shout|bold }}", encoding="utf-8"
    )
    paragraphs = [f"Paragraph {i}: cafés & <plumbers> 🚀 " + "word " * 60 for i in range(25)]
    shout = "LOUD " * 1000  # one bold run far longer than a message
    message = Message("en", "long", {"paragraphs": paragraphs, "shout": shout},
                      choices=((Choice("OK", "m.help~x"),),))  # fmt: skip
    sender = Sender(bot.app.bot, Renderer(tmp_path))

    await sender.deliver(9001, [message])

    pieces = bot.server.chats[9001]
    assert len(pieces) >= 4
    assert all(len(p.text) <= 4096 for p in pieces)
    assert " ".join(" ".join(p.text.split()) for p in pieces) == " ".join(
        (" ".join(paragraphs) + " " + shout).split()
    )
    # Paragraphs are never cut in the middle, and the bold run stays bold across messages.
    assert all(p.text.split()[0] in ("Paragraph", "LOUD") for p in pieces)
    assert all(p.html.startswith("<b>") for p in pieces if p.text.startswith("LOUD"))
    assert [bool(p.keyboard) for p in pieces] == [False] * (len(pieces) - 1) + [True]


async def test_restart_in_the_middle_of_an_assessment_resumes_at_the_same_question(
    server: FakeTelegram, db_path: Path
) -> None:
    async with running_bot(server, db_path) as first:
        steps = Steps(first.adviser.knowledge.assessment)
        user = User(first, 901)
        await start_assessment(user)
        for _ in range(4):
            await user.answer(steps, CAFE)
        question = user.question()
        at = number_shown(question)

    async with running_bot(server, db_path) as second:
        user = User(second, 901)
        await user.say("/start")
        continue_label = second.adviser.renderer.labels.button(
            "continue", "en", number=at, total=len(steps.asked_for(CAFE))
        )
        assert continue_label in [b["text"] for b in user.chat[-1].buttons]
        # The question on screen from before the restart still works where it was.
        await user.answer(steps, CAFE)
        assert number_shown(user.question()) == at + 1
