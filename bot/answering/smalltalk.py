"""Greetings, thanks and goodbyes: messages that are not questions (knowledge/smalltalk.yaml).

"moi" or "thanks!" sent to the question answering would be "outside my field", which is no way
to greet anyone. Only a message that is one of the listed phrases counts, in either language.
A greeting or thanks that opens a longer message ("hi, which channel should we start with?") is
left out of the question: words the topics never use count against a match.
"""

from __future__ import annotations

from bot import LANGS, Lang
from bot.answering.focus import sentences
from bot.answering.signs import Sequences
from bot.answering.stemming import after_words, words
from bot.content.models import SmallTalk

OPENINGS = ("greeting", "thanks")  # kinds that may open a question without being part of it
# A message of several phrases ("ok thanks, bye", "kiitos paljon, tämä auttoi") is taken as the
# first of these kinds in it: a goodbye ends the talk whatever came before it.
SEVERAL = ("goodbye", "thanks")
MOST_WORDS = 12  # longer than this, it is a question (and the split stays cheap)


class SmallTalkPhrases:
    def __init__(self, smalltalk: SmallTalk) -> None:
        self._kinds: dict[str, str] = {}
        # Which language a phrase belongs to, where only one lists it ("moi", not "ok").
        langs: dict[str, set[Lang]] = {}
        for kind, phrases in smalltalk.kinds().items():
            for lang in LANGS:
                for phrase in phrases.of(lang):
                    said = " ".join(words(phrase))
                    self._kinds[said] = kind
                    langs.setdefault(said, set()).add(lang)
        self._lang = {phrase: next(iter(ls)) for phrase, ls in langs.items() if len(ls) == 1}
        self._openings = Sequences(p for p, kind in self._kinds.items() if kind in OPENINGS)

    def kind_of(self, text: str) -> str | None:
        """The kind of small talk the text is ("greeting", "about", "thanks", "goodbye",
        "unsure", "resume"), if any."""
        phrase = self._phrase(text)
        return None if phrase is None else self._kinds[phrase]

    def closing_kind(self, text: str) -> str | None:
        """The kind of small talk the last sentence of a message of several is, if any: "We run
        a small salon. Can you help us with social media?" ends in "about"."""
        cut = sentences(text)
        return self.kind_of(cut[-1]) if len(cut) > 1 else None

    def language_of(self, text: str) -> Lang | None:
        """The language of a small-talk phrase that only one language lists ("moi", "hello")."""
        phrase = self._phrase(text)
        return None if phrase is None else self._lang.get(phrase)

    def _phrase(self, text: str) -> str | None:
        said = words(text)
        if not said:
            return None
        exact = " ".join(said)
        if exact in self._kinds:
            return exact
        # "moi moi", "thanks thanks": the same word said again
        once = " ".join(w for n, w in enumerate(said) if n == 0 or w != said[n - 1])
        if once in self._kinds:
            return once
        return self._several(said)

    def _several(self, said: list[str]) -> str | None:
        """The deciding phrase of a message made only of phrases, if it is one (see SEVERAL)."""
        if len(said) > MOST_WORDS:
            return None
        found = self._split(tuple(said))
        if found is None:
            return None
        for kind in SEVERAL:
            chosen = next((p for p in found if self._kinds[p] == kind), None)
            if chosen is not None:
                return chosen
        return None

    def _split(self, said: tuple[str, ...]) -> list[str] | None:
        """The message as phrases one after another ("selvä", "kiitos ja näkemiin"), or None if
        some word is no small talk."""
        if not said:
            return []
        for end in range(len(said), 0, -1):  # the longest phrase first
            head = " ".join(said[:end])
            if head in self._kinds:
                rest = self._split(said[end:])
                if rest is not None:
                    return [head, *rest]
        return None

    def without_opening(self, text: str) -> str:
        """The question without a greeting or thanks before it; the text itself if none."""
        said = words(text)
        opening = self._openings.at(said, shorter_than=len(said))  # a question must remain
        return text if opening is None else after_words(text, len(opening))
