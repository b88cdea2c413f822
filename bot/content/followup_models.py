"""Staying with the firm through its pilot (content: knowledge/followup.yaml).

After the plan the adviser offers to check in a few weeks later. A check-in asks how the pilot is
going and says what to do next; the last one also asks the effects survey, modelled on the end
survey of the Kymenlaakso project (report 000): what social media did to time use, marketing
communication, customer numbers and revenue, with "can't say yet" kept apart from "no change".
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from bot.content.assessment_models import ButtonWords, Id, Words
from bot.content.models import Frozen


class FollowUpOption(Frozen):
    id: Id
    label: ButtonWords


class StatusQuestion(Frozen):
    """How the pilot is going; `advice` is our own next step for each answer."""

    question: Words
    options: Annotated[tuple[FollowUpOption, ...], Field(min_length=2, max_length=5)]
    advice: dict[Id, Words]

    @model_validator(mode="after")
    def _advice_for_every_option(self) -> StatusQuestion:
        missing = {o.id for o in self.options} - set(self.advice)
        if missing:
            raise ValueError(f"advice: none for {sorted(missing)}")
        return self


class Effect(Frozen):
    id: Id
    question: Words


class FollowUp(Frozen):
    weeks: Annotated[tuple[Annotated[int, Field(ge=1, le=26)], ...], Field(min_length=1)]
    status: StatusQuestion
    effects: Annotated[tuple[Effect, ...], Field(min_length=1, max_length=8)]
    answers: Annotated[tuple[FollowUpOption, ...], Field(min_length=2, max_length=5)]

    @model_validator(mode="after")
    def _weeks_in_order(self) -> FollowUp:
        if list(self.weeks) != sorted(set(self.weeks)):
            raise ValueError("weeks: each once, in order (e.g. [2, 6])")
        return self

    def effect(self, effect_id: str) -> Effect | None:
        return next((e for e in self.effects if e.id == effect_id), None)
