"""Questions next to the adviser's field that someone else answers (knowledge/referrals.yaml).

"How do I add a guest to a team" shares "Teams" with the Teams roll-out topic, and "how are
social media ads booked in the accounts" shares "ads" with marketing; answering either with a
topic would be confidently wrong. A question with one of a kind's signs is declined with a
pointer to who does answer it. Product help gives way when the question is about taking the
tool into use ("how do we get staff to use Teams"), which is the adviser's own field.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import Lang
from bot.answering.signs import Signs
from bot.answering.text import words
from bot.content.models import Referrals

PRODUCT_HELP = "product-help"  # the kind that gives way to a question about taking a tool into use


@dataclass(frozen=True)
class Referral:
    kind: str
    pointer: str  # who does answer it, in one sentence


class ReferralSigns:
    def __init__(self, lang: Lang, referrals: Referrals) -> None:
        self.lang = lang
        self.adoption = Signs(lang, referrals.adoption.of(lang))
        self.kinds = [
            (kind, Signs(lang, referral.of(lang).signs), referral.of(lang).pointer)
            for kind, referral in referrals.kinds.items()
        ]

    def referral_for(self, question: str) -> Referral | None:
        said = words(question)
        for kind, signs, pointer in self.kinds:
            if not signs.found_in(said):
                continue
            if kind == PRODUCT_HELP and self.adoption.found_in(said):
                continue
            return Referral(kind, pointer)
        return None
