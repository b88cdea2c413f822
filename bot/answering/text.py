"""Turning a user's words into comparable terms: tokens, stems, compound parts, typo repair.

Finnish inflects and compounds heavily ("somemarkkinointiin" = some + markkinointi + illative), so
a term is the Snowball stem of a word (read in its written form first: see spoken.py), and a word
whose stem the knowledge base never uses is split into known parts or, failing that, taken for a
typo of a word the knowledge base writes ("buisness") or of a known stem.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, Levenshtein

from bot import Lang
from bot.answering.stemming import stem

if TYPE_CHECKING:
    from bot.answering.spoken import SpokenWords

MIN_PART = 3  # shortest compound part worth recognising ("työ", "som(e)")
MIN_TYPO_WORD = 5  # shorter words are too close to too many others to repair


class TermMapper:
    """Maps a query's words onto the terms a knowledge index knows, for one language."""

    def __init__(
        self,
        lang: Lang,
        vocabulary: Collection[str],
        spoken: SpokenWords,
        written: Collection[str] = (),
    ) -> None:
        self.lang = lang
        self.vocabulary = frozenset(vocabulary)
        self.spoken = spoken  # chat forms read as written ones before stemming
        self._choices = sorted(self.vocabulary)
        # The words as the knowledge base writes them: a typo is nearer to its word than to the
        # word's stem ("buisness" is one swap from "business", far from the stem "busi").
        # By length, since a typo of this kind changes a word's length by at most two letters.
        self._written: dict[int, list[str]] = {}
        for w in sorted(set(written)):
            if len(w) >= MIN_TYPO_WORD:
                self._written.setdefault(len(w), []).append(w)

    def knows_word(self, word: str) -> bool:
        return any(stem(w, self.lang) in self.vocabulary for w in self.spoken.written(word))

    def terms(self, text: str) -> list[str]:
        """Known terms for each word; an unknown word stays as its stem (and counts as unknown)."""
        return self.terms_of(self.spoken.words(text))

    def terms_of(self, written: list[str]) -> list[str]:
        """`terms` for words already read in their written form (spoken.words)."""
        return [term for word in written for term in self._map_word(word)]

    @lru_cache(maxsize=32768)  # noqa: B019 - one mapper per language lives as long as the process
    def _map_word(self, word: str) -> tuple[str, ...]:
        term = stem(word, self.lang)
        if term in self.vocabulary or len(word) < 4 or word.isdigit():
            return (term,)
        parts = self._split_compound(word)
        if parts:
            return parts
        repaired = self._nearest_word(word) or self._nearest(term)
        return (repaired,) if repaired else (term,)

    # Cached: the same tails come up again and again in one long word's splits, and without the
    # cache a 17-letter word of no known parts ("monitoimilupsutin") took 100 ms.
    @lru_cache(maxsize=32768)  # noqa: B019 - one mapper per language lives as long as the process
    def _split_compound(self, word: str) -> tuple[str, ...] | None:
        """Longest known head whose remainder is a known word or itself a known compound."""
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            head_term = self._known(head)
            if head_term is None:
                continue
            tail_term = self._known(tail)
            if tail_term is not None:
                return (head_term, tail_term)
            rest = self._split_compound(tail) if len(tail) >= 2 * MIN_PART else None
            if rest:
                return (head_term, *rest)
        return None

    def _known(self, piece: str) -> str | None:
        if piece in self.vocabulary:
            return piece
        term = stem(piece, self.lang)
        return term if term in self.vocabulary else None

    def _nearest_word(self, word: str) -> str | None:
        """The stem of a written word a letter short, a letter over or two letters swapped away
        ("facebok", "linkkedin", "buisness"). A changed letter is not taken for a typo: it too
        often makes another real word ("hosting" is not "posting")."""
        if len(word) < MIN_TYPO_WORD:
            return None
        allowed = 1 if len(word) < 9 else 2
        lengths = range(len(word) - allowed, len(word) + allowed + 1)
        choices = [w for n in lengths for w in self._written.get(n, ())]
        near = process.extract(word, choices, scorer=OSA.distance, score_cutoff=allowed)
        for candidate, _, _ in sorted(near, key=lambda hit: hit[1]):
            swapped = sorted(candidate) == sorted(word)
            if swapped or Indel.distance(word, candidate) <= allowed:
                return stem(candidate, self.lang)
        return None

    def _nearest(self, term: str) -> str | None:
        """A known stem one edit away (two for long words): repairs typos like "facebok"."""
        if len(term) < 6:
            return None
        allowed = 1 if len(term) < 9 else 2
        match = process.extractOne(
            term, self._choices, scorer=Levenshtein.distance, score_cutoff=allowed
        )
        return str(match[0]) if match else None
