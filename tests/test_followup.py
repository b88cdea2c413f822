"""Check-ins through the pilot: offered after the plan, sent only after a yes, due at a Finnish
morning hour, claimed once even by two processes, and the effects survey stored answer by answer.

Time is moved with ADVISER_CLOCK, never slept.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import Lang
from bot.content.loader import Knowledge
from bot.engine.engine import Engine
from bot.events import Message, Press, UserRef
from tests.chat_helpers import Chat, make_engine, snapshot
from tests.companies import CAFE

PREFIX = "tg:"


@pytest.fixture
def engine(knowledge: Knowledge, tmp_path: Path) -> Engine:
    return make_engine(knowledge, tmp_path / "adviser.sqlite3")


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setenv("ADVISER_CLOCK", moment.isoformat())


def planned(engine: Engine, key: str = "tg:501", lang: str = "en") -> Chat:
    chat = Chat(engine, UserRef(key, language_hint=lang))
    chat.command("assess")
    chat.answer_all(CAFE)
    assert "checkin_offer" in chat.templates()
    return chat


def at_the_last_checkin(engine: Engine, monkeypatch: pytest.MonkeyPatch, lang: Lang = "en") -> Chat:
    """A plan made on 1 March with check-ins said yes to, and the user back on 12 April, when
    the last one (6 weeks) is due."""
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine, lang=lang)
    chat.tap(engine.services.label(lang, "checkin_yes"))
    at(monkeypatch, datetime(2027, 4, 12, 9, 0, tzinfo=UTC))
    chat.come_back()
    return chat


def test_nothing_is_sent_without_a_yes(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_no"))
    assert chat.templates() == ["checkin_declined"]
    at(monkeypatch, datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    assert engine.due_checkins(100, PREFIX) == []


def test_a_yes_plans_two_check_ins_due_at_ten_in_finland(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, datetime(2027, 3, 1, 15, 30, tzinfo=UTC))  # a Monday afternoon
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    assert chat.templates() == ["checkin_planned"]
    assert "2027-03-15" in chat.text()  # two weeks on
    with engine.store.reading() as repo:
        (assessment,) = repo.assessments("tg:501")
        checkins = repo.checkins_of(assessment.id)
    assert [c.week for c in checkins] == [2, 6]
    # 10:00 in Helsinki (UTC+2 in winter, +3 in summer), whatever hour the plan was made.
    assert [datetime.fromisoformat(c.due) for c in checkins] == [
        datetime(2027, 3, 15, 8, 0, tzinfo=UTC),
        datetime(2027, 4, 12, 7, 0, tzinfo=UTC),
    ]
    # Pressed again (a double tap): still two.
    chat.send(Press(chat.button(engine.services.label("en", "checkin_yes")).token))
    with engine.store.reading() as repo:
        assert len(repo.checkins_of(assessment.id)) == 2


def test_a_due_check_in_is_sent_once_and_late_if_the_bot_was_down(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    at(monkeypatch, datetime(2027, 3, 15, 7, 59, tzinfo=UTC))  # a minute early
    assert engine.due_checkins(100, PREFIX) == []
    at(monkeypatch, datetime(2027, 3, 20, 9, 0, tzinfo=UTC))  # days late: sent once, not dropped
    [(checkin, message)] = engine.due_checkins(100, PREFIX)
    assert checkin.week == 2 and message.template == "checkin"
    assert engine.due_checkins(100, PREFIX) == []  # claimed is sent: never twice
    assert [m.template for m in engine.opening(chat.user) if isinstance(m, Message)] == []


def test_two_processes_never_claim_the_same_check_in(knowledge: Knowledge, tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    first, second = make_engine(knowledge, db), make_engine(knowledge, db)
    stamp = "2026-01-01T08:00:00+00:00"  # long due
    later = "2099-01-01T08:00:00+00:00"  # not yet: the 2-week one is not skipped for it
    with first.store.transaction() as repo:
        for n in range(600):
            key = f"tg:{1000 + n}"
            repo.ensure_user(key, "en")
            assessment = repo.start_assessment(key)
            repo.finish(assessment.id, {"values": {}})
            repo.plan_checkins(key, assessment.id, [(2, stamp), (6, later)])
    claimed: list[list[int]] = [[], []]
    together = threading.Barrier(2)

    def claim(engine: Engine, into: list[int]) -> None:
        together.wait()  # both start at once, as two bot processes would
        while batch := engine.due_checkins(3, PREFIX):
            into.extend(c.id for c, _ in batch)
            time.sleep(0.001)  # the other process's turn comes between batches

    threads = [
        threading.Thread(target=claim, args=(e, c))
        for e, c in zip((first, second), claimed, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert claimed[0] and claimed[1]  # both took part
    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 600


def test_the_check_in_and_the_effects_survey(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    followup = engine.services.knowledge.followup
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine, lang="fi")
    chat.tap(engine.services.label("fi", "checkin_yes"))

    # Two weeks on, the terminal shows the check-in when the chat starts.
    at(monkeypatch, datetime(2027, 3, 15, 9, 0, tzinfo=UTC))
    chat.come_back()
    assert chat.templates() == ["checkin"]
    stalled = next(o for o in followup.status.options if o.id == "stalled")
    chat.tap(stalled.label.of("fi"))
    assert chat.templates() == ["checkin_advice"]  # not the last one: no survey yet
    assert followup.status.advice["stalled"].fi in chat.text()

    # The last check-in: how it goes, then the survey, one question at a time.
    at(monkeypatch, datetime(2027, 4, 12, 9, 0, tzinfo=UTC))
    chat.come_back()
    going = next(o for o in followup.status.options if o.id == "going")
    chat.tap(going.label.of("fi"))
    assert chat.templates() == ["checkin_advice", "survey_question"]
    presence, tools, *effects = followup.survey
    assert presence.id == "presence" and tools.several
    label = {o.id: o.label.of("fi") for o in followup.options_of(presence)}
    chat.tap(label["started"])  # before and now: not on social media before, now it is

    # Tools: the selection is in the buttons until "Done"; "none yet" rules the others out.
    tool = {o.id: o.label.of("fi") for o in followup.options_of(tools)}
    before = snapshot(engine.store.path)
    chat.tap(tool["instagram"])
    chat.tap(tool["facebook"])
    assert "Instagram" in chat.text() and "Facebook" in chat.text()
    chat.tap(tool["none"])
    assert "Instagram" not in chat.text().split("Valittuna:")[1]
    chat.tap(tool["facebook"])
    chat.tap(tool["instagram"])
    assert snapshot(engine.store.path) == before  # nothing stored while choosing
    chat.tap(engine.services.label("fi", "done"))
    assert chat.templates() == ["survey_question"]

    said = ["increased", "no_change", "cant_say", "decreased"]
    labels = {a.id: a.label.of("fi") for a in followup.answers}
    for answer in said:
        chat.tap(labels[answer])
    assert chat.templates() == ["survey_thanks"]
    before = snapshot(engine.store.path)
    chat.tap(labels["increased"])  # an old survey button: its answer is kept as it was
    assert [m.notice for m in chat.messages()] == [True]
    chat.tap(tool["linkedin"])  # and so is the tools answer
    assert [m.notice for m in chat.messages()] == [True]
    assert snapshot(engine.store.path) == before
    with engine.store.reading() as repo:
        (assessment,) = repo.assessments("tg:501")
        last = repo.checkins_of(assessment.id)[-1]
        stored = repo.checkin_answers(last.id)
    # "Can't say yet" is its own answer, kept apart from "no change".
    assert stored == {
        "status": "going",
        "presence": "started",
        "tools": "facebook instagram",
        **dict(zip([e.id for e in effects], said, strict=True)),
    }
    # /mydata shows the check-ins and every answer, readably, beside the JSON file.
    chat.command("mydata")
    text = chat.text()
    assert "Kuulumiskysely 2 viikon kuluttua suunnitelmasta, 15.3.2027: lähetetty" in text
    assert f"{tools.question.fi} → Facebook, Instagram" in text
    assert f"{presence.question.fi} → {label['started']}" in text


def test_done_with_nothing_chosen_stores_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    followup = engine.services.knowledge.followup
    chat = at_the_last_checkin(engine, monkeypatch)
    chat.tap(followup.status.options[0].label.en)
    chat.tap(followup.options_of(followup.survey[0])[0].label.en)
    before = snapshot(engine.store.path)
    chat.tap(engine.services.label("en", "done"))
    assert chat.templates() == ["choose_at_least_one"]
    assert snapshot(engine.store.path) == before


def test_a_blocked_user_gets_no_check_in_until_they_write_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    at(monkeypatch, datetime(2027, 3, 15, 9, 0, tzinfo=UTC))
    [(checkin, _)] = engine.due_checkins(100, PREFIX)
    engine.undelivered(checkin)  # Telegram said 403
    assert engine.due_checkins(100, PREFIX) == []
    at(monkeypatch, datetime(2027, 3, 15, 9, 0, tzinfo=UTC) + timedelta(days=3))
    assert engine.due_checkins(100, PREFIX) == []  # still blocked
    chat.command("help")  # they came back
    [(again, _)] = engine.due_checkins(100, PREFIX)
    assert again.id == checkin.id


def test_delete_removes_the_check_ins(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    chat.command("delete")
    chat.tap(engine.services.label("en", "delete_yes"))
    with engine.store.reading() as repo:
        rows = repo.conn.execute("SELECT count(*) FROM checkins").fetchone()[0]
    assert rows == 0
    at(monkeypatch, datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    assert engine.due_checkins(100, PREFIX) == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [("ADVISER_CLOCK", "next tuesday"), ("ADVISER_CLOCK", "2027-03-01T09:00:00"),
     ("ADVISER_RETENTION_DAYS", "two years")],
)  # fmt: skip
def test_a_bad_clock_or_retention_is_one_line_at_start(
    variable: str,
    value: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    from bot.cli import main

    monkeypatch.setenv(variable, value)
    assert main(["chat", "--db", str(tmp_path / "x.sqlite3")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and variable in err[0]
    assert not (tmp_path / "x.sqlite3").exists()  # nothing was started, nothing written


def test_the_next_plan_says_what_was_done_since(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-assessment after the check-ins: the plan says how the pilot went and builds on it,
    and the whole plan repeats what the firm told in the survey."""
    followup = engine.services.knowledge.followup
    label = engine.services.label
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    first = next(m for m in chat.messages() if m.template == "plan")
    pilot = first.values["steps"][0]["title"]
    chat.tap(label("en", "checkin_yes"))
    at(monkeypatch, datetime(2027, 4, 12, 9, 0, tzinfo=UTC))
    chat.come_back()
    assert f"Your pilot: {pilot}." in chat.text()  # weeks on, which pilot it was
    stalled = next(o for o in followup.status.options if o.id == "stalled")
    chat.tap(stalled.label.en)  # the 6-week one: it has stalled
    for question in followup.survey:
        options = followup.options_of(question)
        chat.tap(options[0].label.en)
        if question.several:
            chat.tap(label("en", "done"))
    assert chat.templates() == ["survey_thanks"]

    chat.command("assess")
    chat.tap(label("en", "from_earlier"))
    chat.tap(label("en", "keep_rest"))
    plan = next(m for m in chat.messages() if m.template == "plan")
    text = chat.renderer.text(plan)
    # The same answers, so the same pilot: named once, as step 1, not again in the sentence.
    assert "At the 6-week check-in your pilot had stalled." in text
    assert "It is still the right first step: make it smaller" in text
    assert text.count(pilot) == 1
    chat.tap(label("en", "whole_plan"))
    whole = chat.text()
    assert "What you told me at the last check-in" in whole
    revenue = followup.question("revenue")
    assert revenue is not None
    assert f"{revenue.name.en}: {followup.answers[0].label.en}" in whole
    assert "In use now: Facebook" in whole


def test_a_check_in_claimed_but_never_delivered_is_claimed_again_after_the_lease(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process stopped with a check-in still queued: the next one sends it, once."""
    from bot.store.repository import CLAIM_LEASE

    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    due = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)
    at(monkeypatch, due)
    [(claimed, _)] = engine.due_checkins(100, PREFIX)  # ... and the process is killed
    at(monkeypatch, due + CLAIM_LEASE / 2)
    assert engine.due_checkins(100, PREFIX) == []  # perhaps still on its way: not taken twice
    at(monkeypatch, due + CLAIM_LEASE + timedelta(minutes=1))
    [(again, _)] = engine.due_checkins(100, PREFIX)
    assert again.id == claimed.id
    engine.delivered(again)  # Telegram accepted it
    at(monkeypatch, due + timedelta(days=1))
    assert engine.due_checkins(100, PREFIX) == []


def test_a_firm_not_on_social_media_yet_is_not_asked_its_effects(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    followup = engine.services.knowledge.followup
    chat = at_the_last_checkin(engine, monkeypatch)
    chat.tap(followup.status.options[-1].label.en)  # not started yet
    presence, tools = followup.survey[:2]
    assert "Question 1/6" in chat.text()
    not_yet = next(o for o in followup.options_of(presence) if o.id == "not_yet")
    chat.tap(not_yet.label.en)
    assert "Question 2/2" in chat.text()  # the effects are left out, and the count says so
    none = next(o for o in followup.options_of(tools) if o.alone)
    chat.tap(none.label.en)
    chat.tap(engine.services.label("en", "done"))
    assert chat.templates() == ["survey_thanks"]


def test_a_question_typed_during_the_survey_is_answered_and_the_survey_comes_back(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing left behind: a question, "I don't know", a restart or "continue" in the middle
    of the survey, and its question is there again until it is answered."""
    followup = engine.services.knowledge.followup
    chat = at_the_last_checkin(engine, monkeypatch, lang="fi")
    chat.tap(followup.status.options[1].label.fi)  # stalled
    chat.tap(followup.options_of(followup.survey[0])[0].label.fi)
    chat.tap(followup.options_of(followup.survey[1])[0].label.fi)
    chat.tap(engine.services.label("fi", "done"))
    question = chat.messages()[-1]
    assert question.template == "survey_question" and question.values["number"] == 3

    chat.say("miten saan asiakkaat kommentoimaan facebookissa?")
    assert chat.templates()[-1] == "survey_question"
    assert chat.messages()[-1].values["number"] == 3
    chat.say("en tiedä")  # the buttons are pointed at ("can't say yet" is one)
    assert chat.templates() == ["expected_button", "survey_question"]
    chat.say("jatketaan")
    assert chat.templates() == ["survey_question"]
    # The chat started again later the same day: the survey question is there.
    at(monkeypatch, datetime(2027, 4, 12, 15, 0, tzinfo=UTC))
    assert [m.template for m in engine.opening(chat.user) if isinstance(m, Message)] == [
        "survey_question"
    ]
    # Answered to the end, nothing more comes back.
    chat.tap(followup.answers[0].label.fi)
    for _ in followup.survey[3:]:
        chat.tap(followup.answers[-1].label.fi)
    assert chat.templates() == ["survey_thanks"]
    chat.say("kiitos")
    assert chat.templates() == ["smalltalk_thanks"]


def test_check_ins_can_be_stopped_without_deleting_anything_else(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    at(monkeypatch, datetime(2027, 3, 15, 9, 0, tzinfo=UTC))
    chat.come_back()
    chat.tap(engine.services.label("en", "checkin_stop"))
    assert chat.templates() == ["checkin_stopped"]
    at(monkeypatch, datetime(2027, 5, 1, 9, 0, tzinfo=UTC))
    assert engine.due_checkins(100, PREFIX) == []  # the 6-week one is gone
    with engine.store.reading() as repo:
        (assessment,) = repo.assessments("tg:501")
        assert repo.plan(assessment.id) is not None  # the plan and the rest stay
        assert len(repo.checkins_of(assessment.id)) == 1  # the one shown, still answerable
    going = engine.services.knowledge.followup.status.options[0]
    chat.tap(going.label.en)
    assert chat.templates() == ["checkin_advice"]


def test_an_old_no_pressed_after_a_yes_sends_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    chat.tap(engine.services.label("en", "checkin_no"))  # they changed their mind at once
    assert chat.templates() == ["checkin_declined"]
    at(monkeypatch, datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    assert engine.due_checkins(100, PREFIX) == []


def test_coming_back_late_gets_the_latest_check_in_only(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both fell due while the user was away (or the bot down): only the 6-week one is shown,
    and the 2-week one is marked skipped, not sent weeks late beside it."""
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    at(monkeypatch, datetime(2027, 4, 20, 9, 0, tzinfo=UTC))
    shown = [m for m in engine.opening(chat.user) if isinstance(m, Message)]
    assert [(m.template, m.values["week"]) for m in shown] == [("checkin", 6)]
    with engine.store.reading() as repo:
        (assessment,) = repo.assessments("tg:501")
        first, last = repo.checkins_of(assessment.id)
    assert first.skipped is not None and first.delivered is None
    assert last.delivered is not None
    chat.command("mydata")
    assert "skipped, a later one was due by then" in chat.text()


def test_stalled_twice_gets_other_advice_the_second_time(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = engine.services.knowledge.followup.status
    stalled = next(o for o in status.options if o.id == "stalled")
    at(monkeypatch, datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    chat = planned(engine)
    chat.tap(engine.services.label("en", "checkin_yes"))
    for day in (datetime(2027, 3, 15, 9, 0, tzinfo=UTC), datetime(2027, 4, 12, 9, 0, tzinfo=UTC)):
        at(monkeypatch, day)
        chat.come_back()
        chat.tap(stalled.label.en)
        shown = chat.messages()[0]
        assert shown.template == "checkin_advice"
        advice = shown.values["advice"]
        if day.month == 3:
            assert advice == status.advice["stalled"].en
        else:
            assert advice == status.again["stalled"].en  # not the same words again
