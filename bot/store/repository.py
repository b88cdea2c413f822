"""The storage layer: users, assessments, answers and plans, as plain rows.

The engine opens one transaction per event (`Store.transaction()`) and reads and writes through
the `Repository` it gets; nothing is committed until the event has been handled, and everything
is committed before the replies go out.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot import Lang, without_control
from bot.store.database import Database, now


@dataclass(frozen=True)
class User:
    key: str
    language: Lang
    created: str
    last_topic: str | None = None  # the topic of the last answer, for follow-ups (its id only)
    last_topic_at: str | None = None
    last_seen: str | None = None  # when the user last wrote or pressed anything (retention)
    blocked: str | None = None  # when Telegram said the user blocked the bot


# How long a claimed check-in may wait to be delivered before another claim may take it: far
# longer than the sender keeps one queued (a batch at a time), far shorter than a day.
CLAIM_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    user_key: str
    started: str
    finished: str | None
    abandoned: str | None
    paused: bool
    started_from: int | None = None  # the earlier assessment whose answers it began with


@dataclass(frozen=True)
class AnswerRow:
    step: str
    choices: tuple[str, ...]
    final: bool  # False: a multi-choice selection still being made, or reopened by "back"
    answered_at: str


@dataclass(frozen=True)
class CheckinRow:
    id: int
    user_key: str
    assessment_id: int
    week: int
    last: bool
    due: str
    sent: str | None  # claimed by a process to send
    delivered: str | None = None  # Telegram accepted it (or the terminal showed it)
    skipped: str | None = None  # a later one of the plan fell due first: never sent


def _checkin(row: sqlite3.Row) -> CheckinRow:
    return CheckinRow(
        row["id"], row["user_key"], row["assessment_id"], row["week"], bool(row["last"]),
        row["due"], row["sent"], row["delivered"], row["skipped"],
    )  # fmt: skip


@dataclass(frozen=True)
class PlanRow:
    assessment_id: int
    created: str
    content: Mapping[str, Any]


def _assessment(row: sqlite3.Row) -> AssessmentRow:
    return AssessmentRow(
        id=row["id"],
        user_key=row["user_key"],
        started=row["started"],
        finished=row["finished"],
        abandoned=row["abandoned"],
        paused=bool(row["paused"]),
        started_from=row["started_from"],
    )


def _answer(row: sqlite3.Row) -> AnswerRow:
    choices = tuple(row["choices"].split()) if row["choices"] else ()
    return AnswerRow(row["step"], choices, bool(row["final"]), row["answered_at"])


def _plan(row: sqlite3.Row) -> PlanRow:
    return PlanRow(row["assessment_id"], row["created"], json.loads(row["content"]))


class Repository:
    """Reads and writes inside one open transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- users ---------------------------------------------------------------------------------

    def user(self, key: str) -> User | None:
        row = self.conn.execute(
            "SELECT key, language, created, last_topic, last_topic_at, last_seen, blocked"
            " FROM users WHERE key = ?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        return User(
            row["key"],
            row["language"],
            row["created"],
            row["last_topic"],
            row["last_topic_at"],
            row["last_seen"],
            row["blocked"],
        )

    def ensure_user(self, key: str, language: Lang) -> User:
        """The user, created with `language` if new (a new user is stored only when needed)."""
        self.conn.execute(
            "INSERT INTO users (key, language, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (key, language, now()),
        )
        user = self.user(key)
        assert user is not None
        return user

    def set_language(self, key: str, language: Lang) -> None:
        self.ensure_user(key, language)
        self.conn.execute("UPDATE users SET language = ? WHERE key = ?", (language, key))

    def set_last_topic(self, key: str, language: Lang, topic_id: str) -> None:
        """Remember which topic the user was last answered with (not what they asked)."""
        self.ensure_user(key, language)
        self.conn.execute(
            "UPDATE users SET last_topic = ?, last_topic_at = ? WHERE key = ?",
            (topic_id, now(), key),
        )

    def recent_topic(self, key: str, within: timedelta) -> str | None:
        """The topic the user was last answered with, if that was no longer ago than `within`."""
        since = (datetime.fromisoformat(now()) - within).isoformat()
        row = self.conn.execute(
            "SELECT last_topic FROM users WHERE key = ? AND last_topic_at >= ?", (key, since)
        ).fetchone()
        return row["last_topic"] if row else None

    def delete_user(self, key: str) -> None:
        """Every row of the user: assessments, answers and plans go with it (ON DELETE CASCADE)."""
        self.conn.execute("DELETE FROM users WHERE key = ?", (key,))

    def ask_to_delete(self, key: str) -> str:
        """A new one-time code for the user's "yes, delete everything" button."""
        code = secrets.token_hex(4)
        self.conn.execute("UPDATE users SET delete_code = ? WHERE key = ?", (code, key))
        return code

    def take_delete_code(self, key: str, code: str) -> bool:
        """Whether `code` is the user's pending one; if so, it is used up."""
        row = self.conn.execute("SELECT delete_code FROM users WHERE key = ?", (key,)).fetchone()
        if row is None or row["delete_code"] is None or row["delete_code"] != code:
            return False  # an older confirmation's button: the newest one still works
        self.conn.execute("UPDATE users SET delete_code = NULL WHERE key = ?", (key,))
        return True

    def cancel_delete(self, key: str) -> None:
        self.conn.execute("UPDATE users SET delete_code = NULL WHERE key = ?", (key,))

    # --- assessments ---------------------------------------------------------------------------

    def assessment(self, assessment_id: int) -> AssessmentRow | None:
        row = self.conn.execute(
            "SELECT * FROM assessments WHERE id = ?", (assessment_id,)
        ).fetchone()
        return _assessment(row) if row else None

    def assessments(self, user_key: str) -> list[AssessmentRow]:
        rows = self.conn.execute(
            "SELECT * FROM assessments WHERE user_key = ? ORDER BY id", (user_key,)
        ).fetchall()
        return [_assessment(r) for r in rows]

    def current_assessment(self, user_key: str) -> AssessmentRow | None:
        """The assessment in progress (neither finished nor abandoned), if there is one."""
        row = self.conn.execute(
            "SELECT * FROM assessments WHERE user_key = ? AND finished IS NULL"
            " AND abandoned IS NULL ORDER BY id DESC LIMIT 1",
            (user_key,),
        ).fetchone()
        return _assessment(row) if row else None

    def start_assessment(self, user_key: str) -> AssessmentRow:
        # A fresh id, higher than any ever given (see migration 0003): never a deleted one's.
        row = self.conn.execute(
            "SELECT max(coalesce((SELECT max(id) FROM assessments), 0),"
            " coalesce((SELECT CAST(value AS INTEGER) FROM meta"
            " WHERE key = 'last_assessment_id'), 0)) + 1"
        ).fetchone()
        new_id = int(row[0])
        self.conn.execute(
            "INSERT INTO assessments (id, user_key, started) VALUES (?, ?, ?)",
            (new_id, user_key, now()),
        )
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('last_assessment_id', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(new_id),),
        )
        started = self.assessment(new_id)
        assert started is not None
        return started

    def set_paused(self, assessment_id: int, paused: bool) -> None:
        self.conn.execute(
            "UPDATE assessments SET paused = ? WHERE id = ?", (int(paused), assessment_id)
        )

    def abandon(self, assessment_id: int) -> None:
        """Stop an unfinished assessment; its answers stay as history."""
        self.conn.execute(
            "UPDATE assessments SET abandoned = ?, paused = 0 WHERE id = ? AND finished IS NULL",
            (now(), assessment_id),
        )

    def finish(self, assessment_id: int, plan: Mapping[str, Any]) -> None:
        """Mark the assessment finished and keep its plan, in the same transaction."""
        stamp = now()
        self.conn.execute(
            "UPDATE assessments SET finished = ?, paused = 0 WHERE id = ?", (stamp, assessment_id)
        )
        self.conn.execute(
            "INSERT INTO plans (assessment_id, created, content) VALUES (?, ?, ?)",
            (assessment_id, stamp, json.dumps(plan, ensure_ascii=False, sort_keys=True)),
        )

    # --- answers -------------------------------------------------------------------------------

    def answers(self, assessment_id: int) -> dict[str, AnswerRow]:
        rows = self.conn.execute(
            "SELECT step, choices, final, answered_at FROM answers WHERE assessment_id = ?",
            (assessment_id,),
        ).fetchall()
        return {r["step"]: _answer(r) for r in rows}

    def put_answer(
        self, assessment_id: int, step: str, choices: tuple[str, ...], *, final: bool
    ) -> None:
        self.conn.execute(
            "INSERT INTO answers (assessment_id, step, choices, final, answered_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (assessment_id, step) DO UPDATE SET"
            " choices = excluded.choices, final = excluded.final,"
            " answered_at = excluded.answered_at",
            (assessment_id, step, " ".join(choices), int(final), now()),
        )

    def copy_answers(self, source: int, target: int) -> None:
        """Start `target` from `source`'s final answers, each provisional until confirmed."""
        self.conn.execute("UPDATE assessments SET started_from = ? WHERE id = ?", (source, target))
        self.conn.execute(
            "INSERT INTO answers (assessment_id, step, choices, final, answered_at)"
            " SELECT ?, step, choices, 0, answered_at FROM answers"
            " WHERE assessment_id = ? AND final = 1",
            (target, source),
        )

    def reopen(self, assessment_id: int, step: str) -> None:
        """Make a given answer provisional again ("back"): the step becomes the current one."""
        self.conn.execute(
            "UPDATE answers SET final = 0 WHERE assessment_id = ? AND step = ?",
            (assessment_id, step),
        )

    # --- plans ---------------------------------------------------------------------------------

    def plan(self, assessment_id: int) -> PlanRow | None:
        row = self.conn.execute(
            "SELECT * FROM plans WHERE assessment_id = ?", (assessment_id,)
        ).fetchone()
        return _plan(row) if row else None

    def peers(self, user_key: str) -> list[tuple[str | None, int, dict[str, int | None]]]:
        """(size band, overall score, score a dimension) of every other user's latest finished
        assessment."""
        rows = self.conn.execute(
            "SELECT (SELECT choices FROM answers WHERE assessment_id = p.assessment_id"
            "  AND step = 'size') AS size, json_extract(p.content, '$.overall') AS overall,"
            " json_extract(p.content, '$.scores') AS scores"
            " FROM plans p JOIN assessments a ON a.id = p.assessment_id"
            " WHERE a.user_key != ? AND p.assessment_id = ("
            "  SELECT max(p2.assessment_id) FROM plans p2 JOIN assessments a2"
            "  ON a2.id = p2.assessment_id WHERE a2.user_key = a.user_key)",
            (user_key,),
        ).fetchall()
        return [
            (r["size"], int(r["overall"]), json.loads(r["scores"] or "{}"))
            for r in rows
            if r["overall"] is not None
        ]

    def has_plan(self, user_key: str) -> bool:
        """Whether the user has a plan: the menus and the goodbye ask, and need nothing of it."""
        row = self.conn.execute(
            "SELECT 1 FROM plans p JOIN assessments a ON a.id = p.assessment_id"
            " WHERE a.user_key = ? LIMIT 1",
            (user_key,),
        ).fetchone()
        return row is not None

    def latest_plan(self, user_key: str, *, before: int | None = None) -> PlanRow | None:
        """The user's latest plan; with `before`, the latest made before that assessment's (the
        one a re-assessment is compared with)."""
        row = self.conn.execute(
            "SELECT p.* FROM plans p JOIN assessments a ON a.id = p.assessment_id"
            " WHERE a.user_key = ? AND (? IS NULL OR p.assessment_id < ?)"
            " ORDER BY p.assessment_id DESC LIMIT 1",
            (user_key, before, before),
        ).fetchone()
        return _plan(row) if row else None

    # --- everything of one user ----------------------------------------------------------------

    def export_user(self, key: str) -> dict[str, Any] | None:
        """All we keep about a user, as plain data (for /mydata); None if we keep nothing."""
        user = self.user(key)
        if user is None:
            return None
        history: list[dict[str, Any]] = []
        for a in self.assessments(key):
            plan = self.plan(a.id)
            history.append(
                {
                    "id": a.id,
                    "started": a.started,
                    "finished": a.finished,
                    "abandoned": a.abandoned,
                    "paused": a.paused,
                    "answers": [
                        {
                            "step": r.step,
                            "choices": list(r.choices),
                            "final": r.final,
                            "answered_at": r.answered_at,
                        }
                        for r in sorted(self.answers(a.id).values(), key=lambda r: r.answered_at)
                    ],
                    "plan": {"created": plan.created, "content": plan.content} if plan else None,
                    "checkins": [
                        {
                            "week": c.week,
                            "due": c.due,
                            "sent": c.sent,
                            "delivered": c.delivered,
                            "skipped": c.skipped,
                            "answers": self.checkin_answers(c.id),
                        }
                        for c in self.checkins_of(a.id)
                    ],
                }
            )
        return {
            "user": {
                "key": user.key,
                "language": user.language,
                "created": user.created,
                "last_topic": user.last_topic,
                "last_topic_at": user.last_topic_at,
                "last_seen": user.last_seen,
                "blocked": user.blocked,
            },
            "assessments": history,
        }

    # --- check-ins -------------------------------------------------------------------------------

    def plan_checkins(self, user_key: str, assessment_id: int, dues: list[tuple[int, str]]) -> None:
        """The check-ins of a plan, (week, due) each; the last asks the effects survey."""
        last = max(week for week, _ in dues)
        self.conn.executemany(
            "INSERT OR IGNORE INTO checkins (user_key, assessment_id, week, last, due)"
            " VALUES (?, ?, ?, ?, ?)",
            [(user_key, assessment_id, week, int(week == last), due) for week, due in dues],
        )

    def cancel_checkins(self, assessment_id: int) -> int:
        """The user wants no more: the plan's check-ins not yet delivered go; how many."""
        cursor = self.conn.execute(
            "DELETE FROM checkins WHERE assessment_id = ? AND delivered IS NULL", (assessment_id,)
        )
        return cursor.rowcount

    def checkins_of(self, assessment_id: int) -> list[CheckinRow]:
        rows = self.conn.execute(
            "SELECT * FROM checkins WHERE assessment_id = ? ORDER BY week", (assessment_id,)
        ).fetchall()
        return [_checkin(r) for r in rows]

    def latest_delivered_checkin(self, user_key: str, since: str) -> CheckinRow | None:
        """The user's check-in delivered last, if delivered after `since`."""
        row = self.conn.execute(
            "SELECT * FROM checkins WHERE user_key = ? AND delivered >= ?"
            " ORDER BY delivered DESC, week DESC LIMIT 1",
            (user_key, since),
        ).fetchone()
        return _checkin(row) if row else None

    def checkin(self, checkin_id: int) -> CheckinRow | None:
        row = self.conn.execute("SELECT * FROM checkins WHERE id = ?", (checkin_id,)).fetchone()
        return _checkin(row) if row else None

    def claim_due(
        self, at: str, limit: int, *, user_key: str | None = None, prefix: str = ""
    ) -> list[CheckinRow]:
        """Claim up to `limit` check-ins due by `at` and not delivered, and return them: of one
        user, or of the users whose keys start with `prefix` (an adapter's). In the caller's
        write transaction, so a second process claiming at the same time gets others. A claim
        older than CLAIM_LEASE that was never delivered is taken again: its process stopped."""
        expired = (datetime.fromisoformat(at) - CLAIM_LEASE).isoformat()
        # One waiting when a later one of its plan is due too is skipped: only the later goes.
        self.conn.execute(
            "UPDATE checkins SET skipped = ? WHERE delivered IS NULL AND sent IS NULL"
            " AND skipped IS NULL AND due <= ? AND EXISTS (SELECT 1 FROM checkins later"
            " WHERE later.assessment_id = checkins.assessment_id"
            " AND later.week > checkins.week AND later.due <= ?)",
            (at, at, at),
        )
        rows = self.conn.execute(
            "UPDATE checkins SET sent = ? WHERE id IN ("
            " SELECT c.id FROM checkins c JOIN users u ON u.key = c.user_key"
            " WHERE c.delivered IS NULL AND c.skipped IS NULL AND (c.sent IS NULL OR c.sent < ?)"
            " AND c.due <= ? AND u.blocked IS NULL"
            " AND (? IS NULL OR c.user_key = ?) AND substr(c.user_key, 1, ?) = ?"
            " ORDER BY c.due, c.id LIMIT ?) RETURNING *",
            (at, expired, at, user_key, user_key, len(prefix), prefix, limit),
        ).fetchall()
        return sorted((_checkin(r) for r in rows), key=lambda c: (c.due, c.id))

    def mark_delivered(self, checkin_id: int) -> None:
        self.conn.execute(
            "UPDATE checkins SET delivered = ? WHERE id = ? AND delivered IS NULL",
            (now(), checkin_id),
        )

    def unclaim(self, checkin_id: int) -> None:
        """It could not be delivered (the user blocked the bot): it waits for them to return."""
        self.conn.execute("UPDATE checkins SET sent = NULL WHERE id = ?", (checkin_id,))

    def answer_checkin(self, checkin_id: int, question: str, answer: str) -> bool:
        """Record an answer once; False if that question was answered already."""
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO checkin_answers (checkin_id, question, answer, answered)"
            " VALUES (?, ?, ?, ?)",
            (checkin_id, question, answer, now()),
        )
        return cursor.rowcount == 1

    def checkin_answers(self, checkin_id: int) -> dict[str, str]:
        rows = self.conn.execute(
            "SELECT question, answer FROM checkin_answers WHERE checkin_id = ?", (checkin_id,)
        ).fetchall()
        return {r["question"]: r["answer"] for r in rows}

    def seen(self, key: str) -> None:
        """The user wrote or pressed something: not blocked, and not inactive."""
        self.conn.execute(
            "UPDATE users SET blocked = NULL, last_seen = ? WHERE key = ?", (now(), key)
        )

    def purge_inactive(self, cutoff: str) -> int:
        """Remove every user silent since before `cutoff`, with all that is theirs (cascade)."""
        cursor = self.conn.execute(
            "DELETE FROM users WHERE coalesce(last_seen, created) < ?", (cutoff,)
        )
        return cursor.rowcount

    def set_blocked(self, key: str, blocked: bool) -> None:
        self.conn.execute(
            "UPDATE users SET blocked = ? WHERE key = ?", (now() if blocked else None, key)
        )

    def record_unanswered(self, lang: Lang, question: str, outcome: str) -> None:
        """A question without an answer, kept without who asked it (see migration 0006)."""
        self.conn.execute(
            "INSERT INTO unanswered (lang, question, outcome, at) VALUES (?, ?, ?, ?)",
            (lang, without_control(question)[:300], outcome, now()),
        )

    def first_delivery(self, key: str, keep: timedelta = timedelta(days=2)) -> bool:
        """Record a delivery's key; False if it was recorded before (a redelivery)."""
        stamp = now()
        cutoff = (datetime.fromisoformat(stamp) - keep).isoformat()
        self.conn.execute("DELETE FROM handled_updates WHERE at < ?", (cutoff,))
        cursor = self.conn.execute(
            "INSERT INTO handled_updates (key, at) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (key, stamp),
        )
        return cursor.rowcount == 1

    def check_writable(self) -> None:
        """Raises sqlite3.OperationalError now, at start, if the file cannot be written, rather
        than "something went wrong" at the user's first answer."""
        self.conn.execute("UPDATE meta SET value = value WHERE key = 'button_key'")

    def button_key(self) -> bytes:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'button_key'").fetchone()
        return bytes.fromhex(row["value"])


class Store:
    def __init__(self, path: Path, *, durable: bool = True) -> None:
        self.database = Database(path, durable=durable)
        with self.transaction() as repo:
            self.button_key = repo.button_key()
            repo.check_writable()

    @property
    def path(self) -> Path:
        return self.database.path

    @contextmanager
    def transaction(self) -> Iterator[Repository]:
        with self.database.transaction() as conn:
            yield Repository(conn)

    @contextmanager
    def reading(self) -> Iterator[Repository]:
        """For looking only (e.g. a user's language): does not wait for or block writers."""
        with self.database.snapshot() as conn:
            yield Repository(conn)

    def wipe_traces(self) -> None:
        """After a deletion: copy the write-ahead log into the file and empty it, so the deleted
        rows' old pages no longer sit in the WAL (secure_delete zeroes them in the file)."""
        self.database.checkpoint()

    def close(self) -> None:
        self.database.close()
