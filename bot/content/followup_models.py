"""Staying with the firm through its pilot (content: knowledge/followup.yaml).

After the plan the adviser offers to check in a few weeks later. A check-in asks how the pilot is
going and says what to do next; the last one also asks the effects survey, modelled on the end
survey of the Kymenlaakso project (report 000): being on social media before and now, the tools in
use, and what social media did to time use, marketing communication, customer numbers and
revenue, with "can't say yet" kept apart from "no change".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import Field, model_validator

from bot.content.assessment_models import ButtonWords, Id, Words
from bot.content.models import Frozen


class FollowUpOption(Frozen):
    id: Id
    label: ButtonWords
    alone: bool = False  # in a "choose all that apply" question: rules out the others


class StatusQuestion(Frozen):
    """How the pilot is going; `advice` is our own next step for each answer."""

    question: Words
    options: Annotated[tuple[FollowUpOption, ...], Field(min_length=2, max_length=5)]
    advice: dict[Id, Words]
    # For the same answer as at the check-in before: the same words twice read like a form.
    again: dict[Id, Words] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _advice_for_every_option(self) -> StatusQuestion:
        missing = {o.id for o in self.options} - set(self.advice)
        if missing:
            raise ValueError(f"advice: none for {sorted(missing)}")
        unknown = set(self.again) - {o.id for o in self.options}
        if unknown:
            raise ValueError(f"again: no such answer {sorted(unknown)}")
        return self


class SurveyQuestion(Frozen):
    """One question of the effects survey; without `options` it takes the shared `answers`."""

    id: Id
    name: ButtonWords  # short, for the plan's "since" lines: "Customer numbers: increased"
    question: Words
    # At most eight, one button a row: a phone shows them without scrolling.
    options: Annotated[tuple[FollowUpOption, ...], Field(min_length=2, max_length=8)] | None = None
    several: bool = False  # choose all that apply, then "Done"
    # Not asked when an earlier question got one of these answers ("not on social media yet":
    # no effects to ask about).
    unless: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)

    def applies(self, answered: Mapping[str, str]) -> bool:
        """Whether to ask it, given the survey's answers so far (question id: answer ids)."""
        return not any(
            set(answered.get(question, "").split()) & set(answers)
            for question, answers in self.unless.items()
        )

    @model_validator(mode="after")
    def _several_has_options(self) -> SurveyQuestion:
        if self.several and self.options is None:
            raise ValueError("several: only with options of its own")
        if not self.several and self.options and any(o.alone for o in self.options):
            raise ValueError("alone: only in a question with several: true")
        return self


class FollowUp(Frozen):
    weeks: Annotated[tuple[Annotated[int, Field(ge=1, le=26)], ...], Field(min_length=1)]
    status: StatusQuestion
    survey: Annotated[tuple[SurveyQuestion, ...], Field(min_length=1, max_length=10)]
    answers: Annotated[tuple[FollowUpOption, ...], Field(min_length=2, max_length=5)]

    @model_validator(mode="after")
    def _weeks_in_order(self) -> FollowUp:
        if list(self.weeks) != sorted(set(self.weeks)):
            raise ValueError("weeks: each once, in order (e.g. [2, 6])")
        ids = [q.id for q in self.survey]
        if len(set(ids)) != len(ids) or "status" in ids:
            raise ValueError("survey: each id once, and not 'status' (the pilot question's)")
        for position, question in enumerate(self.survey):
            for earlier, answers in question.unless.items():
                before = {q.id: q for q in self.survey[:position]}.get(earlier)
                known = {o.id for o in self.options_of(before)} if before else set()
                if before is None or not set(answers) <= known:
                    raise ValueError(
                        f"survey: {question.id}: unless {earlier}: not an earlier question"
                        " with those answers"
                    )
        return self

    def question(self, question_id: str) -> SurveyQuestion | None:
        return next((q for q in self.survey if q.id == question_id), None)

    def options_of(self, question: SurveyQuestion) -> tuple[FollowUpOption, ...]:
        return question.options if question.options is not None else self.answers
