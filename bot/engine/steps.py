"""The assessment as a sequence of steps, and where a user is in it.

The order: the profile questions, then each dimension's questions followed by how much that
dimension matters to the firm (asked while the topic is fresh). The position is derived from the
answers alone: the first step without a final answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.assessment.scoring import IMPORTANCE_PREFIX, importance_key
from bot.content.assessment_models import Assessment, Dimension, Option, Words
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

    @property
    def token_id(self) -> str:
        if self.section == "importance":
            return _IMPORTANCE_TOKEN + self.key.removeprefix(IMPORTANCE_PREFIX)
        return self.key

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def toggle(self, chosen: tuple[str, ...], option: Option) -> tuple[str, ...]:
        """A multi-choice selection after tapping `option`. "None of these" (exclusive) and the
        real options rule each other out, so a selection never says both."""
        picked = set(chosen) ^ {option.id}
        if option.id in picked:
            exclusive = {o.id for o in self.options if o.exclusive}
            picked = {option.id} if option.exclusive else picked - exclusive
        return tuple(o.id for o in self.options if o.id in picked)


def build_steps(assessment: Assessment) -> tuple[Step, ...]:
    steps = [
        Step(q.id, "profile", q.text, q.options, q.kind == "multi", None)
        for q in assessment.profile
    ]
    for dimension in assessment.dimensions:
        for q in assessment.questions:
            if q.dimension == dimension.id:
                steps.append(
                    Step(q.id, "question", q.text, q.options, q.kind == "multi", dimension)
                )
        steps.append(
            Step(
                importance_key(dimension.id),
                "importance",
                dimension.importance,
                assessment.importance_options,
                False,
                dimension,
            )
        )
    return tuple(steps)


class Steps:
    """The steps of the assessment with lookups by key and by token id."""

    def __init__(self, assessment: Assessment) -> None:
        self.all = build_steps(assessment)
        self._index = {s.key: i for i, s in enumerate(self.all)}
        self._by_token = {s.token_id: s for s in self.all}

    def __len__(self) -> int:
        return len(self.all)

    def index(self, step: Step) -> int:
        return self._index[step.key]

    def by_token(self, token_id: str) -> Step | None:
        return self._by_token.get(token_id)

    def current(self, answers: Mapping[str, AnswerRow]) -> Step | None:
        """The first step without a final answer; None when every step is answered."""
        for step in self.all:
            row = answers.get(step.key)
            if row is None or not row.final:
                return step
        return None

    def previous(self, step: Step) -> Step | None:
        i = self._index[step.key]
        return self.all[i - 1] if i > 0 else None
