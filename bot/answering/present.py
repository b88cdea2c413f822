"""Putting an Answer into a message: the template, its values, and buttons for related topics."""

from __future__ import annotations

from bot.answering.answer import Answer
from bot.content.loader import Knowledge
from bot.engine.events import Choice, Message

TOPIC_TOKEN = "topic:"  # a button that opens a topic: "topic:<id>"


def topic_choices(
    knowledge: Knowledge, topic_ids: tuple[str, ...], answer: Answer
) -> tuple[tuple[Choice, ...], ...]:
    """One button a row, so that long titles stay readable on a phone."""
    return tuple(
        (Choice(knowledge.topics[t].text(answer.lang).title, TOPIC_TOKEN + t),)
        for t in topic_ids
        if t in knowledge.topics
    )


def answer_message(knowledge: Knowledge, answer: Answer, *, list_related: bool = False) -> Message:
    """The reply to a question. `list_related` names related topics in the text (no buttons)."""
    lang = answer.lang
    titles = [
        knowledge.topics[t].text(lang).title for t in answer.suggestions if t in knowledge.topics
    ]
    buttons = () if list_related else topic_choices(knowledge, answer.suggestions, answer)
    if answer.outcome == "answer" and answer.topic is not None:
        text = answer.topic.text(lang)
        return Message(
            lang,
            "answer",
            {
                "title": text.title,
                "answer": text.answer,
                "finding": text.finding,
                "sources": knowledge.citations(answer.topic, lang),
                "related": titles if list_related else [],
            },
            choices=buttons,
        )
    if answer.referral is not None:  # next to the field: who does answer it, and what we can
        return Message(
            lang,
            "referral",
            {
                "pointer": answer.referral,
                "suggestions": titles if list_related else [],
                "has_suggestions": bool(titles),
            },
            choices=buttons,
        )
    if answer.outcome == "suggest":
        # A guess at a question outside the field, or close readings of one within it.
        template = "suggest_outside" if answer.outside_field else "suggest"
    else:
        template = "out_of_scope"
    return Message(
        lang,
        template,
        {"suggestions": titles if list_related else [], "has_suggestions": bool(titles)},
        choices=buttons,
    )
