"""What time it is: the real clock, or ADVISER_CLOCK for tests and demonstrations.

Check-ins fall due weeks after a plan; to try that without waiting, set ADVISER_CLOCK to an
ISO 8601 time with its offset (2027-03-16T09:00:00+00:00) and every command takes it as now:
what is due, and the stamps on what is stored. Read at each call, so a test can move it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

CLOCK_VARIABLE = "ADVISER_CLOCK"


class ClockError(ValueError):
    """ADVISER_CLOCK is set to something that is not a time with an offset."""


def now() -> datetime:
    """Now, in UTC, to the second."""
    raw = os.environ.get(CLOCK_VARIABLE, "").strip()
    if not raw:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ClockError(f"{CLOCK_VARIABLE} must be an ISO 8601 time (got {raw!r})") from exc
    if moment.tzinfo is None:
        raise ClockError(f"{CLOCK_VARIABLE} needs its offset, e.g. {raw}+00:00")
    return moment.astimezone(UTC).replace(microsecond=0)
