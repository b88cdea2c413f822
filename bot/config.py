"""Where things live, from the environment with sensible defaults. Read once at start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    knowledge: Path
    seeds: Path

    @classmethod
    def from_env(cls) -> Paths:
        return cls(
            knowledge=Path(os.environ.get("ADVISER_KNOWLEDGE", PROJECT_ROOT / "knowledge")),
            seeds=Path(os.environ.get("ADVISER_SEEDS", PROJECT_ROOT / "seeds")),
        )


def database_path(option: str | None = None) -> Path:
    """The SQLite file: --db wins, then ADVISER_DB, then data/adviser.sqlite3 in the project."""
    if option:
        return Path(option)
    return Path(os.environ.get("ADVISER_DB", PROJECT_ROOT / "data" / "adviser.sqlite3"))


DEFAULT_RETENTION_DAYS = 730  # two years without a word, then everything about a user goes


def retention_days() -> int:
    """ADVISER_RETENTION_DAYS: how long a silent user's data is kept (0: until deleted).
    ValueError, naming the variable, for anything but a whole number of days."""
    raw = os.environ.get("ADVISER_RETENTION_DAYS", "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit():
        raise ValueError(
            f"ADVISER_RETENTION_DAYS must be a number of days, 0 or more (got {raw!r})"
        )
    return int(raw)
