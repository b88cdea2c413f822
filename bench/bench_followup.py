"""Benchmark: 10,000 check-ins due at once, and the operator's report on 1,000 users.

    .venv/bin/python -m bench.bench_followup [--checkins 10000] [--users 1000]

- Check-ins: claiming them all in the batches the Telegram bot uses (30 at a time), and what
  Telegram's limits make of the sending: about one message a second per chat, 30 a second
  overall, so 10,000 take at least 10,000 / 30 seconds however fast the claiming is.
- The report: `python -m bot report` on a database of `--users` firms with a plan each, a third
  with check-ins answered (goal: under 5 s).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bot.app import build_adviser
from bot.reporting.figures import read_figures
from bot.reporting.write import write_report
from bot.telegram.checkins import BATCH
from bot.telegram.pacing import CHAT_RATE

OVERALL_RATE = 30.0  # Telegram's messages a second for a bot


def fill_with_checkins(db: Path, users: int, checkins_per_user: int) -> None:
    """Users with a finished plan each (the engine's own rows, copied), and their check-ins."""
    from bench.bench_engine import fill

    adviser = build_adviser(db)
    try:
        fill(adviser.store, adviser.engine, adviser.knowledge, users)
    finally:
        adviser.close()
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT a.id, a.user_key FROM assessments a JOIN plans p ON p.assessment_id = a.id"
        ).fetchall()
        stamp = "2026-01-01T08:00:00+00:00"
        conn.executemany(
            "INSERT OR IGNORE INTO checkins (user_key, assessment_id, week, last, due)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (key, aid, week, int(week == 6), stamp)
                for aid, key in rows
                for week in (2, 6)[:checkins_per_user]
            ],
        )


def bench_checkins(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "checkins.sqlite3"
        fill_with_checkins(db, count, 1)
        adviser = build_adviser(db)
        claimed, batches = 0, 0
        started = time.perf_counter()
        while batch := adviser.engine.due_checkins(BATCH, "tg:"):
            claimed += len(batch)
            batches += 1
        elapsed = time.perf_counter() - started
        adviser.close()
    sending = claimed / OVERALL_RATE
    print(
        f"  {claimed} check-ins due at once: claimed with their messages in {elapsed:.2f} s "
        f"({batches} batches of {BATCH}, {1000 * elapsed / max(batches, 1):.1f} ms a batch); "
        f"sending them within Telegram's {OVERALL_RATE:g}/s overall (and {CHAT_RATE:g}/s per "
        f"chat) takes at least {sending:.0f} s ({sending / 60:.1f} min)"
    )


def bench_report(users: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "report.sqlite3"
        fill_with_checkins(db, users, 2)
        with sqlite3.connect(db) as conn:  # a third answered their check-in's survey
            ids = [r[0] for r in conn.execute("SELECT id FROM checkins WHERE last = 1")]
            conn.executemany(
                "INSERT INTO checkin_answers VALUES (?, ?, ?, ?)",
                [(i, q, "increased", "2026-01-02") for i in ids[::3] for q in ("status", "time")],
            )
        adviser = build_adviser(db)
        knowledge = adviser.knowledge
        adviser.close()
        started = time.perf_counter()
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            figures = read_figures(conn, knowledge)
        write_report(figures, Path(folder) / "out")
        elapsed = time.perf_counter() - started
    print(f"  the report on {users} firms with plans and check-ins: {elapsed:.2f} s (goal < 5 s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_followup", description=__doc__)
    parser.add_argument("--checkins", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=1_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("ADVISER_CLOCK", "2026-06-01T09:00:00+00:00")
    bench_checkins(args.checkins)
    bench_report(args.users)
    return 0


if __name__ == "__main__":
    sys.exit(main())
