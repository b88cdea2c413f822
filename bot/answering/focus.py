"""The asking part of a long message: the question after the story.

Real questions often come as several sentences about the firm and then "how can we get them to
use it?". Compared as a whole, the story's words (the tool, the team, the years) outweigh the
question's. So in a message of several sentences the sentences that ask (ending in "?", opening
with a question word from knowledge/spoken.yaml, or in Finnish holding a -ko/-kö question word
near the start) are found, and the answerer weighs them more than the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot import Lang
from bot.answering.stemming import words

LONG_MESSAGE_WORDS = 18  # shorter messages are one question as they stand
ASKING_SENTENCES = 2  # the last this many asking sentences are the question
# An asking part shorter than this leans on the sentence before ("How was that done?"), which
# is then taken in too.
MIN_ASKING_WORDS = 8
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_FI_QUESTION_WORD = re.compile(r"\w{3,}(ko|kö|kos|kös)$")  # "kannattaako", "onkos", "voiko"
_FI_QUESTION_AT = 3  # a -ko/-kö word this near the start makes the sentence a question


def sentences(text: str) -> list[str]:
    """The message's sentences, as it was cut: at ., ! or ? before a space, and at line breaks."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


class AskingPart:
    def __init__(self, lang: Lang, openers: Iterable[str]) -> None:
        self.lang = lang
        self.openers = frozenset(openers)

    def of(self, text: str) -> str | None:
        """The asking sentences of a long message, with the sentence before where they are too
        short to stand alone; None when the whole message is the question."""
        return self._part(text, MIN_ASKING_WORDS)

    def questions(self, text: str) -> str | None:
        """Only the asking sentences of a long message ("What should we post on LinkedIn?"), or
        None when the whole message is the question."""
        return self._part(text, 0)

    def _part(self, text: str, min_words: int) -> str | None:
        cut = sentences(text)
        if len(cut) < 2 or len(words(text)) < LONG_MESSAGE_WORDS:
            return None
        asking = [n for n, s in enumerate(cut) if self.asks(s)][-ASKING_SENTENCES:]
        first = asking[0] if asking else len(cut) - 1
        chosen = set(asking) or {first}
        while first > 0 and sum(len(words(cut[n])) for n in chosen) < min_words:
            first -= 1
            chosen.add(first)
        part = " ".join(cut[n] for n in sorted(chosen))
        return None if len(words(part)) == len(words(text)) else part

    def asks(self, sentence: str) -> bool:
        """Whether the sentence is put as a question (a "?", a question word first, a -ko/-kö
        word near the start)."""
        if sentence.endswith("?"):
            return True
        said = words(sentence)
        if not said:
            return False
        if said[0] in self.openers:
            return True
        return self.lang == "fi" and any(_FI_QUESTION_WORD.match(w) for w in said[:_FI_QUESTION_AT])
