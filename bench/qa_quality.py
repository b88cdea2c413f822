"""How well the adviser answers questions it has not been taught.

    python -m bench.qa_quality            # held-out set, cross-validation, removed-topic check

Four measurements, none of which uses the shared dev questions:
- held-out: tests/data/heldout.yaml, written apart from the knowledge base; the answer
  thresholds are calibrated on it;
- everyday words: tests/data/heldout_more.yaml, in-scope questions mostly in words that name
  nothing of the field; calibration for the scope words;
- fresh: tests/data/fresh.yaml, written apart from all of the above and never used to tune
  anything (its misses are never printed);
- unseen: tests/data/unseen.yaml, written later from the topic list alone, by someone who had not
  seen the knowledge base or the other sets; never tuned on, misses never printed;
- blind: tests/data/blind.yaml, written the same way as unseen, later, by another writer;
  never tuned on, misses never printed;
- cross-validation: each topic's examples split in folds; a fold's examples are taken out of the
  knowledge base and asked as questions (k-fold leave-out, so each example is asked once);
- removed topic: a topic is taken out entirely and its examples asked; they should be rejected
  or suggested, not answered confidently with some other topic.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from bot import LANGS, Lang
from bot.answering.answerer import Answerer
from bot.config import Paths
from bot.content.loader import Knowledge, load_knowledge
from bot.content.models import TopicText

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
HELDOUT = DATA / "heldout.yaml"  # calibration: the answer thresholds were set on it
# Calibration too: in-scope questions, two thirds of them in everyday words that name nothing of
# the field ("our bosses never have time for the kickoff"): what the scope gate costs.
EVERYDAY = DATA / "heldout_more.yaml"
FRESH = DATA / "fresh.yaml"  # never used to tune anything: the honest estimate
# Written from the topic list alone, without the knowledge base or the other sets; never tuned on.
UNSEEN = DATA / "unseen.yaml"
BLIND = DATA / "blind.yaml"  # the same, written later by another writer; never tuned on
# Questions real people asked in public, labelled twice (bench/real_set.py): the calibration
# half may be tuned on; the untuned half never, and its misses are never printed.
REAL = DATA / "real.yaml"


@dataclass(frozen=True)
class Case:
    lang: Lang
    question: str
    topic: str | None
    accept: frozenset[str] = frozenset()

    def accepts(self, topic_id: str | None) -> bool:
        """Whether answering with this topic (None: declining) is right for the case."""
        return topic_id == self.topic or topic_id in self.accept if self.topic else topic_id is None


@dataclass
class Score:
    counts: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, case: Case, got: str | None, outcome: str) -> None:
        key = "in" if case.topic else "out"
        self.counts[f"{key}-{case.lang}-total"] += 1
        right = case.accepts(got)
        if right:
            self.counts[f"{key}-{case.lang}-right"] += 1
        elif got is not None:
            self.counts["wrong"] += 1
        if not right:
            self.misses.append(
                f"[{case.lang}] want={case.topic} got={got} ({outcome}): {case.question}"
            )
        self.counts["total"] += 1

    def rate(self, key: str, lang: str) -> float:
        total = self.counts[f"{key}-{lang}-total"]
        return self.counts[f"{key}-{lang}-right"] / total if total else 1.0

    @property
    def wrong_rate(self) -> float:
        return self.counts["wrong"] / self.counts["total"] if self.counts["total"] else 0.0

    def summary(self) -> str:
        parts = []
        for lang in LANGS:
            parts.append(f"in-scope {lang} {100 * self.rate('in', lang):.1f}%")
            if self.counts[f"out-{lang}-total"]:
                parts.append(f"out-of-scope {lang} {100 * self.rate('out', lang):.1f}%")
        parts.append(f"wrong {100 * self.wrong_rate:.1f}%")
        return ", ".join(parts)


def heldout_cases(path: Path = HELDOUT) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(c["lang"], c["q"], c["topic"], frozenset(c.get("accept", ()))) for c in data["cases"]
    ]


def real_cases(half: str, path: Path = REAL) -> list[Case]:
    """The real questions of one half (all of `cases` have agreeing labellings)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(c["lang"], c["q"], c["topic"], frozenset(c["accept"]))
        for c in data["cases"]
        if c["half"] == half
    ]


def score(answerer: Answerer, cases: Iterable[Case]) -> Score:
    result = Score()
    for case in cases:
        answer = answerer.answer(case.question, case.lang)
        result.add(case, answer.topic.id if answer.topic else None, answer.outcome)
    return result


def without_examples(knowledge: Knowledge, drop: Mapping[tuple[str, Lang], set[int]]) -> Knowledge:
    topics = {}
    for topic_id, topic in knowledge.topics.items():
        texts: dict[str, TopicText] = {}
        for lang in LANGS:
            text = topic.of(lang)
            gone = drop.get((topic_id, lang), set())
            kept = tuple(e for i, e in enumerate(text.examples) if i not in gone)
            texts[lang] = text.model_copy(update={"examples": kept})
        topics[topic_id] = topic.model_copy(update=texts)
    return replace(knowledge, topics=topics)


def cross_validation(knowledge: Knowledge, folds: int = 4) -> Score:
    result = Score()
    for fold in range(folds):
        drop: dict[tuple[str, Lang], set[int]] = {}
        cases: list[Case] = []
        for topic_id, topic in knowledge.topics.items():
            for lang in LANGS:
                picked = {i for i in range(len(topic.of(lang).examples)) if i % folds == fold}
                drop[(topic_id, lang)] = picked
                related = frozenset(topic.related)
                cases += [Case(lang, topic.of(lang).examples[i], topic_id, related) for i in picked]
        answerer = Answerer(without_examples(knowledge, drop))
        strict = score(answerer, [replace(c, accept=frozenset()) for c in cases])
        result.counts.update(strict.counts)
        result.misses += strict.misses
    return result


def removed_topics(knowledge: Knowledge) -> Counter[str]:
    """Outcomes for each topic's own examples once the topic is gone."""
    outcomes: Counter[str] = Counter()
    for topic_id, topic in knowledge.topics.items():
        rest = {t: v for t, v in knowledge.topics.items() if t != topic_id}
        answerer = Answerer(replace(knowledge, topics=rest))
        for lang in LANGS:
            for example in topic.of(lang).examples:
                answer = answerer.answer(example, lang)
                if answer.outcome == "answer" and answer.topic is not None:
                    kind = "related" if answer.topic.id in topic.related else "misanswered"
                else:
                    kind = answer.outcome
                outcomes[kind] += 1
    return outcomes


def main() -> int:
    paths = Paths.from_env()
    knowledge = load_knowledge(paths.knowledge, paths.seeds)
    show = "--show-misses" in sys.argv
    answerer = Answerer(knowledge)
    real = score(answerer, real_cases("calibration"))
    print("real, calibration:", real.summary())
    if show:
        print("\n".join(real.misses))
    # Never tuned on; its misses are never printed.
    print("real, untuned:    ", score(answerer, real_cases("untuned")).summary())
    held = score(answerer, heldout_cases())
    print("held-out:        ", held.summary())
    if show:
        print("\n".join(held.misses))
    # Misses of the fresh set are never printed: reading them would be tuning on them.
    print("everyday words:  ", score(answerer, heldout_cases(EVERYDAY)).summary())
    print("fresh (untuned): ", score(answerer, heldout_cases(FRESH)).summary())
    print("unseen (untuned):", score(answerer, heldout_cases(UNSEEN)).summary())
    print("blind (untuned): ", score(answerer, heldout_cases(BLIND)).summary())
    untuned = [c for path in (FRESH, UNSEEN, BLIND) for c in heldout_cases(path)]
    print("the three pooled:", score(answerer, untuned).summary())
    cv = cross_validation(knowledge)
    print("cross-validation:", cv.summary())
    if show:
        print("\n".join(cv.misses[:80]))
    removed = removed_topics(knowledge)
    total = sum(removed.values())
    print(
        "removed topic:   ",
        ", ".join(f"{k} {100 * v / total:.1f}%" for k, v in removed.most_common()),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
