"""The storage layer: migrations from nothing, data kept across re-opening, a user deleted whole."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from bot.store.database import Database, MigrationError, find_migrations
from bot.store.repository import Store

TABLES_WITH_USER_DATA = ("users", "assessments", "answers", "plans")


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _fill(store: Store, key: str) -> int:
    with store.transaction() as repo:
        repo.ensure_user(key, "fi")
        first = repo.start_assessment(key)
        repo.put_answer(first.id, "size", ("micro",), final=True)
        repo.put_answer(first.id, "channels", ("facebook", "instagram"), final=False)
        repo.finish(first.id, {"stage": "starting"})
        second = repo.start_assessment(key)
        repo.put_answer(second.id, "size", ("small",), final=True)
        return second.id


def test_migrations_build_the_schema_from_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "adviser.sqlite3"
    db = Database(path)
    assert db.version() == len(find_migrations())
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert set(TABLES_WITH_USER_DATA) <= tables
    assert mode == "wal"
    db.close()


def test_opening_again_applies_nothing_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "adviser.sqlite3"
    store = Store(path)
    open_id = _fill(store, "cli:anna")
    key = store.button_key
    store.close()

    again = Store(path)
    assert again.database.migrate(find_migrations()) == []
    assert again.button_key == key  # old buttons stay valid after a restart
    with again.transaction() as repo:
        user = repo.user("cli:anna")
        current = repo.current_assessment("cli:anna")
        assert user is not None and user.language == "fi"
        assert current is not None and current.id == open_id
        plan = repo.latest_plan("cli:anna")
        assert plan is not None and plan.content == {"stage": "starting"}
        history = repo.assessments("cli:anna")
        answers = repo.answers(history[0].id)
    assert [a.finished is not None for a in history] == [True, False]
    assert answers["channels"].choices == ("facebook", "instagram")
    assert not answers["channels"].final  # a selection in progress survives too
    again.close()


def test_a_database_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "adviser.sqlite3"
    Database(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'x')")
    with pytest.raises(MigrationError, match="newer"):
        Database(path)


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_first.sql").write_text("CREATE TABLE a (x INTEGER);\n")
    path = tmp_path / "db.sqlite3"
    Database(path, migrations_dir=folder).close()
    (folder / "0002_broken.sql").write_text("CREATE TABLE b (y INTEGER);\nNOT SQL AT ALL;\n")
    with pytest.raises(sqlite3.OperationalError):
        Database(path, migrations_dir=folder)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    assert "b" not in tables
    assert version == 1


def test_delete_leaves_no_row_of_the_user_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "adviser.sqlite3"
    store = Store(path)
    _fill(store, "cli:anna")
    _fill(store, "tg:42")
    with store.transaction() as repo:
        repo.delete_user("cli:anna")
        assert repo.export_user("cli:anna") is None
    store.close()
    with sqlite3.connect(path) as conn:
        users = [r[0] for r in conn.execute("SELECT key FROM users")]
        owners = {r[0] for r in conn.execute("SELECT user_key FROM assessments")}
        orphans = conn.execute(
            "SELECT count(*) FROM answers WHERE assessment_id NOT IN (SELECT id FROM assessments)"
        ).fetchone()[0]
        orphan_plans = conn.execute(
            "SELECT count(*) FROM plans WHERE assessment_id NOT IN (SELECT id FROM assessments)"
        ).fetchone()[0]
    assert users == ["tg:42"]
    assert owners == {"tg:42"}
    assert orphans == 0 and orphan_plans == 0
    assert _count(path, "answers") == 3  # the other user's answers are untouched


def test_a_failed_event_commits_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "adviser.sqlite3")
    with pytest.raises(RuntimeError), store.transaction() as repo:
        repo.ensure_user("cli:anna", "en")
        raise RuntimeError("the engine failed half-way")
    with store.transaction() as repo:
        assert repo.user("cli:anna") is None
    store.close()


def test_worker_threads_can_share_one_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "adviser.sqlite3")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                with store.transaction() as repo:
                    repo.ensure_user(f"tg:{n}", "en")
                    a = repo.current_assessment(f"tg:{n}") or repo.start_assessment(f"tg:{n}")
                    repo.put_answer(a.id, f"q{i}", ("yes",), final=True)
        except BaseException as exc:  # collected and asserted on the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    assert errors == []
    assert _count(tmp_path / "adviser.sqlite3", "answers") == 8 * 20


def test_reading_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    store = Store(tmp_path / "adviser.sqlite3")
    with store.transaction() as repo:
        repo.ensure_user("tg:1", "fi")
    writing = threading.Event()
    finish = threading.Event()

    def writer() -> None:
        with store.transaction() as repo:
            repo.set_language("tg:1", "en")
            writing.set()
            finish.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    assert writing.wait(10)
    with store.reading() as repo:  # while the write lock is held: the last committed state
        user = repo.user("tg:1")
    finish.set()
    thread.join()
    assert user is not None and user.language == "fi"
    with store.reading() as repo:
        after = repo.user("tg:1")
    assert after is not None and after.language == "en"
    store.close()
