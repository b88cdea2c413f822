"""Staying with the firm through its pilot: the check-in offer, the check-ins, the effects survey.

- After the plan the adviser offers check-ins (knowledge/followup.yaml: after 2 and 6 weeks).
  Nothing is ever sent without the user's yes.
- A check-in falls due at 10:00 Finnish time on its day; an adapter claims what is due
  (`due_checkins`), which marks it sent in the same transaction, so it goes out once.
- A check-in asks how the pilot is going and gives the advice for the answer; the last one then
  asks the effects survey, one question at a time, each answer stored once. A "choose all that
  apply" question keeps its selection in its buttons until "Done" (CheckinPickButton).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot import Lang
from bot.assessment.present import pilot_title
from bot.content.followup_models import FollowUpOption, SurveyQuestion
from bot.engine.buttons import CheckinAnswerButton, CheckinOfferButton, CheckinPickButton
from bot.engine.turn import Replies, Turn, in_place
from bot.events import Choice, Message
from bot.store.database import now
from bot.store.repository import CheckinRow

FINLAND = ZoneInfo("Europe/Helsinki")
SEND_AT = time(10, 0)  # a check-in's hour, Finnish time: the working day has begun
STATUS = "status"  # the question "how is the pilot going?"


def offer(turn: Turn, assessment_id: int) -> Message:
    """Shall I check in after 2 and 6 weeks? Yes or no."""
    rows = (
        (
            turn.choice("checkin_yes", CheckinOfferButton(assessment_id, "yes")),
            turn.choice("checkin_no", CheckinOfferButton(assessment_id, "no")),
        ),
    )
    weeks = list(turn.services.knowledge.followup.weeks)
    return turn.message("checkin_offer", choices=rows, weeks=weeks)


def due_at(plan_made: datetime, weeks: int) -> datetime:
    """10:00 in Finland, `weeks` after the day the plan was made."""
    day = plan_made.astimezone(FINLAND).date() + timedelta(weeks=weeks)
    return datetime.combine(day, SEND_AT, tzinfo=FINLAND)


def on_offer(turn: Turn, button: CheckinOfferButton) -> Replies:
    plan = turn.repo.plan(button.assessment)
    owner = turn.repo.assessment(button.assessment)
    if plan is None or owner is None or owner.user_key != turn.key:
        return [turn.notice("stale_button", in_progress=False)]
    if button.answer == "stop":  # on a check-in: the rest go, and the check-in stays answerable
        turn.repo.cancel_checkins(button.assessment)
        return [turn.message("checkin_stopped")]
    if button.answer != "yes":  # also an old "no" pressed after a yes: none are sent
        turn.repo.cancel_checkins(button.assessment)
        return in_place([turn.message("checkin_declined")])
    made = datetime.fromisoformat(plan.created)
    weeks = turn.services.knowledge.followup.weeks
    dues = [(w, due_at(made, w).astimezone(made.tzinfo).isoformat()) for w in weeks]
    turn.repo.plan_checkins(turn.key, button.assessment, dues)
    first = due_at(made, weeks[0]).date().isoformat()
    return in_place([turn.message("checkin_planned", weeks=list(weeks), first=first)])


REOPEN_FOR = timedelta(days=14)  # a check-in left half-answered comes back for this long


def open_question(turn: Turn) -> tuple[CheckinRow, str] | None:
    """The check-in question the user left unanswered (a question typed in between, a restart),
    as (check-in, question id): in the latest check-in delivered in the last two weeks, until
    its survey is done. Cheap: no message is made."""
    since = (datetime.fromisoformat(now()) - REOPEN_FOR).isoformat()
    checkin = turn.repo.latest_delivered_checkin(turn.key, since)
    if checkin is None:
        return None
    answered = turn.repo.checkin_answers(checkin.id)
    if STATUS not in answered:
        return checkin, STATUS
    question = _next_survey_question(turn, checkin, answered)
    return (checkin, question.id) if question is not None else None


def reshow(turn: Turn) -> Replies:
    """That question again, if there is one."""
    pending = open_question(turn)
    if pending is None:
        return []
    checkin, question_id = pending
    if question_id == STATUS:
        return [checkin_message(turn, checkin)]
    question = turn.services.knowledge.followup.question(question_id)
    assert question is not None  # found in the survey just above
    return [_question_message(turn, checkin, question, 0)]


def answers_of_plan(turn: Turn, assessment_id: int) -> list[tuple[int, dict[str, str]]]:
    """(week, answers) of each check-in of that assessment's plan, in order: read once for the
    next plan, which is worded in both languages."""
    return [(c.week, turn.repo.checkin_answers(c.id)) for c in turn.repo.checkins_of(assessment_id)]


def told_since(
    turn: Turn, answered: Sequence[tuple[int, Mapping[str, str]]], lang: Lang
) -> dict[str, Any] | None:
    """What the firm told at the check-ins of a plan (`answers_of_plan`), for the next plan: the
    latest "how is it going?" answer and the effects survey; None if it answered none."""
    followup = turn.services.knowledge.followup
    status: tuple[int, str] | None = None
    effects: list[dict[str, str]] = []
    for week, answers in answered:
        if STATUS in answers:
            status = (week, answers[STATUS])
        for question in followup.survey:
            given = answers.get(question.id, "").split()
            labels = {o.id: o.label.of(lang) for o in followup.options_of(question)}
            if given and all(g in labels for g in given):
                said = ", ".join(labels[g] for g in given)
                effects.append({"id": question.id, "name": question.name.of(lang), "answer": said})
    status_labels = {o.id: o.label.of(lang) for o in followup.status.options}
    if status is None and not effects:
        return None
    return {
        "week": status[0] if status else None,
        "status": status[1] if status and status[1] in status_labels else None,
        "status_label": status_labels.get(status[1]) if status else None,
        "effects": effects,
    }


def checkin_message(turn: Turn, checkin: CheckinRow) -> Message:
    """A check-in as it is sent: how is the pilot going?"""
    status = turn.services.knowledge.followup.status
    rows = _answer_rows(turn, checkin, STATUS, status.options)
    if not checkin.last:  # a way out that keeps everything else
        rows += ((turn.choice("checkin_stop", CheckinOfferButton(checkin.assessment_id, "stop")),),)
    return turn.message(
        "checkin",
        choices=rows,
        week=checkin.week,
        pilot=_pilot_title(turn, checkin.assessment_id),
        question=status.question.of(turn.lang),
    )


def _pilot_title(turn: Turn, assessment_id: int) -> str | None:
    """The pilot the plan began with, as the user read it: weeks on, a busy owner may not
    remember which it was."""
    plan = turn.repo.plan(assessment_id)
    return pilot_title(plan.content, turn.lang) if plan else None


def on_answer(turn: Turn, button: CheckinAnswerButton) -> Replies:
    followup = turn.services.knowledge.followup
    checkin = _own_checkin(turn, button.checkin)
    question = followup.question(button.question)
    if button.question == STATUS:
        valid = {o.id for o in followup.status.options}
    elif question is not None and not question.several:
        valid = {o.id for o in followup.options_of(question)}
    else:
        valid = set()
    if checkin is None or button.answer not in valid:
        return [turn.notice("stale_button", in_progress=False)]
    if not turn.repo.answer_checkin(checkin.id, button.question, button.answer):
        return [turn.notice("already_answered")]
    if button.question == STATUS:
        advice = _advice(turn, checkin, button.answer)
        shown = turn.message("checkin_advice", advice=advice, survey=checkin.last)
        return in_place([shown, *_next_question(turn, checkin)])
    return in_place(_next_question(turn, checkin))


def on_pick(turn: Turn, button: CheckinPickButton) -> Replies:
    """A press on a "choose all that apply" question: show the new selection, or store it."""
    checkin = _own_checkin(turn, button.checkin)
    question = turn.services.knowledge.followup.question(button.question)
    if checkin is None or question is None or not question.several or not checkin.last:
        return [turn.notice("stale_button", in_progress=False)]
    options = turn.services.knowledge.followup.options_of(question)
    if button.picked >= 1 << len(options):
        return [turn.notice("stale_button", in_progress=False)]
    if button.question in turn.repo.checkin_answers(checkin.id):
        return [turn.notice("already_answered")]
    picked = tuple(o.id for bit, o in enumerate(options) if button.picked >> bit & 1)
    if not button.done:
        return in_place([_question_message(turn, checkin, question, button.picked)])
    if not picked:
        return [turn.notice("choose_at_least_one")]
    turn.repo.answer_checkin(checkin.id, button.question, " ".join(picked))
    return in_place(_next_question(turn, checkin))


def _advice(turn: Turn, checkin: CheckinRow, answer: str) -> str:
    """The advice for how the pilot is going; other words if it is what they said last time."""
    status = turn.services.knowledge.followup.status
    earlier = [c for c in turn.repo.checkins_of(checkin.assessment_id) if c.week < checkin.week]
    before = turn.repo.checkin_answers(earlier[-1].id).get(STATUS) if earlier else None
    words = status.again.get(answer) if before == answer else None
    return (words or status.advice[answer]).of(turn.lang)


def _own_checkin(turn: Turn, checkin_id: int) -> CheckinRow | None:
    checkin = turn.repo.checkin(checkin_id)
    return checkin if checkin is not None and checkin.user_key == turn.key else None


def _next_survey_question(
    turn: Turn, checkin: CheckinRow, answered: Mapping[str, str]
) -> SurveyQuestion | None:
    """The first survey question not yet answered that applies (the last check-in only)."""
    if not checkin.last:
        return None
    survey = turn.services.knowledge.followup.survey
    return next((q for q in survey if q.id not in answered and q.applies(answered)), None)


def _next_question(turn: Turn, checkin: CheckinRow) -> Replies:
    """The next unanswered question of the survey (the last check-in only), or thanks."""
    if not checkin.last:
        return []
    answered = turn.repo.checkin_answers(checkin.id)
    question = _next_survey_question(turn, checkin, answered)
    if question is None:
        return [turn.message("survey_thanks")]
    return [_question_message(turn, checkin, question, 0, answered)]


def _question_message(
    turn: Turn,
    checkin: CheckinRow,
    question: SurveyQuestion,
    picked: int,
    answered: Mapping[str, str] | None = None,
) -> Message:
    """One survey question; for a "choose all that apply" one, with the selection `picked`.
    `answered`: the check-in's answers, where the caller has read them already."""
    followup = turn.services.knowledge.followup
    options = followup.options_of(question)
    if question.several:
        rows = _pick_rows(turn, checkin, question, options, picked)
    else:
        rows = _answer_rows(turn, checkin, question.id, options)
    selected = [o.label.of(turn.lang) for bit, o in enumerate(options) if picked >> bit & 1]
    if answered is None:
        answered = turn.repo.checkin_answers(checkin.id)
    asked = [q for q in followup.survey if q.id in answered or q.applies(answered)]
    return turn.message(
        "survey_question",
        choices=rows,
        question=question.question.of(turn.lang),
        number=asked.index(question) + 1,
        total=len(asked),
        several=question.several,
        selected=selected,
    )


def _pick_rows(
    turn: Turn,
    checkin: CheckinRow,
    question: SurveyQuestion,
    options: Sequence[FollowUpOption],
    picked: int,
) -> tuple[tuple[Choice, ...], ...]:
    """Each option says what the selection will be once it is pressed; then "Done"."""
    alone = sum(1 << bit for bit, o in enumerate(options) if o.alone)
    rows: list[tuple[Choice, ...]] = []
    for bit, option in enumerate(options):
        flag = 1 << bit
        label = option.label.of(turn.lang)
        if picked & flag:
            after = picked & ~flag
            label = turn.label("selected", label=label)
        else:
            # "None yet" and the real options rule each other out.
            after = flag if option.alone else (picked & ~alone) | flag
        button = CheckinPickButton(checkin.id, question.id, after)
        rows.append((turn.choice_labelled(label, button),))
    done = CheckinPickButton(checkin.id, question.id, picked, done=True)
    rows.append((turn.choice("done", done),))
    return tuple(rows)


def _answer_rows(
    turn: Turn, checkin: CheckinRow, question: str, options: Sequence[FollowUpOption]
) -> tuple[tuple[Choice, ...], ...]:
    """One button a row, for each answer to one question of a check-in."""
    return tuple(
        (
            turn.choice_labelled(
                option.label.of(turn.lang), CheckinAnswerButton(checkin.id, question, option.id)
            ),
        )
        for option in options
    )
