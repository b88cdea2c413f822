"""The firm's profile answers (size, customers, channels...) and whether a condition fits them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.content.assessment_models import Assessment, ProfileCondition, Question

Answers = Mapping[str, tuple[str, ...]]


def chosen_options(question: Question, answers: Answers) -> tuple[str, ...]:
    """The known options chosen for a question, in the question's order. An exclusive option
    ("none of these") is dropped when real choices were made alongside it."""
    picked = set(answers.get(question.id, ()))
    known = tuple(o for o in question.options if o.id in picked)
    if question.kind == "single":
        return tuple(o.id for o in known[:1])
    real = tuple(o.id for o in known if not o.exclusive)
    return real or tuple(o.id for o in known)


def picked_count(question: Question, chosen: tuple[str, ...]) -> int:
    """How many real options were chosen: "none of these" counts as zero."""
    return sum(1 for o in question.options if o.id in chosen and not o.exclusive)


@dataclass(frozen=True)
class Profile:
    chosen: Mapping[str, tuple[str, ...]]  # profile question id -> chosen option ids
    counts: Mapping[str, int]  # profile question id -> options chosen, "none of these" as 0

    @classmethod
    def of(cls, assessment: Assessment, answers: Answers) -> Profile:
        chosen = {q.id: chosen_options(q, answers) for q in assessment.profile}
        counts = {q.id: picked_count(q, chosen[q.id]) for q in assessment.profile}
        return cls(chosen, counts)

    def fits(self, when: ProfileCondition) -> bool:
        chosen = self.chosen
        return (
            all(set(chosen.get(q, ())) & set(o) for q, o in when.profile.items())
            and not any(set(chosen.get(q, ())) & set(o) for q, o in when.profile_not.items())
            and all(set(o) <= set(chosen.get(q, ())) for q, o in when.profile_all.items())
            and all(self.counts.get(q, 0) >= n for q, n in when.picked_at_least.items())
            and all(self.counts.get(q, 0) <= n for q, n in when.picked_at_most.items())
        )

    def asks(self, question: Question) -> bool:
        """Whether the assessment asks this firm the question (`ask_when`)."""
        return self.fits(question.ask_when)
