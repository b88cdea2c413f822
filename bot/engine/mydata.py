"""/mydata: everything we keep about the user, readable in the chat and whole as a JSON file."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.engine.followup import FINLAND
from bot.engine.turn import Replies, Turn
from bot.events import Document
from bot.store.repository import AssessmentRow


def _when(stamp: str | None) -> str:
    """'2026-11-22T07:56:16+00:00' as '2026-11-22 07:56 UTC'."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if stamp else ""


def _status(a: AssessmentRow) -> tuple[str, str | None]:
    if a.finished:
        return "finished", a.finished
    if a.abandoned:
        return "abandoned", a.abandoned
    return ("paused" if a.paused else "open"), None


def _readable_answers(turn: Turn, assessment_id: int) -> list[dict[str, str]]:
    """Each answer as question and chosen labels, in the order the questions are asked."""
    lang = turn.lang
    steps = turn.services.steps
    stored = turn.repo.answers(assessment_id)
    rows: list[dict[str, str]] = []
    for step in steps.all:
        row = stored.pop(step.key, None)
        if row is None:
            continue
        labels = [o.label.of(lang) for o in step.options if o.id in row.choices]
        rows.append({"question": step.text.of(lang), "answer": ", ".join(labels)})
    for key, row in sorted(stored.items()):  # steps the assessment no longer has
        rows.append({"question": key, "answer": ", ".join(row.choices)})
    return rows


def _readable_checkins(turn: Turn, assessment_id: int) -> list[dict[str, Any]]:
    """Each check-in of that plan: its week, when it is or was due, and what was answered, in
    the order it was asked."""
    followup = turn.services.knowledge.followup
    lang = turn.lang
    asked = [("status", followup.status.question, followup.status.options)]
    asked += [(q.id, q.question, followup.options_of(q)) for q in followup.survey]
    found: list[dict[str, Any]] = []
    for checkin in turn.repo.checkins_of(assessment_id):
        stored = turn.repo.checkin_answers(checkin.id)
        answers = []
        for key, question, options in asked:
            given = stored.pop(key, "").split()
            if given:
                labels = [o.label.of(lang) for o in options if o.id in given]
                answers.append({"question": question.of(lang), "answer": ", ".join(labels)})
        for key, answer in sorted(stored.items()):  # questions the survey no longer has
            answers.append({"question": key, "answer": answer})
        found.append(
            {
                "week": checkin.week,
                # Its day in Finland: sent at 10:00 Finnish time, shown as "08:00 UTC" it puzzled.
                "due": datetime.fromisoformat(checkin.due).astimezone(FINLAND).date().isoformat(),
                "sent": checkin.delivered is not None,
                "skipped": checkin.skipped is not None,
                "answers": answers,
            }
        )
    return found


def mydata(turn: Turn, args: str) -> Replies:
    exported = turn.repo.export_user(turn.key)
    if exported is None:
        return [turn.message("mydata_empty")]
    assessments: list[dict[str, Any]] = []
    for number, a in enumerate(turn.repo.assessments(turn.key), start=1):
        status, ended = _status(a)
        assessments.append(
            {
                "number": number,
                "started": _when(a.started),
                "status": status,
                "ended": _when(ended),
                "answers": _readable_answers(turn, a.id),
                "has_plan": turn.repo.plan(a.id) is not None,
                "checkins": _readable_checkins(turn, a.id),
            }
        )
    user = exported["user"]
    last = turn.services.knowledge.topics.get(user["last_topic"] or "")
    message = turn.message(
        "mydata",
        key=user["key"],
        language=user["language"],
        created=_when(user["created"]),
        last_topic=last.of(turn.lang).title if last else "",
        assessments=assessments,
    )
    content = json.dumps(exported, ensure_ascii=False, indent=2).encode()
    return [message, Document(content, "my-data.json", "application/json")]
