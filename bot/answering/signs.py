"""Phrases looked for in a question: all of a phrase's words, in any order, inflected or not.

Used where the knowledge base names the words that mark a kind of question: the signs of a
question someone else answers (referrals.yaml) and the words a topic requires (`requires:`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot import Lang
from bot.answering.text import words

# Finnish inflects at the end of a word: a listed word this long counts at the start of a word
# ("kirjanpito" in "kirjanpitoon", "vieras" in "vierasta"). Shorter ones only as written.
MIN_PREFIX = 4


def _matches(listed: str, word: str, lang: Lang) -> bool:
    if word == listed:
        return True
    if lang == "en":  # plurals and third persons: "guests", "licences", "taxes"
        return word in (listed + "s", listed + "es")
    return len(listed) >= MIN_PREFIX and word.startswith(listed)


class Signs:
    def __init__(self, lang: Lang, phrases: Iterable[str]) -> None:
        self.lang = lang
        self.phrases = [p for p in (tuple(words(p)) for p in phrases) if p]

    def found_in(self, said: Sequence[str]) -> bool:
        """Whether the words of a question (text.words) hold one of the phrases."""
        return any(
            all(any(_matches(listed, w, self.lang) for w in said) for listed in phrase)
            for phrase in self.phrases
        )
