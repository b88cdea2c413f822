"""The SQLite file: connections, pragmas, transactions and the schema migrations.

One connection per thread (sqlite3 connections must not be shared while in use), all on the same
file in WAL mode, so readers never wait for the writer. Each event runs in one `BEGIN IMMEDIATE`
transaction: it takes the write lock before reading, so two events of the same user handled on
two worker threads cannot both decide from the same stale state.

Durability: WAL with synchronous=FULL (the default) syncs each commit to the disk, so neither a
killed process (SIGKILL) nor a power cut loses an answer once it was acknowledged; measured, it
costs a fraction of a millisecond a step (bench/bench_engine.py). `durable=False` uses
synchronous=NORMAL: still safe against a killed process, only a power cut could lose the last
moments.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot import clock
from bot.store.files import create_private, private_folder

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# How long a turn waits for another process's write lock (a backup, an operator's chat on the
# same file) before it gives up and the user is asked to send it again. Long enough for a backup
# of a big file; the Telegram adapter tells the user after a few seconds that saving is slow.
BUSY_TIMEOUT_MS = 60_000


class MigrationError(Exception):
    """The migrations folder or the database's recorded version makes no sense."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def statements(self) -> list[str]:
        """The file split into complete SQL statements (comments and blank lines dropped)."""
        found: list[str] = []
        pending = ""
        for line in self.path.read_text(encoding="utf-8").splitlines(keepends=True):
            if not pending and (not line.strip() or line.lstrip().startswith("--")):
                continue
            pending += line
            if sqlite3.complete_statement(pending):
                found.append(pending.strip())
                pending = ""
        if pending.strip():
            raise MigrationError(f"{self.path.name}: the last statement is not complete")
        return found


def find_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    migrations: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name.sql")
        migrations.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError(f"migration versions must run 1, 2, 3, ... without gaps: {versions}")
    return migrations


def now() -> str:
    """A timestamp as stored: ISO 8601 in UTC, to the second (ADVISER_CLOCK if set)."""
    return clock.now().isoformat()


class Database:
    def __init__(
        self, path: Path, *, durable: bool = True, migrations_dir: Path = MIGRATIONS_DIR
    ) -> None:
        self.path = path
        self._synchronous = "FULL" if durable else "NORMAL"
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        private_folder(path.parent)
        create_private(path)  # 0600 before SQLite opens it; its -wal and -shm follow its mode
        self.migrate(find_migrations(migrations_dir))

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            # isolation_level=None: we issue BEGIN and COMMIT ourselves, one per event.
            # check_same_thread=False only so that close() may close them all from one thread.
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {self._synchronous}")
            conn.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros, not left in free pages: /delete means gone.
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Reads only: a consistent view without taking the write lock."""
        conn = self.connection()
        conn.execute("BEGIN DEFERRED")
        try:
            yield conn
        finally:
            conn.execute("ROLLBACK")  # nothing was written; just end the read

    def version(self) -> int:
        conn = self.connection()
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if exists is None:
            return 0
        row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self, migrations: list[Migration]) -> list[int]:
        """Apply every migration newer than the database, all in one transaction; return them."""
        with self.transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)"
            )
            current = self.version()
            known = len(migrations)
            if current > known:
                raise MigrationError(
                    f"{self.path}: the database is at schema version {current}, "
                    f"newer than this program knows ({known})"
                )
            applied: list[int] = []
            for migration in migrations[current:]:
                for statement in migration.statements():
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)",
                    (migration.version, migration.name, now()),
                )
                applied.append(migration.version)
        return applied

    def checkpoint(self) -> None:
        """Everything in the WAL into the database file, and the WAL truncated to nothing.
        Best effort: a reader elsewhere may keep part of it for now; the next checkpoint ends it."""
        self.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
