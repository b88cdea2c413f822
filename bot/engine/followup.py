"""Staying with the firm through its pilot: the check-in offer, the check-ins, the effects survey.

- After the plan the adviser offers check-ins (knowledge/followup.yaml: after 2 and 6 weeks).
  Nothing is ever sent without the user's yes.
- A check-in falls due at 10:00 Finnish time on its day; an adapter claims what is due
  (`due_checkins`), which marks it sent in the same transaction, so it goes out once.
- A check-in asks how the pilot is going and gives the advice for the answer; the last one then
  asks the effects survey, one question at a time, each answer stored once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.content.followup_models import FollowUpOption
from bot.engine.buttons import CheckinAnswerButton, CheckinOfferButton
from bot.engine.turn import Replies, Turn, in_place
from bot.events import Choice, Message
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
    if button.answer != "yes":
        return in_place([turn.message("checkin_declined")])
    made = datetime.fromisoformat(plan.created)
    weeks = turn.services.knowledge.followup.weeks
    dues = [(w, due_at(made, w).astimezone(made.tzinfo).isoformat()) for w in weeks]
    turn.repo.plan_checkins(turn.key, button.assessment, dues)
    first = due_at(made, weeks[0]).date().isoformat()
    return in_place([turn.message("checkin_planned", weeks=list(weeks), first=first)])


def checkin_message(turn: Turn, checkin: CheckinRow) -> Message:
    """A check-in as it is sent: how is the pilot going?"""
    status = turn.services.knowledge.followup.status
    rows = _answer_rows(turn, checkin, STATUS, status.options)
    return turn.message(
        "checkin", choices=rows, week=checkin.week, question=status.question.of(turn.lang)
    )


def on_answer(turn: Turn, button: CheckinAnswerButton) -> Replies:
    followup = turn.services.knowledge.followup
    checkin = turn.repo.checkin(button.checkin)
    if checkin is None or checkin.user_key != turn.key:
        return [turn.notice("stale_button", in_progress=False)]
    if button.question == STATUS:
        valid = {o.id for o in followup.status.options}
    else:
        valid = {a.id for a in followup.answers} if followup.effect(button.question) else set()
    if button.answer not in valid:
        return [turn.notice("stale_button", in_progress=False)]
    if not turn.repo.answer_checkin(checkin.id, button.question, button.answer):
        return [turn.notice("already_answered")]
    if button.question == STATUS:
        advice = followup.status.advice[button.answer].of(turn.lang)
        shown = turn.message("checkin_advice", advice=advice, survey=checkin.last)
        return in_place([shown, *_next_effect(turn, checkin)])
    return in_place(_next_effect(turn, checkin))


def _next_effect(turn: Turn, checkin: CheckinRow) -> Replies:
    """The next unanswered effect question of the survey (the last check-in only), or thanks."""
    if not checkin.last:
        return []
    followup = turn.services.knowledge.followup
    answered = turn.repo.checkin_answers(checkin.id)
    for number, effect in enumerate(followup.effects, 1):
        if effect.id in answered:
            continue
        rows = _answer_rows(turn, checkin, effect.id, followup.answers)
        values = {"question": effect.question.of(turn.lang), "number": number}
        return [
            turn.message("survey_question", choices=rows, total=len(followup.effects), **values)
        ]
    return [turn.message("survey_thanks")]


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
