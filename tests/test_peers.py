"""Peer figures: the median and middle half of other firms' overall scores, for the firm's size
band when five or more are in it, else for every firm (said so), else nothing at all; and the
median of each dimension that at least five of those firms have a score for."""

from __future__ import annotations

from pathlib import Path

from bot.assessment.peers import MIN_GROUP, Peer, peer_figure
from bot.content.loader import Knowledge
from bot.events import UserRef
from tests.chat_helpers import Chat, make_engine
from tests.companies import ACTIVE, CAFE


def test_the_size_band_when_five_are_in_it() -> None:
    others = [Peer("micro", s) for s in (10, 20, 30, 40, 50)] + [Peer("medium", 90)] * 3
    figure = peer_figure("micro", others)
    assert figure is not None and figure.group == "size" and figure.firms == 5
    assert (figure.lower, figure.median, figure.upper) == (20, 30, 40)


def test_every_firm_when_the_band_is_too_small_and_nothing_under_five() -> None:
    others = [Peer("micro", 10), Peer("micro", 20)] + [Peer("medium", 60)] * 4
    figure = peer_figure("micro", others)
    assert figure is not None and figure.group == "all" and figure.firms == 6
    assert peer_figure("micro", others[: MIN_GROUP - 1]) is None


def test_a_dimension_s_median_only_where_five_firms_have_a_score_for_it() -> None:
    # A one-person firm is not asked about internal collaboration: it has no score there.
    others = [Peer("micro", 40, {"purpose": s, "internal": s}) for s in (10, 20, 30, 40)]
    others.append(Peer("micro", 40, {"purpose": 90, "internal": None}))
    figure = peer_figure("micro", others)
    assert figure is not None and figure.firms == 5
    assert figure.dimensions == {"purpose": 30}  # four firms have an internal score: not shown


def test_a_firm_sees_its_peers_once_five_others_have_a_plan(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    engine = make_engine(knowledge, tmp_path / "adviser.sqlite3")
    for n in range(MIN_GROUP + 1):
        chat = Chat(engine, UserRef(f"tg:{n}", language_hint="en"))
        chat.command("assess")
        chat.answer_all(CAFE if n % 2 else ACTIVE)
        plan = next(m for m in chat.messages() if m.template == "plan")
        if n < MIN_GROUP:
            assert plan.values["peers"] is None  # fewer than five others: nothing shown
    peers = plan.values["peers"]
    assert peers is not None and peers["firms"] == MIN_GROUP  # each firm once, not itself
    assert "median" in chat.renderer.text(plan)
    # The whole plan sets each of its scores beside the peers' median.
    names = [d["name"] for d in peers["dimensions"]]
    assert names and len(names) == len(set(names))
    chat.tap(engine.services.label("en", "whole_plan"))
    assert (
        "Compared with all firms so far" in chat.text()
        or "Compared with firms of your size" in chat.text()
    )
    assert f"{names[0]}: you " in chat.text()
    # A firm's second assessment replaces its first among the peers: still counted once.
    chat.command("assess")
    chat.tap(engine.services.label("en", "afresh"))
    chat.answer_all(ACTIVE)
    again = next(m for m in chat.messages() if m.template == "plan")
    assert again.values["peers"]["firms"] == MIN_GROUP
