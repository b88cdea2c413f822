"""Phrases looked for in a question: all of a phrase's words, in any order, inflected or not.

Used where the knowledge base names the words that mark a kind of question: the signs of a
question someone else answers (referrals.yaml) and the words a topic requires (`requires:`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot import Lang
from bot.answering.stemming import words

# Finnish inflects at the end of a word: a listed word this long counts at the start of a word
# ("kirjanpito" in "kirjanpitoon", "vieras" in "vierasta"). Shorter ones only as written.
MIN_PREFIX = 4
# ... and glues words together: one this long counts anywhere inside a word ("lasku" in
# "verkkolaskun", "lisenssi" in "teams-lisenssimaksu").
MIN_INSIDE = 5


@dataclass(frozen=True)
class SaidWords:
    """A question's words as sets, made once, so that many phrases are looked up cheaply."""

    lang: Lang
    exact: frozenset[str]
    # In English each word also without a plural or third-person ending ("guests", "licences",
    # "taxes" stand for "guest", "licence", "tax"); in Finnish the words as they are.
    forms: frozenset[str]
    starts: frozenset[str]  # every start of a word from MIN_PREFIX letters on (Finnish)
    inside: frozenset[str]  # every piece of a word from MIN_INSIDE letters on (Finnish)

    @classmethod
    def of(cls, said: Sequence[str], lang: Lang) -> SaidWords:
        exact = frozenset(said)
        if lang != "fi":
            forms = exact | {w[:-1] for w in exact if w.endswith("s")}
            forms |= {w[:-2] for w in exact if w.endswith("es")}
            return cls(lang, exact, frozenset(forms), frozenset(), frozenset())
        starts = frozenset(w[:n] for w in said for n in range(MIN_PREFIX, len(w) + 1))
        inside = frozenset(
            w[i:j]
            for w in set(said)
            for i in range(len(w))
            for j in range(i + MIN_INSIDE, len(w) + 1)
        )
        return cls(lang, exact, exact, starts, inside)

    def among(self, listed: _Listed) -> frozenset[str]:
        """Which of the listed words the question holds, as a whole word or, in Finnish,
        inflected or inside a compound: set intersections, since one question is looked up
        against hundreds of listed words."""
        if self.lang != "fi":
            return listed.every & self.forms
        return (
            (listed.every & self.exact)
            | (listed.long & self.inside)
            | (listed.prefix_only & self.starts)
        )


@dataclass(frozen=True)
class _Listed:
    """Listed words by how they may be found: every one as written; from MIN_INSIDE letters on
    also inside a word (and so at its start); from MIN_PREFIX letters up to that, at its start."""

    every: frozenset[str]
    long: frozenset[str]
    prefix_only: frozenset[str]

    @classmethod
    def of(cls, listed: Iterable[str]) -> _Listed:
        every = frozenset(listed)
        return cls(
            every,
            frozenset(w for w in every if len(w) >= MIN_INSIDE),
            frozenset(w for w in every if MIN_PREFIX <= len(w) < MIN_INSIDE),
        )


@lru_cache(maxsize=256)
def said_words(text: str, lang: Lang) -> SaidWords:
    """The words of a text as SaidWords; one question is looked up several times (referrals,
    required words, keywords), so the sets are made once."""
    return SaidWords.of(words(text), lang)


class Signs:
    def __init__(self, lang: Lang, phrases: Iterable[str]) -> None:
        self.lang = lang
        self.phrases = [frozenset(p) for p in (words(p) for p in phrases) if p]
        self._listed = _Listed.of(w for phrase in self.phrases for w in phrase)

    def found_in(self, said: SaidWords) -> bool:
        """Whether the question's words hold all the words of one of the phrases, in any order."""
        present = said.among(self._listed)
        return bool(present) and any(phrase <= present for phrase in self.phrases)


class Sequences:
    """Phrases as words in a row ("thanks in advance", "what about"), found where they stand:
    at the start of a question (a greeting, a follow-up's opening) or anywhere (fillers)."""

    def __init__(self, phrases: Iterable[str]) -> None:
        # By first word, longest first: "thank you very much" before "thank you".
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted((tuple(words(p)) for p in phrases), key=len, reverse=True):
            if phrase:
                self._by_first.setdefault(phrase[0], []).append(phrase)

    def at(
        self, said: Sequence[str], position: int = 0, *, shorter_than: int | None = None
    ) -> tuple[str, ...] | None:
        """The longest phrase that stands at `position` of the words (and has fewer words than
        `shorter_than`, if given), if any."""
        if position >= len(said):
            return None
        for phrase in self._by_first.get(said[position], ()):
            if shorter_than is not None and len(phrase) >= shorter_than:
                continue
            if tuple(said[position : position + len(phrase)]) == phrase:
                return phrase
        return None

    def before_first(self, said: Sequence[str]) -> Sequence[str]:
        """The words before the first of the phrases, all of them if there is none."""
        for position in range(len(said)):
            if self.at(said, position) is not None:
                return said[:position]
        return said

    def removed_from(self, said: Sequence[str]) -> list[str]:
        """The words without any of the phrases."""
        kept: list[str] = []
        position = 0
        while position < len(said):
            phrase = self.at(said, position)
            if phrase is None:
                kept.append(said[position])
                position += 1
            else:
                position += len(phrase)
        return kept
