"""What the user is in the middle of, to bring back after a side trip (a question typed in
between, a command, bad input): the assessment's current question, or else a check-in question
left unanswered. The assessment comes first: it is what the user started themselves."""

from __future__ import annotations

from bot.engine import assessing, followup
from bot.engine.turn import Replies, Turn


def reshow(turn: Turn) -> Replies:
    return assessing.reshow(turn) or followup.reshow(turn)
