"""Chat words read as written ones: "vois" as "voisi", "mun" as "minun", "pls" as "please".

Owners type the way they speak, while the topics are mostly written Finnish and English. The
stemmer cannot join the two ("vois" and "voisi" stem apart), and a word the index has never seen
counts against a match, so spoken forms are put into their written forms (knowledge/spoken.yaml)
on both sides: in the topics' texts when they are indexed and in each question.
"""

from __future__ import annotations

from functools import lru_cache

from bot import Lang
from bot.answering.stemming import stem, words
from bot.content.models import SpokenLanguage

VOWELS = frozenset("aeiouyäöå")


MIN_STEM = 4  # a shorter stem ("in" of "insta") is shared by too many other words


class SpokenWords:
    def __init__(self, forms: SpokenLanguage | None = None, lang: Lang = "en") -> None:
        forms = forms or SpokenLanguage()
        self._words = {said: tuple(written.split()) for said, written in forms.words.items()}
        self._words.update({said: (written,) for said, written in forms.nicknames.items()})
        # A nickname inflected ("linkkarissa" for "linkkari") is found by its stem. Only for
        # nicknames: the stem of "mitää" is that of "mitä", a word in its own right.
        self._stems = {
            stem(said, lang): (written,)
            for said, written in forms.nicknames.items()
            if len(stem(said, lang)) >= MIN_STEM
        }
        self.lang = lang
        # Longest first, so "isko" wins over "is" in "kannattaisko".
        self._endings = sorted(forms.endings.items(), key=lambda item: -len(item[0]))

    def words(self, text: str) -> list[str]:
        """The text's lower-case words, each in its written form."""
        out: list[str] = []
        for word in words(text):
            out.extend(self.written(word))
        return out

    @lru_cache(maxsize=32768)  # noqa: B019 - one reader per language lives as long as the process
    def written(self, word: str) -> tuple[str, ...]:
        if word in self._words:
            return self._words[word]
        inflected = self._stems.get(stem(word, self.lang))
        if inflected is not None:
            return inflected
        for said, written in self._endings:
            before = len(word) - len(said)
            if before > 0 and word.endswith(said) and word[before - 1] in VOWELS:
                return (word[:before] + written,)
        return (word,)
