"""The rules that turn an assessment result into a pilot-first plan (content: knowledge/plan.yaml).

A plan is three to five steps. Three kinds are always in it, one rule of each: the pilot (always
first), measuring (from the start) and rules (before anything company-wide). Of each kind the
rule that fits best is used; a `fallback` rule of the kind is used only when no other fits.
Other steps are added by rank: priority x gap x importance of the step's dimension.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from bot import Lang
from bot.content.assessment_models import Id
from bot.content.models import Frozen, TopicId

Kind = Literal["pilot", "measure", "rules", "step", "rollout"]
ALWAYS: tuple[Kind, ...] = ("pilot", "measure", "rules")  # one of each in every plan
MIN_STEPS = 3
MAX_STEPS = 5

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)]
Why = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=220)]
Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=130)]
Score = Annotated[int, Field(ge=0, le=100)]


class TitleWords(Frozen):
    en: Title
    fi: Title

    def __call__(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.fi


class WhyWords(Frozen):
    en: Why
    fi: Why

    def __call__(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.fi


class ItemWords(Frozen):
    en: Item
    fi: Item

    def __call__(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.fi


class Condition(Frozen):
    """When a rule applies; every part given must hold. Ids refer to knowledge/assessment.yaml.

    below / at_least: a dimension's score is under n / n or more (0-100); profile / profile_not:
    the profile answer includes one / none of these options; picked_at_least / picked_at_most:
    how many options were chosen in a multi-choice profile question ("none of these" is 0).
    """

    below: dict[Id, Score] = Field(default_factory=dict)
    at_least: dict[Id, Score] = Field(default_factory=dict)
    profile: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    profile_not: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    picked_at_least: dict[Id, int] = Field(default_factory=dict)
    picked_at_most: dict[Id, int] = Field(default_factory=dict)

    @property
    def always(self) -> bool:
        return not (
            self.below
            or self.at_least
            or self.profile
            or self.profile_not
            or self.picked_at_least
            or self.picked_at_most
        )


class StepRule(Frozen):
    id: Id
    kind: Kind
    topic: TopicId  # the knowledge topic the step rests on (its report is cited from there)
    dimension: Id  # the dimension whose gap x importance ranks the step
    priority: Annotated[int, Field(ge=1, le=5)]  # 5: the most urgent when the need is equal
    fallback: bool = False  # used only when no other rule of its kind applies
    when: Condition = Condition()
    title: TitleWords
    why: WhyWords

    @model_validator(mode="after")
    def _fallback_is_unconditional(self) -> StepRule:
        if self.fallback and not self.when.always:
            raise ValueError("a fallback rule applies always: give it no `when`")
        if self.fallback and self.kind not in ALWAYS:
            raise ValueError(f"only the kinds {', '.join(ALWAYS)} have fallbacks")
        return self


class OutlineItem(Frozen):
    text: ItemWords
    when: Condition = Condition()
    # What the item stands for, where it matters to the plan's promises: measuring starts on
    # day one, and rules are written before the firm-wide roll-out.
    kind: Literal["measure", "rules", "rollout"] | None = None


class OutlinePeriod(Frozen):
    day: Literal[30, 60, 90]
    title: TitleWords
    items: Annotated[tuple[OutlineItem, ...], Field(min_length=1)]


class PlanRules(Frozen):
    # A step is added beyond the three that are always there only if its dimension's
    # gap x importance (0..1) reaches this.
    min_need: Annotated[float, Field(ge=0.0, le=1.0)]
    max_items: Annotated[int, Field(ge=1, le=8)]  # outline items shown per period at most
    steps: Annotated[tuple[StepRule, ...], Field(min_length=3)]
    outline: Annotated[tuple[OutlinePeriod, ...], Field(min_length=3, max_length=3)]
