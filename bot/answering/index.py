"""A small TF-IDF index over the knowledge topics of one language.

Each topic is known by its example questions, keywords, title and (weakly) its answer. A question
is compared three ways: with the topic's words as a whole (generalises to new wordings), with its
single closest example (rewards a question asked much like a known one), and by letter sequences
(catches Finnish forms the stemmer leaves apart, such as "yritys" and "yrityksen"). Words the
index has never seen weigh in the question's length, so a question mostly about something else
scores low everywhere: that is what lets the adviser say "not my field".
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from bot import Lang
from bot.answering.spoken import SpokenWords
from bot.answering.stemming import stem
from bot.answering.text import TermMapper
from bot.content.models import Topic

# How much each part of a topic speaks for it.
FIELD_WEIGHTS = {"example": 1.0, "keyword": 2.0, "title": 1.5, "answer": 0.6}
# How the three comparisons add up to a topic's score. The topic as a whole generalises best to
# new wordings; the closest single example mostly rewards near-copies of one.
SHARE_WHOLE, SHARE_EXAMPLE, SHARE_LETTERS = 0.6, 0.1, 0.3
GRAM = 3  # letter sequences of this length, word edges marked
# A word in more than this share of the topics ("have", "it", "on") is a function word: it says
# nothing about which topic a question is about.
FUNCTION_WORD_SHARE = 0.5
# A word the knowledge base never uses is usually the real subject of an off-topic question
# ("forklift", "presidentti"), so it weighs more than the rarest known word.
UNKNOWN_WEIGHT = 2.0


@dataclass(frozen=True)
class Match:
    topic_id: str
    score: float  # 0..1


Vector = dict[str, float]


class _Views(NamedTuple):
    """A question compared with every topic: as a whole, by closest example, by letters."""

    whole: npt.NDArray[np.float64]
    closest_example: npt.NDArray[np.float64]
    letters: npt.NDArray[np.float64]


def _damped(count: float) -> float:
    """Sublinear term frequency: the tenth mention of a word says less than the first."""
    return 1 + math.log(count) if count >= 1 else count


def _normalised(weights: Mapping[str, float], extra_mass: float = 0.0) -> Vector:
    norm = math.sqrt(sum(w * w for w in weights.values()) + extra_mass)
    return {t: w / norm for t, w in weights.items()} if norm else {}


class _Table:
    """Owners' vectors as one array, an item's weights per owner in one row.

    A question has a handful of items, so its cosine with every owner is those few rows, weighted
    and summed: one small numpy product instead of a Python loop over long lists of owners (a
    word like "the" or "on" is in nearly every example).
    """

    def __init__(self, vectors: list[Vector]) -> None:
        self.column = {item: n for n, item in enumerate({i: None for v in vectors for i in v})}
        self.rows: npt.NDArray[np.float64] = np.zeros((len(self.column), len(vectors)))
        for owner, vector in enumerate(vectors):
            for item, weight in vector.items():
                self.rows[self.column[item], owner] = weight

    def dot(self, query: Vector) -> npt.NDArray[np.float64]:
        """The query's cosine with every owner (0 where they share nothing)."""
        shared = [(self.column[item], w) for item, w in query.items() if item in self.column]
        if not shared:
            return np.zeros(self.rows.shape[1])
        rows, weights = zip(*shared, strict=True)
        return np.asarray(weights) @ self.rows[list(rows)]


def letter_grams(words: Iterable[str]) -> list[str]:
    grams: list[str] = []
    for word in words:
        padded = f"<{word}>"
        grams += [padded[i : i + GRAM] for i in range(max(1, len(padded) - GRAM + 1))]
    return grams


class _Weighting:
    """Inverse document frequency over topics: a word in every topic tells nothing."""

    def __init__(self, bags: Mapping[str, Mapping[str, float]]) -> None:
        n_topics = len(bags)
        frequency: Counter[str] = Counter()
        for bag in bags.values():
            frequency.update(bag.keys())
        self.idf = {t: math.log((n_topics + 1) / (df + 1)) + 1.0 for t, df in frequency.items()}
        self.function_words = frozenset(
            t for t, df in frequency.items() if df > FUNCTION_WORD_SHARE * n_topics
        )
        self.unknown = (math.log(n_topics + 1) + 1.0) * UNKNOWN_WEIGHT

    def vector(self, counts: Mapping[str, float]) -> tuple[Vector, float]:
        """The weights of known items, and the squared weight of items never seen."""
        known: Vector = {}
        unknown = 0.0
        for item, n in counts.items():
            if item in self.idf:
                known[item] = _damped(n) * self.idf[item]
            else:
                unknown += (_damped(n) * self.unknown) ** 2
        return known, unknown


class TopicIndex:
    def __init__(self, lang: Lang, topics: Iterable[Topic], spoken: SpokenWords) -> None:
        self.lang = lang
        self.spoken = spoken
        word_bags: dict[str, defaultdict[str, float]] = {}
        gram_bags: dict[str, defaultdict[str, float]] = {}
        examples: list[tuple[str, Counter[str]]] = []
        written: set[str] = set()
        for topic in topics:
            text = topic.of(lang)
            bag: defaultdict[str, float] = defaultdict(float)
            grams: defaultdict[str, float] = defaultdict(float)
            example_words = [spoken.words(e) for e in text.examples]
            fields = [("example", w) for w in example_words]
            fields += [("keyword", spoken.words(k)) for k in text.keywords]
            fields += [("title", spoken.words(text.title)), ("answer", spoken.words(text.answer))]
            if text.finding is not None:
                fields.append(("answer", spoken.words(text.finding)))
            for field, item_words in fields:
                written.update(item_words)
                for term in self._stems(item_words):
                    bag[term] += FIELD_WEIGHTS[field]
                for gram in letter_grams(item_words):
                    grams[gram] += FIELD_WEIGHTS[field]
            examples += [(topic.id, Counter(self._stems(w))) for w in example_words]
            word_bags[topic.id] = bag
            gram_bags[topic.id] = grams

        self.topic_ids = list(word_bags)
        self.words = _Weighting(word_bags)
        self.grams = _Weighting(gram_bags)
        self.mapper = TermMapper(lang, self.words.idf.keys(), spoken, written)
        self._topic_words = _Table(
            [_normalised(self.words.vector(word_bags[t])[0]) for t in self.topic_ids]
        )
        self._topic_grams = _Table(
            [_normalised(self.grams.vector(gram_bags[t])[0]) for t in self.topic_ids]
        )
        self._example_words = _Table(
            [_normalised(self.words.vector(terms)[0]) for _, terms in examples]
        )
        # Examples are stored topic by topic: where each topic's first example stands.
        example_topics = [topic_id for topic_id, _ in examples]
        self._first_example = np.array([example_topics.index(t) for t in self.topic_ids])

    def _stems(self, words: Iterable[str]) -> list[str]:
        return [stem(w, self.lang) for w in words]

    def search(self, question: str, limit: int = 5) -> list[Match]:
        return self.best(self.scores(question), limit)

    @lru_cache(maxsize=64)  # noqa: B019 - one index per language lives as long as the process
    def _query(self, question: str) -> tuple[Vector, tuple[str, ...]] | None:
        """The question's word vector and its words, or None when it has no known word; apart
        from the comparisons, since the one-word check needs only this (a long message's letter
        grams are the costly part)."""
        said = self.spoken.words(question)
        known, unknown = self.words.vector(Counter(self.mapper.terms_of(said)))
        if not known:
            return None
        return _normalised(known, unknown), tuple(said)  # shared by the cache's callers: read only

    @lru_cache(maxsize=64)  # noqa: B019 - one index per language lives as long as the process
    def _views(self, question: str) -> _Views | None:
        """The question compared three ways with every topic; made once per question, since
        ranking and the agreement check both read it."""
        found = self._query(question)
        if found is None:
            return None
        query, said = found
        grams = _normalised(*self.grams.vector(Counter(letter_grams(said))))
        views = _Views(
            self._topic_words.dot(query),
            np.maximum.reduceat(self._example_words.dot(query), self._first_example),
            self._topic_grams.dot(grams),
        )
        for array in (views.whole, views.closest_example, views.letters):
            array.setflags(write=False)  # shared by every caller of the cache
        return views

    def scores(self, question: str) -> npt.NDArray[np.float64]:
        """Every topic's score for the question, in the order of `topic_ids`; a topic that shares
        no word with it scores 0 (letters alone do not make a candidate)."""
        views = self._views(question)
        if views is None:
            return np.zeros(len(self.topic_ids))
        scores = (
            SHARE_WHOLE * views.whole
            + SHARE_EXAMPLE * views.closest_example
            + SHARE_LETTERS * views.letters
        )
        return np.where(views.whole > 0, scores, 0.0)

    def agreed_on(self, question: str, topic_id: str) -> bool:
        """Whether the topic is first by all three comparisons: as a whole, by its closest
        example and by letters."""
        views = self._views(question)
        if views is None:
            return False
        column = self.topic_ids.index(topic_id)
        return all(
            int(np.argmax(view)) == column
            for view in (views.whole, views.closest_example, views.letters)
        )

    def one_word_share(self, question: str, topic_id: str) -> float:
        """How much of the question's match with a topic (as a whole) rests on its single most
        shared word: near 1.0 when one word ("time", "help", "board") is all they have in common."""
        found = self._query(question)
        if found is None:
            return 1.0
        query, _ = found
        column = self.topic_ids.index(topic_id)
        shares = [
            weight * self._topic_words.rows[self._topic_words.column[term], column]
            for term, weight in query.items()
            if term in self._topic_words.column and term not in self.words.function_words
        ]
        total = sum(shares)
        return max(shares) / total if total > 0 else 1.0

    def best(self, scores: npt.NDArray[np.float64], limit: int = 5) -> list[Match]:
        """The topics with the highest scores, best first; none that scored 0."""
        candidates = np.flatnonzero(scores > 0)
        best = candidates[np.argsort(-scores[candidates], kind="stable")][:limit]
        return [Match(self.topic_ids[i], float(scores[i])) for i in best]
