"""Questions next to the adviser's field that someone else answers (knowledge/referrals.yaml).

"How do I add a guest to a team" shares "Teams" with the Teams roll-out topic, and "how are
social media ads booked in the accounts" shares "ads" with marketing; answering either with a
topic would be confidently wrong. A question with one of a kind's signs is declined with a
pointer to who does answer it. A kind gives way to its `unless` words: product help to a question
about taking the tool into use ("how do we get staff to use Teams"), the adviser's own field.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import Lang
from bot.answering.signs import Signs, said_words
from bot.content.models import Referrals


@dataclass(frozen=True)
class Referral:
    kind: str
    pointer: str  # who does answer it, in one sentence


class ReferralSigns:
    def __init__(self, lang: Lang, referrals: Referrals) -> None:
        self.lang = lang
        self.kinds = [
            (
                kind,
                Signs(lang, referral.of(lang).signs),
                Signs(lang, referral.of(lang).unless),
                referral.of(lang).pointer,
            )
            for kind, referral in referrals.kinds.items()
        ]

    def referral_for(self, question: str) -> Referral | None:
        said = said_words(question, self.lang)
        for kind, signs, unless, pointer in self.kinds:
            if signs.found_in(said) and not unless.found_in(said):
                return Referral(kind, pointer)
        return None
