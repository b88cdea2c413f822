"""How other firms stand: the anonymous median and middle half of their scores.

Each firm counts once, with its latest finished assessment. The group is the firm's own size
band when at least MIN_GROUP other firms are in it, else every firm (said so), else nothing:
fewer than five would let a figure point at a firm. The same holds for each dimension: its
median is shown only when at least five firms of the group have a score for it (a dimension
none of whose questions a firm was asked has none).

Nothing shown can be worked out from the rest: only one group is ever shown, so a band's figure
is never set against the whole, and the figures are medians and quartiles, never sums or means,
so no firm's score follows from the others and the count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median, quantiles

MIN_GROUP = 5


@dataclass(frozen=True)
class Peer:
    """Another firm's latest assessment, as much of it as peer figures need."""

    size: str | None
    overall: int
    scores: Mapping[str, int | None] = field(default_factory=dict)  # dimension id: score


@dataclass(frozen=True)
class PeerFigure:
    group: str  # "size": firms of the same size band; "all": every firm
    firms: int
    median: int
    lower: int  # the middle half runs from lower to upper (the quartiles)
    upper: int
    dimensions: Mapping[str, int] = field(default_factory=dict)  # dimension id: median


def peer_figure(own_size: str | None, others: Sequence[Peer]) -> PeerFigure | None:
    same = [p for p in others if own_size is not None and p.size == own_size]
    if len(same) >= MIN_GROUP:
        return _figure("size", same)
    if len(others) >= MIN_GROUP:
        return _figure("all", others)
    return None


def _figure(group: str, peers: Sequence[Peer]) -> PeerFigure:
    scores = [p.overall for p in peers]
    lower, _, upper = quantiles(scores, n=4, method="inclusive")
    by_dimension: dict[str, list[int]] = {}
    for peer in peers:
        for dimension, score in peer.scores.items():
            if score is not None:
                by_dimension.setdefault(dimension, []).append(score)
    dimensions = {
        d: round(median(values)) for d, values in by_dimension.items() if len(values) >= MIN_GROUP
    }
    return PeerFigure(
        group, len(scores), round(median(scores)), round(lower), round(upper), dimensions
    )
