"""An Answer as the engine shows it: the template, its values, and buttons for related topics.

The answering package finds the answer; how it is shown (and the button that opens a related
topic) is the engine's, so answering imports nothing of the engine."""

from __future__ import annotations

from collections.abc import Callable

from bot.answering.answer import Answer
from bot.content.loader import Knowledge
from bot.events import Choice, Message

TopicToken = Callable[[str], str]  # a topic id to the signed token of its button


def topic_choices(
    knowledge: Knowledge, topic_ids: tuple[str, ...], answer: Answer, topic_token: TopicToken
) -> tuple[tuple[Choice, ...], ...]:
    """One button a row, so that long titles stay readable on a phone."""
    return tuple(
        (Choice(knowledge.topics[t].of(answer.lang).title, topic_token(t)),)
        for t in topic_ids
        if t in knowledge.topics
    )


def answer_message(
    knowledge: Knowledge,
    answer: Answer,
    *,
    list_related: bool = False,
    topic_token: TopicToken | None = None,
) -> Message:
    """The reply to a question: related topics named in the text (`list_related`), or as
    buttons (`topic_token` signs them), or neither (the command line's JSON)."""
    lang = answer.lang
    titles = [
        knowledge.topics[t].of(lang).title for t in answer.suggestions if t in knowledge.topics
    ]
    buttons = (
        ()
        if list_related or topic_token is None
        else topic_choices(knowledge, answer.suggestions, answer, topic_token)
    )
    if answer.outcome == "answer" and answer.topic is not None:
        text = answer.topic.of(lang)
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
    # The topics offered instead of an answer; how many, also where they are buttons and not in
    # the text: one is asked about ("is this what you mean?"), several are a choice.
    offered = {"suggestions": titles if list_related else [], "suggestion_count": len(titles)}
    if answer.referral is not None:  # next to the field: who does answer it, and what we can
        return Message(lang, "referral", {"pointer": answer.referral, **offered}, choices=buttons)
    if answer.outcome == "suggest":
        # A guess at a question outside the field, or close readings of one within it.
        template = "suggest_outside" if answer.outside_field else "suggest"
    else:
        template = "out_of_scope"
    return Message(lang, template, offered, choices=buttons)
