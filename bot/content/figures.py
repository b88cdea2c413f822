"""The figures a text states, so that a finding can be held to the report it cites.

A figure is a number written in digits: "79", "30 %", "93,4", "108 886", "2010-2012" (two
figures). Decimal commas and points count alike and thousands separators are dropped, so the
Finnish report's "93,4 %" supports an English finding's "93.4%". Numbers written as words
("eight") are not figures here: the reports themselves use digits for what they measure.
A one-digit figure is weakly held, since almost every report has that digit somewhere.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# Digits in groups of three after a space or a thin/no-break space are one number ("108 886");
# a comma or a point followed by digits is a decimal part ("93,4", "1.5").
_FIGURE = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)?")


def figures(text: str) -> list[str]:
    """The figures of a text in its order, each in one canonical form ("93.4", "108886")."""
    found = []
    for match in _FIGURE.finditer(text):
        value = re.sub(r"[ \u00a0\u202f]", "", match.group()).replace(",", ".")
        found.append(value.rstrip(".") or value)
    return found


@lru_cache(maxsize=16)
def report_figures(path: Path) -> frozenset[str]:
    """Every figure a report states, and each run of digits on its own ("556" of "556:lla")."""
    text = path.read_text(encoding="utf-8")
    return frozenset(figures(text)) | frozenset(re.findall(r"\d+", text))
