"""The rules that turn an assessment result into a pilot-first plan (content: knowledge/plan.yaml).

A plan is three to five steps. Three kinds are always in it, one rule of each: the pilot (always
first), measuring (from the start) and rules (before anything company-wide). Of each kind the
rule that fits best is used; a `fallback` rule of the kind is used only when no other fits.
Other steps are added by rank: priority x gap x importance of the step's dimension.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from bot.content.assessment_models import Id, ProfileCondition
from bot.content.models import Bilingual, Frozen, TopicId

Kind = Literal["pilot", "measure", "rules", "step", "rollout"]
# What a pilot is for, and so what the rest of the plan may be about: a pilot inside the firm is
# measured by who takes part and what is shared, one for customers by customers, sales and time.
Focus = Literal["customers", "internal"]
ALWAYS: tuple[Kind, ...] = ("pilot", "measure", "rules")  # one of each in every plan
MIN_STEPS = 3
MAX_STEPS = 5

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)]
Why = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=220)]
Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=130)]
Score = Annotated[int, Field(ge=0, le=100)]


TitleWords = Bilingual[Title]
WhyWords = Bilingual[Why]
ItemWords = Bilingual[Item]


class Condition(ProfileCondition):
    """When a rule applies; every part given must hold. Ids refer to knowledge/assessment.yaml.

    The profile parts as in ProfileCondition, and:
    below / at_least: a dimension's score is under n / n or more (0-100); a dimension none of
    whose questions was asked (a one-person firm's internal collaboration) counts as below
    every n and at least none;
    answered / answered_not: the answer to a scored question is one / none of these options, so
    that a plan never recommends what the answers say is already in place.
    """

    below: dict[Id, Score] = Field(default_factory=dict)
    at_least: dict[Id, Score] = Field(default_factory=dict)
    answered: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    answered_not: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)

    @property
    def always(self) -> bool:
        return super().always and not (
            self.below or self.at_least or self.answered or self.answered_not
        )


class StepRule(Frozen):
    id: Id
    kind: Kind
    topic: TopicId  # the knowledge topic the step rests on (its report is cited from there)
    dimension: Id  # the dimension whose gap x importance ranks the step
    priority: Annotated[int, Field(ge=1, le=5)]  # 5: the most urgent when the need is equal
    fallback: bool = False  # used only when no other rule of its kind applies
    when: Condition = Condition()
    # A pilot's focus sets the plan's; a step with a focus is used only in a plan of that focus.
    focus: Focus | None = None
    title: TitleWords
    why: WhyWords  # our own advice: printed without a report's name
    # What the step's topic's reports found, printed with their names; its figures must be the
    # reports' own (checked by the loader).
    finding: WhyWords | None = None
    # Where the topic rests on several reports: the one the finding comes from, so that only it
    # is named beside the finding.
    finding_from: str | None = None

    @model_validator(mode="after")
    def _fallback_is_unconditional(self) -> StepRule:
        if self.fallback and not self.when.always:
            raise ValueError("a fallback rule applies always: give it no `when`")
        if self.fallback and self.kind not in ALWAYS:
            raise ValueError(f"only the kinds {', '.join(ALWAYS)} have fallbacks")
        if self.fallback and self.kind != "pilot" and self.focus is not None:
            raise ValueError("a fallback rule fits every plan: give it no `focus`")
        if self.kind == "pilot" and self.focus is None:
            raise ValueError("a pilot says what it is for: give it a `focus`")
        return self


class OutlineItem(Frozen):
    text: ItemWords
    when: Condition = Condition()
    focus: Focus | None = None  # shown only in a plan of this focus
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
    # Importance answers that set a dimension aside ("not right now"): no step beyond the three
    # always there is added for it, and it is not named as room to grow.
    set_aside: tuple[Id, ...] = ()
    max_items: Annotated[int, Field(ge=1, le=8)]  # outline items shown per period at most
    steps: Annotated[tuple[StepRule, ...], Field(min_length=3)]
    outline: Annotated[tuple[OutlinePeriod, ...], Field(min_length=3, max_length=3)]
