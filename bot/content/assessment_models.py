"""The self-assessment as typed read-only objects (content: knowledge/assessment.yaml).

Cross-references (dimension ids, topic ids, the default importance) are checked by the loader,
which can name the YAML line; the models check what one object can check by itself.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from bot.content.models import BUTTON_LABEL_MAX, Bilingual, Frozen, TopicId

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=16)]
Short = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BUTTON_LABEL_MAX)
]
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]


Words = Bilingual[Sentence]
ButtonWords = Bilingual[Short]  # a button label: short enough for a phone


class Option(Frozen):
    id: Id
    label: ButtonWords
    # 0.0 (nothing in place) .. 1.0 (well established); for importance options, the weight the
    # dimension's gap gets in the plan. Profile options carry no score.
    score: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    # In a multi-choice question: choosing it means "none of the others" ("None of these yet");
    # the engine clears the other choices when it is chosen, and the scoring ignores it when
    # others were chosen too.
    exclusive: bool = False


class ProfileCondition(Frozen):
    """What the firm's profile answers must be; every part given must hold.

    profile / profile_not: the answer includes one / none of these options; profile_all: it
    includes every one of them (on Facebook *and* Instagram); picked_at_least /
    picked_at_most: how many options were chosen in a multi-choice question ("none of these"
    is 0).
    """

    profile: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    profile_not: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    profile_all: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    picked_at_least: dict[Id, int] = Field(default_factory=dict)
    picked_at_most: dict[Id, int] = Field(default_factory=dict)

    @property
    def always(self) -> bool:
        return not (
            self.profile
            or self.profile_not
            or self.profile_all
            or self.picked_at_least
            or self.picked_at_most
        )


class Question(Frozen):
    id: Id
    text: Words
    kind: Literal["single", "multi"] = "single"  # multi: several may be chosen, then "Done"
    options: Annotated[tuple[Option, ...], Field(min_length=2, max_length=6)]
    # Set for scored questions; None for profile questions (size, customers, channels in use).
    dimension: Id | None = None
    # Asked only of firms whose profile fits: a one-person firm is not asked what its employees
    # would say. A question left out counts neither for nor against its dimension.
    ask_when: ProfileCondition = ProfileCondition()

    @model_validator(mode="after")
    def _scores_match_role(self) -> Question:
        scored = [o.score is not None for o in self.options]
        if self.dimension is not None and not all(scored):
            raise ValueError("every option of a scored question needs a score")
        if self.dimension is not None and self.kind != "single":
            raise ValueError("a scored question is single-choice")
        if self.dimension is None and any(scored):
            raise ValueError("profile questions carry no scores")
        if self.dimension is None and not self.ask_when.always:
            raise ValueError("profile questions are asked of every firm: give them no `ask_when`")
        if self.kind == "single" and any(o.exclusive for o in self.options):
            raise ValueError("`exclusive` only makes sense in a multi-choice question")
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("option ids must be unique within a question")
        return self

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Dimension(Frozen):
    id: Id
    name: ButtonWords  # shown on the radar chart and in the plan
    importance: Words  # "How much does X matter to your firm right now?"
    topics: Annotated[tuple[TopicId, ...], Field(min_length=1)]  # where its advice is explained


class Stage(Frozen):
    id: Id
    min_score: Annotated[float, Field(ge=0, le=100)]  # the overall score (0-100) where it begins
    name: ButtonWords
    meaning: Words


class Assessment(Frozen):
    intro: Words
    profile: Annotated[tuple[Question, ...], Field(min_length=1)]
    dimensions: Annotated[tuple[Dimension, ...], Field(min_length=3, max_length=8)]
    questions: Annotated[tuple[Question, ...], Field(min_length=12, max_length=20)]
    importance_options: Annotated[tuple[Option, ...], Field(min_length=3, max_length=5)]
    # The importance assumed for a dimension whose importance question was not answered.
    default_importance: Id
    stages: Annotated[tuple[Stage, ...], Field(min_length=2, max_length=6)]

    def questions_of(self, dimension_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.dimension == dimension_id)

    def profile_question(self, question_id: str) -> Question | None:
        return next((q for q in self.profile if q.id == question_id), None)

    def scored_question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def importance_option(self, option_id: str) -> Option | None:
        return next((o for o in self.importance_options if o.id == option_id), None)
