"""From a scored assessment to a short pilot-first plan, by the rules in knowledge/plan.yaml.

The order is the promise made to the owner: first a pilot (a small team, one purpose), then
measuring from day one, then the other steps by rank, with rules always before anything that
opens up to the whole firm. Rank = priority x gap x importance of the step's dimension.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot import LANGS, Lang
from bot.assessment.profile import Answers, Profile, chosen_options
from bot.assessment.scoring import Result
from bot.content.assessment_models import Assessment
from bot.content.loader import Knowledge
from bot.content.plan_models import (
    ALWAYS,
    MAX_STEPS,
    Condition,
    Focus,
    ItemWords,
    OutlineItem,
    StepRule,
    TitleWords,
    WhyWords,
)


@dataclass(frozen=True)
class PlanStep:
    rule: StepRule
    rank: float  # priority x need; higher first among the ranked steps
    citations: Mapping[Lang, tuple[str, ...]]  # the reports the step's topic rests on

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def topic(self) -> str:
        return self.rule.topic

    def title(self, lang: Lang) -> str:
        return self.rule.title.of(lang)

    def why(self, lang: Lang) -> str:
        return self.rule.why.of(lang)

    @property
    def finding(self) -> WhyWords | None:
        """What the topic's reports found, the only part cited in their name."""
        return self.rule.finding


@dataclass(frozen=True)
class PlanPeriod:
    day: int  # 30, 60 or 90
    title: TitleWords
    items: tuple[ItemWords, ...]
    kinds: tuple[str | None, ...]  # each item's kind ("measure", "rules", "rollout" or None)


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlanStep, ...]  # 3-5: the pilot first, measuring second
    outline: tuple[PlanPeriod, ...]  # days 30, 60, 90
    focus: Focus | None  # the pilot's: customers or inside the firm


@dataclass(frozen=True)
class _Facts:
    """What the conditions look at: dimension scores, the profile and the scored answers."""

    # Dimension id -> 0..100; -1 for a dimension none of whose questions was asked: nothing is in
    # place, so it is below any n and at least none.
    score: Mapping[str, int]
    profile: Profile
    answered: Mapping[str, tuple[str, ...]]  # scored question id -> the option chosen

    def holds(self, when: Condition) -> bool:
        scores = self.score
        return (
            self.profile.fits(when)
            and all(scores[d] < n for d, n in when.below.items())
            and all(scores[d] >= n for d, n in when.at_least.items())
            and all(set(self.answered.get(q, ())) & set(o) for q, o in when.answered.items())
            and not any(
                set(self.answered.get(q, ())) & set(o) for q, o in when.answered_not.items()
            )
        )


def _facts(assessment: Assessment, answers: Answers, result: Result) -> _Facts:
    profile = Profile.of(assessment, answers)
    # Only what the firm was asked: an answer left over from before a profile change is not one.
    answered = {q.id: chosen_options(q, answers) for q in assessment.questions if profile.asks(q)}
    scores = {d.id: -1 if d.score is None else d.score for d in result.dimensions}
    return _Facts(scores, profile, answered)


def make_plan(knowledge: Knowledge, answers: Answers, result: Result) -> Plan:
    rules = knowledge.plan
    facts = _facts(knowledge.assessment, answers, result)

    def rank(rule: StepRule) -> float:
        return rule.priority * result.dimension(rule.dimension).need

    def best_first(rule: StepRule) -> tuple[float, int, int]:
        # Equal ranks (e.g. nothing left to improve): the more specific rule, then file order.
        return (-rank(rule), -rule.priority, rules.steps.index(rule))

    applicable = [r for r in rules.steps if not r.fallback and facts.holds(r.when)]
    chosen: dict[str, StepRule] = {}
    used_topics: set[str] = set()
    focus: Focus | None = None
    for kind in ALWAYS:  # the pilot first: its focus decides what else fits
        candidates = [
            r
            for r in applicable
            if r.kind == kind
            and r.topic not in used_topics
            and (kind == "pilot" or r.focus in (None, focus))
        ]
        if not candidates:
            candidates = [r for r in rules.steps if r.kind == kind and r.fallback]
        rule = min(candidates, key=best_first)
        chosen[kind] = rule
        used_topics.add(rule.topic)
        if kind == "pilot":
            focus = rule.focus

    set_aside = {d.id for d in result.dimensions if d.importance_option in set(rules.set_aside)}
    extras: list[StepRule] = []
    for rule in sorted((r for r in applicable if r.kind not in ALWAYS), key=best_first):
        if len(extras) == MAX_STEPS - len(ALWAYS):
            break
        need = result.dimension(rule.dimension).need
        if (
            need >= rules.min_need
            and rule.topic not in used_topics
            and rule.focus in (None, focus)
            and rule.dimension not in set_aside
        ):
            extras.append(rule)
            used_topics.add(rule.topic)

    # After the pilot and measuring: by rank, but whatever opens up to the whole firm comes
    # last, so the rules are always in place before it.
    rest = sorted([chosen["rules"], *extras], key=lambda r: (r.kind == "rollout", best_first(r)))
    ordered = [chosen["pilot"], chosen["measure"], *rest]
    steps = tuple(
        PlanStep(
            rule=rule,
            rank=rank(rule),
            citations={
                lang: _reports(knowledge, rule.topic, lang, only=rule.finding_from)
                for lang in LANGS
            },
        )
        for rule in ordered
    )
    outline = tuple(
        PlanPeriod(
            day=period.day,
            title=period.title,
            items=tuple(item.text for item in shown),
            kinds=tuple(item.kind for item in shown),
        )
        for period in rules.outline
        for shown in [
            _fit(
                [i for i in period.items if i.focus in (None, focus) and facts.holds(i.when)],
                rules.max_items,
            )
        ]
    )
    return Plan(steps=steps, outline=outline, focus=focus)


def _reports(
    knowledge: Knowledge, topic_id: str, lang: Lang, only: str | None = None
) -> tuple[str, ...]:
    """The reports a topic rests on, as a reader would name them. Notes on general practice are
    left out: the plan names its evidence, and those notes are kept in English for editors."""
    names: list[str] = []
    for source in knowledge.topics[topic_id].sources:
        if only is not None and source.file != only:
            continue
        name = knowledge.cite(source, lang) if source.file is not None else None
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _fit(items: list[OutlineItem], most: int) -> list[OutlineItem]:
    """At most `most` items; the ones that keep a promise (measure, rules) are never dropped."""
    kept = list(items)
    while len(kept) > most:
        droppable = [i for i, item in enumerate(kept) if item.kind is None]
        if not droppable:
            break
        del kept[droppable[-1]]
    return kept
