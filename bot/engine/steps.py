"""The assessment as a sequence of steps, and where a user is in it.

The order: the profile questions, then each dimension's questions followed by how much that
dimension matters to the firm (asked while the topic is fresh). A question whose `ask_when` the
firm's profile does not fit is left out, and so is the importance of a dimension none of whose
questions is asked. The position is derived from the answers alone: the first step asked without
a final answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.assessment.profile import Profile
from bot.assessment.scoring import IMPORTANCE_PREFIX, importance_key
from bot.content.assessment_models import Assessment, Dimension, Option, Question, Words
from bot.store.repository import AnswerRow

Section = Literal["profile", "question", "importance"]
_IMPORTANCE_TOKEN = "~"  # the same in a button token, where bytes are scarce


@dataclass(frozen=True)
class Step:
    key: str  # as stored in answers.step
    section: Section
    text: Words
    options: tuple[Option, ...]
    multi: bool
    dimension: Dimension | None
    question: Question | None  # None for an importance step

    @property
    def token_id(self) -> str:
        if self.section == "importance":
            return _IMPORTANCE_TOKEN + self.key.removeprefix(IMPORTANCE_PREFIX)
        return self.key

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def select(self, chosen: tuple[str, ...], option: Option) -> tuple[str, ...]:
        """A multi-choice selection with `option` added. "None of these" (exclusive) and the real
        options rule each other out, so a selection never says both."""
        if option.exclusive:
            picked = {option.id}
        else:
            exclusive = {o.id for o in self.options if o.exclusive}
            picked = (set(chosen) - exclusive) | {option.id}
        return tuple(o.id for o in self.options if o.id in picked)

    def unselect(self, chosen: tuple[str, ...], option: Option) -> tuple[str, ...]:
        return tuple(o for o in chosen if o != option.id)


def build_steps(assessment: Assessment) -> tuple[Step, ...]:
    steps = [
        Step(q.id, "profile", q.text, q.options, q.kind == "multi", None, q)
        for q in assessment.profile
    ]
    for dimension in assessment.dimensions:
        for q in assessment.questions:
            if q.dimension == dimension.id:
                steps.append(
                    Step(q.id, "question", q.text, q.options, q.kind == "multi", dimension, q)
                )
        steps.append(
            Step(
                importance_key(dimension.id),
                "importance",
                dimension.importance,
                assessment.importance_options,
                False,
                dimension,
                None,
            )
        )
    return tuple(steps)


class Steps:
    """The steps of the assessment with lookups by key and by token id."""

    def __init__(self, assessment: Assessment) -> None:
        self.assessment = assessment
        self.all = build_steps(assessment)
        self._by_token = {s.token_id: s for s in self.all}
        self._by_key = {s.key: s for s in self.all}

    def by_token(self, token_id: str) -> Step | None:
        return self._by_token.get(token_id)

    def asked(self, answers: Mapping[str, AnswerRow]) -> tuple[Step, ...]:
        """The steps this firm is asked, by its final profile answers so far."""
        return self.asked_for({key: row.choices for key, row in answers.items() if row.final})

    def asked_for(self, final: Mapping[str, tuple[str, ...]]) -> tuple[Step, ...]:
        """The same from final answers as step key -> option ids."""
        if any(q.id not in final for q in self.assessment.profile):
            return self.all  # until the profile is known, every question may come
        profile = Profile.of(self.assessment, final)
        asked: list[Step] = []
        for step in self.all:
            if step.question is not None:
                if step.section == "profile" or profile.asks(step.question):
                    asked.append(step)
            elif asked and asked[-1].dimension == step.dimension and asked[-1].section != "profile":
                asked.append(step)  # the importance of a dimension with a question asked
        return tuple(asked)

    def current(self, answers: Mapping[str, AnswerRow]) -> Step | None:
        """The first step asked without a final answer; None when every one is answered."""
        for step in self.asked(answers):
            row = answers.get(step.key)
            if row is None or not row.final:
                return step
        return None

    def number(self, step: Step, answers: Mapping[str, AnswerRow]) -> tuple[int, int]:
        """(the step's number, how many steps this firm is asked), for "Question 5/16"."""
        asked = self.asked(answers)
        keys = [s.key for s in asked]
        return (keys.index(step.key) + 1 if step.key in keys else len(asked)), len(asked)

    def previous(self, step: Step, answers: Mapping[str, AnswerRow]) -> Step | None:
        asked = [s.key for s in self.asked(answers)]
        if step.key not in asked:
            return None
        i = asked.index(step.key)
        return self.by_key(asked[i - 1]) if i > 0 else None

    def by_key(self, key: str) -> Step | None:
        return self._by_key.get(key)
