"""Is a question about the adviser's field at all? Judged by the words in knowledge/scope.yaml.

A question about the price of a forklift shares "cost" with "what social media costs in time",
and word statistics alone can rank that topic first. A question that names nothing of the field
(social media, a channel, a tool, posting, the internal network...) therefore has to match a
topic much more closely before the adviser answers it (see Thresholds.without_scope_word).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot import Lang
from bot.answering.stemming import stem
from bot.answering.text import TermMapper

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
        # Pieces looked for inside a word: the stems, and the words as listed, because the
        # stemmer cuts some short ("netti" -> "net") while their compounds ("nettihommat") hold
        # the whole word.
        self._inside = (
            frozenset(w for w in (*self.stems, *listed) if len(w) >= MIN_INSIDE) if fi else ()
        )
        # Finnish stems change inside the word ("kysymys" -> "kysymyksiäni"): a word that starts
        # with all but a stem's last letter is taken as the same word.
        self._roots = tuple(s[:-1] for s in self.stems if len(s) > MIN_INSIDE) if fi else ()

    def mentioned_in(self, question: str) -> bool:
        said = self.mapper.spoken.words(question)
        # The mapped terms carry typo repair and compound splitting ("facebok" -> facebook).
        if any(term in self.stems for term in self.mapper.terms_of(said)):
            return True
        for word in said:
            if word in self.exact or stem(word, self.lang) in self.stems:
                return True
            if word.startswith(self._roots) or any(piece in word for piece in self._inside):
                return True
        return False
