"""When the last answer is given: scores, the stage, the plan, the radar chart and the plan file.

The plan's words are stored with the assessment in both languages when it is made, so /plan shows
exactly the plan the user got, in whichever language they use now, even after the plan rules
have changed. The chart is drawn again from the stored answers when needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot import LANGS, Lang
from bot.assessment.chart import radar_png
from bot.assessment.compare import Change, compare
from bot.assessment.peers import Peer, peer_figure
from bot.assessment.planner import make_plan
from bot.assessment.present import (
    PLAN_DOCUMENT_TEMPLATE,
    PLAN_TEMPLATE,
    WHOLE_PLAN_TEMPLATE,
    peer_values,
    pilot_title,
    plan_values,
    since_values,
    stored_plan_values,
)
from bot.assessment.profile import Answers
from bot.assessment.scoring import score
from bot.engine import followup
from bot.engine.buttons import WholePlanButton
from bot.engine.turn import Replies, Turn
from bot.events import Document, Message, Photo, Reply
from bot.store.repository import AnswerRow, AssessmentRow, PlanRow


def final_answers(answers: Mapping[str, AnswerRow]) -> dict[str, tuple[str, ...]]:
    """The final answers as the scoring and the planner take them: step key to option ids."""
    return {key: row.choices for key, row in answers.items() if row.final}


def _plan_replies(
    turn: Turn,
    assessment_id: int,
    made: str,
    answers: Answers,
    values: Mapping[str, Any],
    previous: PlanRow | None,
) -> Replies:
    """The plan as a message now; the chart and the Markdown file after the commit.

    The files are named by the day the plan was made (`made`, ISO 8601), never by the
    assessment's id: that is a count of everyone's assessments, not the user's business.
    """
    lang: Lang = turn.lang
    services = turn.services
    assessment = services.knowledge.assessment

    earlier = None
    if previous is not None and "scores" in previous.content:
        renderer = services.renderer
        then = renderer.text(Message(lang, "chart_then", {"date": previous.created[:10]}))
        earlier = (previous.content["scores"], then, renderer.text(Message(lang, "chart_now")))

    def files() -> list[Reply]:
        png = radar_png(score(assessment, answers), assessment, lang, earlier)
        document = services.renderer.text(Message(lang, PLAN_DOCUMENT_TEMPLATE, values))
        day = made[:10]
        return [
            Photo(png, f"chart-{day}.png", Message(lang, "chart_caption")),
            Document(
                document.encode(),
                f"plan-{day}.md",
                "text/markdown",
                Message(lang, "plan_file_caption"),
            ),
        ]

    # The phone-sized plan first; every step and the 30/60/90 days behind one button.
    whole = ((turn.choice("whole_plan", WholePlanButton(assessment_id)),),)
    return [Message(lang, PLAN_TEMPLATE, values, whole), files]


def complete(
    turn: Turn,
    assessment: AssessmentRow,
    answers: Mapping[str, AnswerRow],
    *,
    replaces: bool = False,
) -> Replies:
    """Finish the assessment: store its plan and show the results (`replaces`: in place of the
    question whose button was pressed)."""
    knowledge = turn.services.knowledge
    final = final_answers(answers)
    result = score(knowledge.assessment, final)
    plan = make_plan(knowledge, final, result)
    previous = turn.repo.latest_plan(turn.key)  # the firm's last plan, to compare with
    changes = (
        compare(knowledge.assessment, previous.content["scores"], result, final)
        if previous is not None and "scores" in previous.content
        else None
    )
    size = next(iter(final.get("size", ())), None)
    peers = peer_figure(size, [Peer(*row) for row in turn.repo.peers(turn.key)])
    answered = followup.answers_of_plan(turn, previous.assessment_id) if previous else []
    words = {
        lang: {
            **plan_values(knowledge, result, plan, lang),
            "since": _since(
                turn, previous, changes, plan.steps[0].id, result.overall, answered, lang
            ),
            "peers": peer_values(peers, result, lang) if peers else None,
        }
        for lang in LANGS
    }
    content = {
        "stage": result.stage.id,
        "overall": result.overall,
        "scores": {d.id: d.score for d in result.dimensions},
        "steps": [step.id for step in plan.steps],
        "values": words,
    }
    turn.repo.finish(assessment.id, content)
    done = Message(turn.lang, "done", replaces_pressed=replaces)
    made = turn.repo.plan(assessment.id)
    assert made is not None  # stored just above, in this transaction
    plan_replies = _plan_replies(
        turn, assessment.id, made.created, final, words[turn.lang], previous
    )
    return [done, *plan_replies, followup.offer(turn, assessment.id)]


def _since(
    turn: Turn,
    previous: PlanRow | None,
    changes: list[Change] | None,
    pilot: str,
    overall: int,
    answered: Sequence[tuple[int, Mapping[str, str]]],
    lang: Lang,
) -> dict[str, Any] | None:
    """Then and now: the scores, the pilot the earlier plan began with, and what the firm told
    at its check-ins, so that the new plan can say what has been done since."""
    if previous is None or changes is None:
        return None
    steps = previous.content.get("steps", [])
    return since_values(
        changes,
        previous.created,
        lang,
        overall=(previous.content.get("overall"), overall),
        pilot=pilot_title(previous.content, lang),
        same_pilot=bool(steps) and steps[0] == pilot,
        told=followup.told_since(turn, answered, lang),
    )


def show_latest_plan(turn: Turn) -> Replies:
    """The latest plan again, or nothing if the user has not finished an assessment."""
    latest = turn.repo.latest_plan(turn.key)
    if latest is None:
        return []
    answers = final_answers(turn.repo.answers(latest.assessment_id))
    values = stored_plan_values(latest.content["values"][turn.lang])
    previous = turn.repo.latest_plan(turn.key, before=latest.assessment_id)
    return _plan_replies(turn, latest.assessment_id, latest.created, answers, values, previous)


def on_whole_plan(turn: Turn, button: WholePlanButton) -> Replies:
    """The whole plan of the assessment the button was shown for, if it is still the user's."""
    latest = turn.repo.latest_plan(turn.key)
    if latest is None or button.assessment != latest.assessment_id:
        return [turn.notice("stale_button", in_progress=False)]
    values = stored_plan_values(latest.content["values"][turn.lang])
    return [Message(turn.lang, WHOLE_PLAN_TEMPLATE, values)]
