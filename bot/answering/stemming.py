"""Words and their stems: the leaf that every part of answering builds on.

It imports nothing of the package but the language type, so that text.py (terms, typo repair)
and spoken.py (chat forms read as written ones) can both use it without importing each other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from bot import Lang

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER_NAMES = {"en": "english", "fi": "finnish"}


def words(text: str) -> list[str]:
    """Lower-case words; apostrophes, dashes and punctuation separate them."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return _WORD.findall(folded)


def after_words(text: str, count: int) -> str:
    """The text after its first `count` words, as written: punctuation kept, so that the
    sentences of "Hi! We run a cafe. Which channel?" can still be told apart."""
    normal = unicodedata.normalize("NFC", text)
    for n, match in enumerate(_WORD.finditer(normal), start=1):
        if n == count:
            return normal[match.end() :].lstrip(" \t,.!;:-–—")
    return ""


@lru_cache(maxsize=2)
def _stemmer(lang: Lang) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMER_NAMES[lang])


@lru_cache(maxsize=65536)
def stem(word: str, lang: Lang) -> str:
    return str(_stemmer(lang).stemWord(word))
