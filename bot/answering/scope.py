"""Is a question about the adviser's field at all? Judged by the words in knowledge/scope.yaml.

A question about the price of a forklift shares "cost" with "what social media costs in time",
and word statistics alone can rank that topic first. A question that names nothing of the field
(social media, a channel, a tool, posting, the internal network...) therefore has to match a
topic much more closely before the adviser answers it (see Thresholds.without_scope_word).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot import Lang
from bot.answering.text import TermMapper, stem, words

# Finnish glues words together ("somekanava", "henkilöstökanava", "somettaminen"): a scope word
# of at least this many letters counts anywhere inside a longer word. Shorter ones would match
# by accident.
MIN_INSIDE = 4


class ScopeWords:
    def __init__(
        self,
        lang: Lang,
        scope_words: Iterable[str],
        mapper: TermMapper,
        exact: Iterable[str] = (),
    ) -> None:
        listed = tuple(scope_words)
        self.lang = lang
        self.mapper = mapper
        self.stems = frozenset(stem(w, lang) for w in listed)
        self.exact = frozenset(exact)
        fi = lang == "fi"
        self._inside = tuple(sorted(s for s in self.stems if len(s) >= MIN_INSIDE)) if fi else ()
        # The stemmer cuts some words short ("netti" -> "net"); their compounds ("nettihommat")
        # still hold the whole word as listed.
        self._inside_listed = tuple(w for w in listed if len(w) >= MIN_INSIDE) if fi else ()

    def mentioned_in(self, question: str) -> bool:
        # The mapped terms carry typo repair and compound splitting ("facebok" -> facebook).
        if any(term in self.stems for term in self.mapper.terms(question)):
            return True
        for word in words(question):
            if word in self.exact or stem(word, self.lang) in self.stems:
                return True
            if any(part in word or _same_root(part, word) for part in self._inside):
                return True
            if any(listed in word for listed in self._inside_listed):
                return True
        return False


def _same_root(scope_stem: str, word: str) -> bool:
    """Finnish stems change inside the word ("kysymys" -> "kysymyksiäni"): all but the stem's
    last letter at the start of the word is taken as the same word."""
    return word.startswith(scope_stem[:-1]) if len(scope_stem) > MIN_INSIDE else False
