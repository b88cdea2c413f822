"""The conversation's moves: start, back, pause and resume, multi-choice, language, history,
/mydata, /delete and /reset, each as the user sees it and as it is stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot import LANGS, Lang
from bot.content.loader import Knowledge
from bot.engine.engine import Engine
from bot.events import Command, Message, Press, UserRef
from tests.chat_helpers import Chat, make_engine, rows_of, snapshot
from tests.companies import CAFE


@pytest.fixture
def engine(knowledge: Knowledge, tmp_path: Path) -> Engine:
    return make_engine(knowledge, tmp_path / "adviser.sqlite3")


def label(engine: Engine, name: str, lang: Lang = "en", **values: object) -> str:
    return engine.services.label(lang, name, **values)


def _chat(engine: Engine, key: str = "tg:1", lang: Lang = "en") -> Chat:
    return Chat(engine, UserRef(key, language_hint=lang))


def _answer_steps(chat: Chat, count: int) -> None:
    for _ in range(count):
        chat.answer(CAFE[chat.current_step().key])


# --- /start and /help ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_start_greets_and_offers_the_three_ways_in(engine: Engine, lang: Lang) -> None:
    chat = _chat(engine, lang=lang)
    chat.command("start")
    assert chat.templates() == ["welcome"]
    assert chat.messages()[0].lang == lang
    labels = chat.latest_buttons()
    other = "fi" if lang == "en" else "en"
    assert labels == [
        label(engine, "start_assessment", lang),
        label(engine, "ask", lang),
        label(engine, "other_language", lang),
    ]
    chat.tap(label(engine, "ask", lang))
    assert chat.templates() == ["ask_prompt"]
    chat.command("start")
    chat.tap(label(engine, "other_language", lang))
    assert chat.messages()[0].lang == other
    assert engine.language_of(chat.user) == other


def test_start_offers_to_continue_an_assessment_under_way(engine: Engine) -> None:
    chat = _chat(engine)
    chat.command("assess")
    _answer_steps(chat, 4)
    chat.command("start")
    asked = engine.services.steps.asked_for(CAFE)  # the profile is known: what the café is asked
    assert "question 5/" in chat.text()
    chat.tap(label(engine, "continue", number=5, total=len(asked)))
    assert chat.current_step() == asked[4]


def test_help_lists_the_commands(engine: Engine) -> None:
    chat = _chat(engine, lang="fi")
    chat.command("help")
    for command in ("/assess", "/plan", "/language", "/mydata", "/delete", "/reset", "/cancel"):
        assert command in chat.text()


# --- answering, back, multi-choice ----------------------------------------------------------------


def test_back_changes_the_previous_answer(engine: Engine) -> None:
    chat = _chat(engine)
    chat.command("assess")
    _answer_steps(chat, 1)  # size: micro
    second = chat.current_step()
    chat.tap(label(engine, "back"))
    first = chat.current_step()
    assert first.key == "size"
    message = chat.question()
    assert message is not None and message.replaces_pressed
    assert message.values["earlier"] == first.option("micro").label.of("en")  # type: ignore[union-attr]
    assert first.option("micro").label.of("en") in chat.text()  # type: ignore[union-attr]
    chat.tap(first.option("small").label.of("en"))  # type: ignore[union-attr]
    assert chat.current_step() == second
    with engine.store.transaction() as repo:
        current = repo.current_assessment(chat.user.key)
        assert current is not None
        assert repo.answers(current.id)["size"].choices == ("small",)


def test_the_first_question_has_no_back_button(engine: Engine) -> None:
    chat = _chat(engine)
    chat.command("assess")
    labels = chat.latest_buttons()
    assert label(engine, "back") not in labels
    assert label(engine, "pause") in labels


def test_the_introduction_comes_once_not_after_every_side_question(
    engine: Engine, knowledge: Knowledge
) -> None:
    intro = knowledge.assessment.intro.of("en")
    chat = _chat(engine)
    chat.command("assess")
    assert intro in chat.text()
    chat.say("Which channel should a café start with?")
    assert chat.templates() == ["answer", "question"]
    assert intro not in chat.text()


def test_multi_choice_collects_taps_until_done(engine: Engine) -> None:
    chat = _chat(engine)
    chat.command("assess")
    _answer_steps(chat, 3)
    step = chat.current_step()
    assert step.multi
    options = {o.id: o.label.of("en") for o in step.options}
    chat.tap(options["facebook"])
    chat.tap(options["instagram"])
    assert chat.current_step() == step  # still the same question
    assert f"✓ {options['facebook']}" in chat.latest_buttons()
    chat.tap(options["facebook"])  # a second tap takes it away
    assert f"✓ {options['facebook']}" not in chat.latest_buttons()
    chat.tap(options["none"])  # "none of these" clears the rest ...
    assert [c for c in chat.latest_buttons() if c.startswith("✓")] == [f"✓ {options['none']}"]
    chat.tap(options["linkedin"])  # ... and a real choice clears "none of these"
    assert [c for c in chat.latest_buttons() if c.startswith("✓")] == [f"✓ {options['linkedin']}"]
    chat.tap(label(engine, "done"))
    assert chat.current_step() != step
    with engine.store.transaction() as repo:
        current = repo.current_assessment(chat.user.key)
        assert current is not None
        row = repo.answers(current.id)[step.key]
    assert row.choices == ("linkedin",) and row.final


def test_done_with_nothing_chosen_asks_for_a_choice_and_changes_nothing(engine: Engine) -> None:
    chat = _chat(engine)
    chat.command("assess")
    _answer_steps(chat, 3)
    step = chat.current_step()
    before = snapshot(engine.store.path)
    chat.tap(label(engine, "done"))
    assert chat.templates() == ["choose_at_least_one", "question"]
    assert chat.current_step() == step
    assert snapshot(engine.store.path) == before


# --- pause and resume -----------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["button", "cancel", "pause"])
def test_pause_and_resume_where_the_user_was(engine: Engine, how: str) -> None:
    chat = _chat(engine)
    chat.command("assess")
    _answer_steps(chat, 6)
    step = chat.current_step()
    if how == "button":
        chat.tap(label(engine, "pause"))
    else:
        chat.command(how)
    assert chat.templates() == ["paused"]
    assert "7/" in chat.text()

    chat.say("How do I write posting rules for my staff?")  # answered, no question pushed
    assert "question" not in chat.templates()

    chat.tap(label(engine, "continue", number=7, total=len(engine.services.steps.asked_for(CAFE))))
    assert chat.current_step() == step
    _answer_steps(chat, 1)
    assert chat.current_step() != step


def test_cancel_with_nothing_under_way_says_so(engine: Engine) -> None:
    chat = _chat(engine)
    chat.command("cancel")
    assert chat.templates() == ["no_assessment"]
    chat.tap(label(engine, "start_assessment"))
    assert chat.question() is not None


def test_assess_while_under_way_offers_continue_or_start_over(engine: Engine) -> None:
    chat = _chat(engine)
    chat.command("assess")
    _answer_steps(chat, 3)
    chat.command("assess")
    assert chat.templates() == ["assess_in_progress"]
    chat.tap(label(engine, "continue", number=4, total=len(engine.services.steps.all)))
    assert chat.question() is not None and chat.question().values["number"] == 4  # type: ignore[union-attr]

    chat.command("assess")
    chat.tap(label(engine, "start_over"))
    assert chat.question() is not None and chat.question().values["number"] == 1  # type: ignore[union-attr]
    with engine.store.transaction() as repo:
        history = repo.assessments(chat.user.key)
    assert len(history) == 2
    assert history[0].abandoned is not None  # kept, put aside
    assert history[1].finished is None and history[1].abandoned is None


def test_reset_puts_the_unfinished_assessment_aside(engine: Engine) -> None:
    chat = _chat(engine, lang="fi")
    chat.command("assess")
    _answer_steps(chat, 3)
    chat.command("reset")
    assert chat.templates() == ["reset"]
    assert chat.messages()[0].values["put_aside"] is True
    chat.tap(label(engine, "start_assessment", "fi"))
    assert chat.question() is not None and chat.question().values["number"] == 1  # type: ignore[union-attr]
    chat.command("mydata")
    assert "jätetty sivuun" in chat.text()


# --- language -------------------------------------------------------------------------------------


def test_language_switch_mid_assessment_shows_the_question_in_the_new_language(
    engine: Engine,
) -> None:
    chat = _chat(engine)
    chat.command("assess")
    _answer_steps(chat, 5)
    step = chat.current_step()
    chat.command("language")
    assert chat.templates() == ["language"]
    chat.tap(label(engine, "finnish"))
    assert chat.templates() == ["language_set", "question"]
    assert all(m.lang == "fi" for m in chat.messages())
    assert chat.current_step() == step
    assert step.text.of("fi") in chat.text()
    assert engine.language_of(chat.user) == "fi"


def test_telegram_language_code_decides_for_a_new_user(engine: Engine) -> None:
    assert engine.language_of(UserRef("tg:5", language_hint="fi-FI")) == "fi"
    assert engine.language_of(UserRef("tg:6", language_hint="de")) == "en"
    assert engine.language_of(UserRef("tg:7")) == "en"


# --- /mydata and /delete --------------------------------------------------------------------------


def test_mydata_shows_everything_kept_readably_and_as_a_file(engine: Engine) -> None:
    chat = _chat(engine)
    chat.command("mydata")
    assert chat.templates() == ["mydata_empty"]
    chat.command("assess")
    _answer_steps(chat, 4)
    chat.command("mydata")
    assert chat.templates() == ["mydata"]
    text = chat.text()
    steps = engine.services.steps.all
    for step in steps[:4]:
        assert step.text.of("en") in text
        chosen = step.option(CAFE[step.key][0])
        assert chosen is not None and chosen.label.of("en") in text
    (document,) = chat.documents()
    data = json.loads(document.content)
    assert data["user"]["key"] == "tg:1"
    assert len(data["assessments"][0]["answers"]) == 4


@pytest.mark.parametrize("lang", LANGS)
def test_delete_after_confirmation_leaves_no_row_of_the_user(engine: Engine, lang: Lang) -> None:
    other = _chat(engine, key="tg:other")
    other.command("assess")
    other.answer_all(CAFE)
    chat = _chat(engine, key="tg:leaving", lang=lang)
    chat.command("assess")
    chat.answer_all(CAFE)
    chat.command("assess")
    chat.tap(engine.services.label(lang, "from_earlier"))  # its answers copied: removed too
    _answer_steps(chat, 3)
    chat.command("language", lang)
    assert rows_of(engine.store.path, "tg:leaving") > 0
    others_before = rows_of(engine.store.path, "tg:other")

    chat.command("delete")
    assert chat.templates() == ["delete_confirm"]
    chat.tap(label(engine, "delete_no", lang))
    assert chat.templates()[0] == "delete_cancelled"
    assert rows_of(engine.store.path, "tg:leaving") > 0

    chat.command("delete")
    chat.tap(label(engine, "delete_yes", lang))
    assert chat.templates() == ["deleted"]
    assert chat.messages()[0].lang == lang
    assert rows_of(engine.store.path, "tg:leaving") == 0
    with sqlite3.connect(engine.store.path) as conn:
        dump = "\n".join(conn.iterdump())
        orphans = conn.execute(
            "SELECT count(*) FROM answers WHERE assessment_id NOT IN (SELECT id FROM assessments)"
        ).fetchone()[0]
    assert "tg:leaving" not in dump
    assert orphans == 0
    assert rows_of(engine.store.path, "tg:other") == others_before

    # The confirmation button pressed again, and /mydata: nothing comes back.
    before = snapshot(engine.store.path)
    chat.tap(label(engine, "delete_yes", lang))
    assert chat.templates() == ["stale_button"]
    chat.command("mydata")
    assert chat.templates() == ["mydata_empty"]
    assert snapshot(engine.store.path) == before


def test_a_failure_inside_the_engine_commits_nothing_and_apologises(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = _chat(engine, lang="fi")
    chat.command("assess")
    before = snapshot(engine.store.path)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine.store.database, "migrate", broken)  # untouched path, for safety
    monkeypatch.setattr("bot.engine.assessing.question_message", broken)
    replies = engine.handle(chat.user, Command("language", "en"))
    assert replies == [Message("fi", "error")]
    assert snapshot(engine.store.path) == before
    assert engine.language_of(chat.user) == "fi"


def test_a_chart_that_fails_still_leaves_the_plan_shown_and_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr("bot.engine.results.radar_png", broken)
    chat = _chat(engine)
    chat.command("assess")
    chat.answer_all(CAFE)
    # The plan was decided and stored before the chart; only the chart and its file are missing.
    assert chat.templates() == ["done", "plan", "error", "checkin_offer"]
    monkeypatch.undo()
    chat.command("plan")
    assert chat.templates() == ["plan"] and len(chat.replies) == 3  # chart and file, drawn anew


def test_a_pressed_menu_gives_way_to_what_comes_next_but_a_stale_press_does_not(
    engine: Engine,
) -> None:
    """In Telegram, `replaces_pressed` edits the pressed message, so old menus do not pile up."""
    chat = _chat(engine)
    chat.command("start")
    assert not chat.messages()[0].replaces_pressed  # a command: a new message
    chat.tap(label(engine, "start_assessment"))
    question = chat.question()
    assert question is not None and question.replaces_pressed
    chat.tap(label(engine, "pause"))
    assert chat.templates() == ["paused"] and chat.messages()[0].replaces_pressed
    chat.tap(label(engine, "continue", number=1, total=len(engine.services.steps.all)))
    assert chat.messages()[0].replaces_pressed
    chat.tap(label(engine, "start_assessment"))  # the welcome's button, now out of date
    assert chat.templates()[0] == "assess_in_progress"  # harmless: it offers the choice
    chat.send(Press("forged"))
    assert chat.templates()[0] == "stale_button"
    assert not any(m.replaces_pressed for m in chat.messages())


def test_a_button_from_before_delete_never_acts_on_the_new_assessment(engine: Engine) -> None:
    chat = _chat(engine, key="tg:again")
    chat.command("assess")
    old = {c.label: c.token for c in chat.buttons}  # the size question of assessment 1
    chat.command("delete")
    chat.tap(label(engine, "delete_yes"))
    chat.command("assess")  # a new user, a new assessment at the same first question
    before = snapshot(engine.store.path)
    chat.send(Press(old["50–249 people"]))
    assert chat.templates()[0] == "stale_button"
    assert snapshot(engine.store.path) == before  # "size" was not stored
    with engine.store.reading() as repo:
        (fresh,) = repo.assessments("tg:again")
    assert fresh.id > 1


def test_yes_delete_works_once_for_its_own_confirmation(engine: Engine) -> None:
    chat = _chat(engine, key="tg:twice")
    chat.command("assess")
    chat.command("delete")
    first_yes = chat.button(label(engine, "delete_yes")).token
    chat.command("delete")  # asked again: only the newest "yes" counts
    second_yes = chat.button(label(engine, "delete_yes")).token
    chat.send(Press(first_yes))
    assert chat.templates()[0] == "stale_button"
    assert rows_of(engine.store.path, "tg:twice") > 0
    chat.send(Press(second_yes))
    assert chat.templates() == ["deleted"]
    # Back later with a new assessment: the old "yes" deletes nothing.
    chat.command("assess")
    chat.send(Press(second_yes))
    assert chat.templates()[0] == "stale_button"
    assert rows_of(engine.store.path, "tg:twice") > 0


def test_after_delete_the_write_ahead_log_holds_no_trace_of_the_user(engine: Engine) -> None:
    chat = _chat(engine, key="tg:traces-4242")
    chat.command("assess")
    chat.answer_all(CAFE)
    chat.command("delete")
    chat.tap(label(engine, "delete_yes"))
    wal = engine.store.path.with_name(engine.store.path.name + "-wal")
    for path in (engine.store.path, wal):
        if path.exists():
            assert b"tg:traces-4242" not in path.read_bytes(), path.name


def test_the_same_delivery_twice_is_applied_once_and_answered_once(engine: Engine) -> None:
    """Telegram redelivers an update after a restart before its offset was confirmed, and a
    webhook retries: a multi-choice tap applied twice would take the choice away again."""
    chat = _chat(engine, key="tg:redelivered")
    chat.command("assess")
    _answer_steps(chat, 3)
    step = chat.current_step()
    assert step.multi
    press = Press(chat.button(step.options[0].label.of("en")).token)
    first = engine.finish(chat.user, engine.decide(chat.user, press, once="tg:4711"))
    assert first  # the selection shown
    before = snapshot(engine.store.path)
    again = engine.finish(chat.user, engine.decide(chat.user, press, once="tg:4711"))
    assert again == []  # nothing sent
    assert snapshot(engine.store.path) == before  # nothing changed: the option stays selected
    with engine.store.reading() as repo:
        (assessment,) = repo.assessments("tg:redelivered")
        assert repo.answers(assessment.id)[step.key].choices == (step.options[0].id,)
    # A second tap on the same button (a new update id) selects nothing twice: the button
    # said "select", and the option is selected; a word on the button says so.
    second = engine.finish(chat.user, engine.decide(chat.user, press, once="tg:4712"))
    assert [(m.template, m.notice) for m in second if isinstance(m, Message)] == [
        ("already_selected", True)
    ]
    with engine.store.reading() as repo:
        assert repo.answers(assessment.id)[step.key].choices == (step.options[0].id,)
    # The button shown now says "unselect", and pressing it does; a double tap on that too.
    [shown] = [m for m in first if isinstance(m, Message) and m.choices]
    label = shown.choices[0][0].label
    assert label.endswith(step.options[0].label.of("en")) and label != step.options[0].label.of(
        "en"
    )
    unselect = Press(shown.choices[0][0].token)
    assert unselect != press
    engine.finish(chat.user, engine.decide(chat.user, unselect, once="tg:4713"))
    with engine.store.reading() as repo:
        assert repo.answers(assessment.id)[step.key].choices == ()
    third = engine.finish(chat.user, engine.decide(chat.user, unselect, once="tg:4714"))
    assert [m.template for m in third if isinstance(m, Message)] == ["already_unselected"]
