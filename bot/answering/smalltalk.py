"""Greetings, thanks and goodbyes: messages that are not questions (knowledge/smalltalk.yaml).

"moi" or "thanks!" sent to the question answering would be "outside my field", which is no way
to greet anyone. Only a message that is one of the listed phrases counts, in either language.
A greeting or thanks that opens a longer message ("hi, which channel should we start with?") is
left out of the question: words the topics never use count against a match.
"""

from __future__ import annotations

from bot import LANGS, Lang
from bot.answering.text import words
from bot.content.models import SmallTalk

OPENINGS = ("greeting", "thanks")  # kinds that may open a question without being part of it


class SmallTalkPhrases:
    def __init__(self, smalltalk: SmallTalk) -> None:
        self._kinds = {
            " ".join(words(phrase)): kind
            for kind, phrases in smalltalk.kinds().items()
            for lang in LANGS
            for phrase in phrases.of(lang)
        }
        # Which language a phrase belongs to, where only one lists it ("moi", not "ok").
        langs: dict[str, set[Lang]] = {}
        for phrases in smalltalk.kinds().values():
            for lang in LANGS:
                for phrase in phrases.of(lang):
                    langs.setdefault(" ".join(words(phrase)), set()).add(lang)
        self._lang = {phrase: next(iter(ls)) for phrase, ls in langs.items() if len(ls) == 1}
        # By first word, longest first: "thank you very much" before "thank you".
        self._openings: dict[str, list[tuple[str, ...]]] = {}
        openings = [tuple(p.split()) for p, kind in self._kinds.items() if kind in OPENINGS]
        for opening in sorted(openings, key=len, reverse=True):
            self._openings.setdefault(opening[0], []).append(opening)

    def kind_of(self, text: str) -> str | None:
        """The kind of small talk the text is ("greeting", "about", "thanks", "goodbye",
        "unsure", "resume"), if any."""
        phrase = self._phrase(text)
        return None if phrase is None else self._kinds[phrase]

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
        return once if once in self._kinds else None

    def without_opening(self, text: str) -> str:
        """The question without a greeting or thanks before it; the text itself if none."""
        said = words(text)
        for opening in self._openings.get(said[0], ()) if said else ():
            if len(said) > len(opening) and tuple(said[: len(opening)]) == opening:
                return " ".join(said[len(opening) :])
        return text
