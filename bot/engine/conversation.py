"""Free text and other things people send: questions to answer, and input we cannot use.

Text at any point is a question for the knowledge base; the assessment then carries on where it
was. A greeting, thanks or goodbye (knowledge/smalltalk.yaml) gets a reply in kind. Input that
cannot be a question (empty, far too long, emoji only, a bare number where a button was expected)
gets a friendly word and the current question again, and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from bot import other_language
from bot.answering.answer import Answer
from bot.answering.answerer import MAX_QUESTION_CHARS
from bot.answering.stemming import words
from bot.engine import assessing, commands, followup, waiting
from bot.engine.answers import answer_message
from bot.engine.buttons import TopicButton
from bot.engine.turn import Replies, Turn

THREAD = timedelta(minutes=30)  # a follow-up ("what about internal stuff?") this soon is in it
SHORT_REPLY_WORDS = 3  # out-of-scope text this short, mid-assessment, was meant as an answer
# A statement this short at an assessment question ("meillä on whatsapp-ryhmä", "facebook and
# instagram") was meant as its answer, not as a question: answered with a topic, it got one
# about something else.
STATEMENT_WORDS = 6


def answer_question(turn: Turn, text: str) -> Answer:
    """Answer in the user's language; if that finds nothing, try the other one (people switch).
    A follow-up soon after an answer is read in that answer's thread."""
    answerer = turn.services.answerer
    thread = turn.repo.recent_topic(turn.key, THREAD)
    answer = answerer.answer(text, turn.lang, thread=thread)
    if answer.outcome == "out_of_scope":
        other = answerer.answer(text, other_language(turn.lang), thread=thread)
        if other.outcome != "out_of_scope":
            answer = other
    if answer.topic is not None:
        turn.repo.set_last_topic(turn.key, turn.lang, answer.topic.id)
    return answer


def on_text(turn: Turn, text: str) -> Replies:
    stripped = text.strip()
    if not stripped:
        return [turn.message("empty_message"), *waiting.reshow(turn)]
    if len(stripped) > MAX_QUESTION_CHARS:
        return [turn.message("too_long", limit=MAX_QUESTION_CHARS), *waiting.reshow(turn)]
    if not any(ch.isalnum() for ch in stripped):
        return [turn.message("no_words"), *waiting.reshow(turn)]
    current = turn.current()
    answering = current is not None and not current.paused
    # A question on screen that wants a button: the assessment's, or a check-in's.
    expecting = answering or followup.open_question(turn) is not None
    if expecting and stripped.isdigit():
        return [turn.message("expected_button"), *waiting.reshow(turn)]
    if not turn.language_known:
        _adopt_language(turn, stripped)
    kind = turn.services.answerer.smalltalk.kind_of(stripped)
    if kind in ("greeting", "about"):  # "hi", "what can you do?": who the adviser is, what it does
        return commands.start(turn, "")
    if kind == "thanks":
        return [turn.message("smalltalk_thanks"), *waiting.reshow(turn)]
    if kind == "goodbye":
        # A paused assessment waits too (/assess carries it on), as /start and /help say.
        has_plan = turn.repo.has_plan(turn.key)
        return [
            turn.message("smalltalk_goodbye", in_progress=current is not None, has_plan=has_plan)
        ]
    if kind == "unsure" and answering:
        return assessing.help_with_question(turn)
    if kind == "unsure" and expecting:  # at a check-in: its buttons include "can't say yet"
        return [turn.message("expected_button"), *waiting.reshow(turn)]
    if kind == "resume":  # "continue", "jatketaan": as /resume
        return commands.resume(turn, "")
    # "We're a small salon. Can you help us with social media?" asks what the adviser does,
    # unless the message as a whole has an answer ("We want a podcast. Where do we start?").
    closing_about = (
        kind is None and turn.services.answerer.smalltalk.closing_kind(stripped) == "about"
    )
    if (
        answering
        and not closing_about
        and len(words(stripped)) <= STATEMENT_WORDS
        and not turn.services.answerer.asking[turn.lang].asks(stripped)
    ):
        return [turn.message("expected_button"), *waiting.reshow(turn)]
    answer = answer_question(turn, stripped)
    if closing_about and answer.outcome != "answer":
        return commands.start(turn, "")
    if expecting and answer.outcome == "out_of_scope" and len(words(stripped)) <= SHORT_REPLY_WORDS:
        return [turn.message("expected_button"), *waiting.reshow(turn)]
    if answer.outcome != "answer":  # for the content editors: what people ask that we lack
        turn.repo.record_unanswered(answer.lang, stripped, answer.outcome)
    return _answer_then_question(turn, answer)


def _answer_then_question(turn: Turn, answer: Answer) -> Replies:
    """The answer, and the question the user is at beneath it. With a question to follow, the
    related topics are named in the answer's text, not as buttons: the two go as one message
    with one keyboard, the question's."""
    question = waiting.reshow(turn)
    knowledge = turn.services.knowledge

    def topic_token(topic_id: str) -> str:
        return turn.token(TopicButton(topic_id))

    shown = answer_message(knowledge, answer, list_related=bool(question), topic_token=topic_token)
    return [shown, *question]


def _adopt_language(turn: Turn, text: str) -> None:
    """A user who never chose a language gets the one they write in: "moi" is answered in
    Finnish even by a terminal started without --lang or a phone set to English. Stored, so
    that the buttons of the reply speak it too."""
    answerer = turn.services.answerer
    lang = answerer.smalltalk.language_of(text) or answerer.clear_language(text)
    if lang is not None and lang != turn.lang:
        turn.use_language(lang)


def on_topic(turn: Turn, button: TopicButton) -> Replies:
    """A "did you mean" or related-topic button: that topic's answer."""
    topic = turn.services.knowledge.topics.get(button.topic)
    if topic is None:
        return assessing.stale(turn)
    answer = Answer("", turn.lang, "answer", topic, topic.related[:3], 1.0)
    turn.repo.set_last_topic(turn.key, turn.lang, topic.id)
    return _answer_then_question(turn, answer)


def on_unsupported(turn: Turn, kind: str) -> Replies:
    return [turn.message("unsupported", kind=kind), *waiting.reshow(turn)]
