"""The plan as template values: plain, JSON-safe data in one language for plan.j2 and
plan_document.j2 (each template lists the values at its top)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot import Lang
from bot.assessment.compare import Change
from bot.assessment.peers import PeerFigure
from bot.assessment.planner import Plan
from bot.assessment.scoring import Result
from bot.content.loader import Knowledge

PLAN_TEMPLATE = "plan"  # the chat message: where the firm stands and its first steps
WHOLE_PLAN_TEMPLATE = "plan_whole"  # every step, what the reports found, the 30/60/90 days
PLAN_DOCUMENT_TEMPLATE = "plan_document"  # the whole plan as a Markdown file to keep
FOCUS_SIZE = 2  # dimensions named as "where to start"
FIRST_STEPS = 3  # steps in the chat message; the rest behind a button and in the document


def plan_values(knowledge: Knowledge, result: Result, plan: Plan, lang: Lang) -> dict[str, Any]:
    assessment = knowledge.assessment
    importance_labels = {o.id: o.label.of(lang) for o in assessment.importance_options}
    set_aside = set(knowledge.plan.set_aside)
    needy = sorted(
        (
            d
            for d in result.dimensions
            if d.need >= knowledge.plan.min_need and d.importance_option not in set_aside
        ),
        key=lambda d: -d.need,
    )
    profile: list[str] = []
    for question in assessment.profile:
        chosen = result.profile.get(question.id, ())
        labels = [o.label.of(lang) for o in question.options if o.id in chosen]
        if labels:
            profile.append(", ".join(labels))
    steps = [
        {
            "number": number,
            "kind": step.kind,
            "title": step.title(lang),
            "why": step.why(lang),
            "topic": step.topic,
            "topic_title": knowledge.topics[step.topic].of(lang).title,
            # Only a finding carries a report's name: our own advice is printed without one.
            "finding": step.finding.of(lang) if step.finding else None,
            "sources": list(step.citations[lang]) if step.finding else [],
        }
        for number, step in enumerate(plan.steps, start=1)
    ]
    sources: list[str] = []
    for plan_step in plan.steps:
        if plan_step.finding is not None:
            sources += [s for s in plan_step.citations[lang] if s not in sources]
    return {
        "stage": {
            "id": result.stage.id,
            "name": result.stage.name.of(lang),
            "meaning": result.stage.meaning.of(lang),
        },
        "overall": result.overall,
        "dimensions": [
            {
                "id": d.id,
                "name": d.dimension.name.of(lang),
                "score": d.score,
                "importance": importance_labels.get(d.importance_option or ""),
            }
            for d in result.dimensions
        ],
        "focus": [d.dimension.name.of(lang) for d in needy[:FOCUS_SIZE]],
        "first_steps": FIRST_STEPS,
        "profile": profile,
        "steps": steps,
        "outline": [
            {
                "day": p.day,
                "title": p.title.of(lang),
                "actions": [item.of(lang) for item in p.items],
            }
            for p in plan.outline
        ],
        "sources": sources,
        "since": None,  # the change since an earlier assessment: set when there is one
        "peers": None,  # how other firms stand: set when there are enough of them
    }


def since_values(
    changes: list[Change],
    then: str,
    lang: Lang,
    *,
    overall: tuple[int | None, int] | None = None,
    pilot: str | None = None,
    same_pilot: bool = False,
    told: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The change since the previous assessment, for the templates: most important first; with
    the pilot that plan began with, whether this plan begins with it again, and what the firm
    told at its check-ins (`told`, see bot.engine.followup.told_since)."""
    before, after = overall if overall is not None else (None, None)
    return {
        "date": then[:10],
        "overall": {"before": before, "after": after} if before is not None else None,
        "pilot": pilot,
        "same_pilot": same_pilot,
        "told": told,
        "changes": [
            {
                "name": c.dimension.name.of(lang),
                "before": c.before,
                "after": c.after,
                "delta": c.delta,
                "trend": c.trend,
            }
            for c in changes
        ],
    }


def peer_values(figure: PeerFigure, result: Result, lang: Lang) -> dict[str, Any]:
    """Other firms' figures, and per dimension their median beside the firm's own score (only
    the dimensions both have)."""
    return {
        "group": figure.group,
        "firms": figure.firms,
        "median": figure.median,
        "lower": figure.lower,
        "upper": figure.upper,
        "dimensions": [
            {"name": d.dimension.name.of(lang), "own": d.score, "median": figure.dimensions[d.id]}
            for d in result.dimensions
            if d.score is not None and d.id in figure.dimensions
        ],
    }


def pilot_title(content: Mapping[str, Any], lang: Lang) -> str | None:
    """The title of the pilot a stored plan began with, as the user read it."""
    steps = content.get("values", {}).get(lang, {}).get("steps", [])
    return str(steps[0]["title"]) if steps else None


def stored_plan_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A plan's values as stored with its assessment, made readable by today's templates: a plan
    stored before its steps had findings apart (and before the message showed the first steps
    only) gets the values the templates now expect, so an old plan still shows under /plan."""
    upgraded = dict(values)
    upgraded.setdefault("first_steps", FIRST_STEPS)
    upgraded.setdefault("since", None)  # plans from before the comparison
    if upgraded["since"] is not None:  # ... and before it told what was done since
        earlier = {"overall": None, "pilot": None, "same_pilot": False, "told": None}
        upgraded["since"] = {**earlier, **upgraded["since"]}
    upgraded.setdefault("peers", None)  # ... and before the peer figures
    if upgraded["peers"] is not None:  # ... and before their dimensions
        upgraded["peers"] = {"dimensions": [], **upgraded["peers"]}
    upgraded["steps"] = [{"finding": None, **step} for step in values.get("steps", [])]
    return upgraded
