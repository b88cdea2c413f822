"""How other firms stand: the anonymous median and middle half of their overall scores.

Each firm counts once, with its latest finished assessment. The group is the firm's own size
band when at least MIN_GROUP other firms are in it, else every firm (said so), else nothing:
fewer than five would let a figure point at a firm. Only one group is ever shown, so a band's
figure can never be worked out by setting it against the whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median, quantiles

MIN_GROUP = 5


@dataclass(frozen=True)
class PeerFigure:
    group: str  # "size": firms of the same size band; "all": every firm
    firms: int
    median: int
    lower: int  # the middle half runs from lower to upper (the quartiles)
    upper: int


def peer_figure(
    own_size: str | None, others: Sequence[tuple[str | None, int]]
) -> PeerFigure | None:
    """`others`: (size band, overall score) of every other firm's latest assessment."""
    same = [overall for size, overall in others if own_size is not None and size == own_size]
    if len(same) >= MIN_GROUP:
        return _figure("size", same)
    everyone = [overall for _, overall in others]
    if len(everyone) >= MIN_GROUP:
        return _figure("all", everyone)
    return None


def _figure(group: str, scores: list[int]) -> PeerFigure:
    lower, _, upper = quantiles(scores, n=4, method="inclusive")
    return PeerFigure(group, len(scores), round(median(scores)), round(lower), round(upper))
