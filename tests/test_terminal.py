"""The terminal adapter and `python -m bot chat`: line mapping, printing, files, and resuming
after the process is killed (a real subprocess, SIGKILL)."""

from __future__ import annotations

import io
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import Adviser
from bot.config import PROJECT_ROOT
from bot.content.loader import Knowledge
from bot.events import Command, Message, Press, Text
from bot.render import Renderer
from bot.terminal import Terminal, user_ref
from tests.chat_helpers import make_engine
from tests.companies import ACTIVE

WAIT_SECONDS = 60  # generous: a loaded CI machine; never part of what is asserted


@pytest.fixture
def terminal(knowledge: Knowledge, tmp_path: Path) -> Terminal:
    engine = make_engine(knowledge, tmp_path / "adviser.sqlite3")
    adviser = Adviser(knowledge, Renderer(), engine.store, engine)
    return Terminal(adviser, user_ref("anna"), io.StringIO(), tmp_path)


def _output(terminal: Terminal) -> str:
    out = terminal.out
    assert isinstance(out, io.StringIO)
    return out.getvalue()


# --- mapping a line to an event -----------------------------------------------------------------


def test_commands_numbers_and_button_texts(terminal: Terminal) -> None:
    assert terminal.event_for("/start") == Command("start")
    assert terminal.event_for("  /Language   fi ") == Command("language", "fi")
    assert terminal.event_for("how do I use LinkedIn?") == Text("how do I use LinkedIn?")

    terminal.send("/start")
    shown = terminal.choices
    assert [c.label for c in shown][:2] == ["Start the self-assessment", "Ask a question"]
    assert "[1] Start the self-assessment  [2] Ask a question  [3] Suomeksi" in _output(terminal)
    assert terminal.event_for("2") == Press(shown[1].token)
    assert terminal.event_for(" ask a QUESTION ") == Press(shown[1].token)

    out_of_range = terminal.event_for("4")
    assert isinstance(out_of_range, Message) and out_of_range.template == "out_of_range"
    assert isinstance(terminal.event_for("0"), Message)
    assert terminal.event_for("١") == Text("١")  # not an ASCII number: just text


def test_a_number_out_of_range_is_answered_kindly_and_changes_nothing(
    terminal: Terminal,
) -> None:
    terminal.send("/assess")
    count = len(terminal.choices)
    before = _dump(terminal)
    replies = terminal.send(str(count + 1))
    assert [r.template for r in replies if isinstance(r, Message)] == ["out_of_range"]
    assert f"pick a number from 1 to {count}" in _output(terminal)
    assert _dump(terminal) == before
    terminal.send("/language fi")
    terminal.send("99")
    assert "Valintaa 99 ei ole" in _output(terminal)


def test_hostile_lines_are_answered_and_never_crash_or_reach_the_terminal_raw(
    terminal: Terminal,
) -> None:
    terminal.send("/assess")
    before = _dump(terminal)
    terminal.send("9" * 5000)  # over int()'s 4,300-digit limit
    terminal.send("/\x1b]0;owned\x07")  # an unknown command that would retitle the window
    terminal.send("\x1b[2J\x1b[H clear the screen \x00\x08\x9b")
    out = _output(terminal)
    assert "There's no choice 999999… here" in out
    assert not any(ch in out for ch in "\x1b\x07\x00\x08\x9b")
    assert _dump(terminal) == before  # none of it changed the assessment


def test_a_full_disk_while_saving_the_plan_keeps_the_plan_and_says_so(
    terminal: Terminal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.terminal.write_private", full)
    _assess_by_labels(terminal, ACTIVE)
    out = _output(terminal)
    assert "I couldn't save the chart" in out and "I couldn't save the plan file" in out
    assert "Start with these" in out  # the plan itself came, and is stored:
    monkeypatch.undo()
    terminal.send("/plan")
    assert "Document saved:" in _output(terminal)


def _assess_by_labels(terminal: Terminal, answers: Mapping[str, tuple[str, ...]]) -> None:
    """A whole assessment, each answer typed as its button's text."""
    terminal.send("/assess")
    for step in terminal.engine.services.steps.asked_for(answers):
        for option_id in answers[step.key]:
            option = step.option(option_id)
            assert option is not None
            terminal.send(option.label.of("en"))
        if step.multi:
            terminal.send("Done ▶")


def _dump(terminal: Terminal) -> str:
    """The whole database as SQL, but when each user was last seen (any line is a sign of
    life, kept for the retention period, and not a change to what the user told us)."""
    with sqlite3.connect(terminal.adviser.store.path) as conn:
        conn.execute("UPDATE users SET last_seen = NULL")
        conn.execute("DELETE FROM unanswered")  # anonymous, for the editors: not the user's state
        dumped = "\n".join(conn.iterdump())
        conn.rollback()
        return dumped


def test_a_whole_assessment_by_numbers_and_labels_saves_chart_and_plan(
    terminal: Terminal, tmp_path: Path
) -> None:
    terminal.send("/assess")
    steps = terminal.engine.services.steps.asked_for(ACTIVE)
    for index, step in enumerate(steps):
        for option_id in ACTIVE[step.key]:
            option = step.option(option_id)
            assert option is not None
            # Alternate: type the button's number, or its text.
            if index % 2:
                labels = [c.label for c in terminal.choices]
                terminal.send(str(labels.index(option.label.of("en")) + 1))
            else:
                terminal.send(option.label.of("en"))
        if step.multi:
            terminal.send("Done ▶")
    out = _output(terminal)
    # Named by the day the plan was made, never by the assessment's id in the database.
    [chart] = (tmp_path / "charts").glob("anna-chart-*.png")
    [plan] = (tmp_path / "documents").glob("anna-plan-*.md")
    assert re.fullmatch(r"anna-chart-\d{4}-\d\d-\d\d\.png", chart.name)
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert plan.read_text(encoding="utf-8").startswith("# ")
    assert f"Chart saved: {chart}" in out
    assert f"Document saved: {plan}" in out
    assert "Start with these" in out


# --- the real command ---------------------------------------------------------------------------


def _chat_command(db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "bot", "chat", "--db", str(db), *extra]


def test_chat_runs_a_script_non_interactively(tmp_path: Path) -> None:
    script = "/start\n1\nhow do I choose a channel for a small cafe\n/help\n\n/nonsense\n"
    done = subprocess.run(
        _chat_command(tmp_path / "a.sqlite3", "--lang", "fi", "--user", "kahvila_1"),
        input=script,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=WAIT_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Kysymys 1/" in done.stdout
    assert "[1] " in done.stdout
    assert "Viesti oli tyhjä" in done.stdout
    assert "En tunne komentoa /nonsense" in done.stdout


def test_input_that_is_not_utf8_does_not_stop_the_chat(tmp_path: Path) -> None:
    done = subprocess.run(
        _chat_command(tmp_path / "a.sqlite3"),
        input=b"\xff\xfe\x00 hello\n/help\n",
        capture_output=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},  # as in a UTF-8 locale
        timeout=WAIT_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"/mydata" in done.stdout  # the line after it was handled too


def test_a_file_that_is_not_a_database_gets_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("shopping list: milk, eggs, coffee " * 20)
    done = subprocess.run(
        _chat_command(bad),
        input="/start\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=WAIT_SECONDS,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert str(bad) in done.stderr
    assert bad.read_text().startswith("shopping list")  # left as it was


def test_adviser_db_is_honoured_and_users_are_kept_apart(tmp_path: Path) -> None:
    env = {**os.environ, "ADVISER_DB": str(tmp_path / "shared.sqlite3")}
    for user in ("anna", "bo"):
        subprocess.run(
            [sys.executable, "-m", "bot", "chat", "--user", user],
            input="/language fi\n",
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            env=env,
            timeout=WAIT_SECONDS,
            check=True,
        )
    with sqlite3.connect(tmp_path / "shared.sqlite3") as conn:
        keys = sorted(r[0] for r in conn.execute("SELECT key FROM users"))
    assert keys == ["cli:anna", "cli:bo"]


@pytest.mark.parametrize("name", ["", "bad name", "x;drop", "ä", "a" * 65])
def test_a_bad_user_name_is_bad_usage(tmp_path: Path, name: str) -> None:
    done = subprocess.run(
        _chat_command(tmp_path / "a.sqlite3", "--user", name),
        input="",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=WAIT_SECONDS,
        check=False,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--user" in done.stderr


class Running:
    """A chat process fed one line at a time, its output collected as it comes."""

    def __init__(self, db: Path) -> None:
        self.proc = subprocess.Popen(
            _chat_command(db, "--user", "killme"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=PROJECT_ROOT,
        )
        self._out = bytearray()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        pipe = self.proc.stdout.fileno()
        for chunk in iter(lambda: os.read(pipe, 4096), b""):
            with self._lock:
                self._out += chunk

    def output(self) -> str:
        with self._lock:
            return self._out.decode("utf-8", "replace")

    def wait_for(self, text: str, after: int = 0) -> int:
        """Wait until `text` appears in the output after position `after`; its end position."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            found = self.output().find(text, after)
            if found >= 0:
                return found + len(text)
            time.sleep(0.02)
        raise AssertionError(f"{text!r} never came; output:\n{self.output()[after:]}")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(WAIT_SECONDS)
        assert self.proc.returncode == -signal.SIGKILL


@pytest.fixture
def running(tmp_path: Path) -> Iterator[list[Running]]:
    started: list[Running] = []
    yield started
    for process in started:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait()


def test_killed_mid_assessment_the_next_run_resumes_at_the_same_question(
    tmp_path: Path, running: list[Running]
) -> None:
    db = tmp_path / "adviser.sqlite3"

    first = Running(db)
    running.append(first)
    first.send("/assess")
    at = first.wait_for("Question 1/")
    total = int(first.output()[at:].split()[0])
    first.send("2–9 people")
    at = first.wait_for("Question 2/", at)
    first.send("Mostly consumers")
    at = first.wait_for("Question 3/", at)
    first.send("No confidential client data")
    at = first.wait_for("Question 4/", at)
    first.send("Facebook")  # a multi-choice selection in progress ...
    first.wait_for("✓ Facebook", at)
    first.kill()  # ... killed before "Done"

    second = Running(db)
    running.append(second)
    at = second.wait_for(f"Question 4/{total}")  # shown at once, the selection kept
    second.wait_for("✓ Facebook", at)
    second.send("Instagram")
    at = second.wait_for("✓ Instagram", at)
    second.send("Done ▶")
    # On Facebook and Instagram with staff: every question applies, so the total stays.
    at = second.wait_for(f"Question 5/{total}", at)
    second.send("Honestly, I'm not sure yet")
    at = second.wait_for(f"Question 6/{total}", at)
    second.kill()

    third = Running(db)
    running.append(third)
    third.wait_for(f"Question 6/{total}")
    third.send("/cancel")
    third.wait_for("Paused at question 6/")
    third.proc.stdin.close()  # type: ignore[union-attr]
    assert third.proc.wait(WAIT_SECONDS) == 0

    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT step, choices FROM answers WHERE final = 1").fetchall())
        assessments = conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
    assert rows == {
        "size": "micro",
        "customers": "consumers",
        "confidential": "no",
        "channels": "facebook instagram",
        "pu_goal": "unsure",
    }
    assert assessments == 1


# --- as new users tried it ----------------------------------------------------------------------


def test_an_assessment_option_keeps_its_number_after_a_side_question(terminal: Terminal) -> None:
    """A question asked mid-assessment is answered with buttons of its own; the number shown for
    an option before must still press that option, not a topic."""
    terminal.send("/assess")
    options_before = list(terminal.choices)
    terminal.send("which channel should a cafe start with?")
    assert [c.token for c in terminal.choices[: len(options_before)]] == [
        c.token for c in options_before
    ]
    assert terminal.event_for("1") == Press(options_before[0].token)
    assert f"[1] {options_before[0].label}" in _output(terminal).rsplit("which", 1)[-1]


def test_a_finnish_first_message_is_answered_in_finnish(terminal: Terminal) -> None:
    """Started without --lang, a user greeting in Finnish gets the Finnish welcome and keeps it."""
    replies = terminal.send("moi")
    assert [r.lang for r in replies if isinstance(r, Message)] == ["fi"]
    assert "Aloita itsearviointi" in _output(terminal)
    assert terminal.engine.language_of(terminal.user) == "fi"


def test_a_finnish_question_first_is_answered_in_finnish(terminal: Terminal) -> None:
    replies = terminal.send("kannattaako kahvilan olla facebookissa")
    answer = next(r for r in replies if isinstance(r, Message))
    assert answer.lang == "fi" and answer.template == "answer"
    terminal.send("/help")
    assert terminal.engine.language_of(terminal.user) == "fi"


def test_choosing_finnish_shows_the_menu_in_finnish(terminal: Terminal) -> None:
    terminal.send("/start")
    terminal.send("Suomeksi")
    assert [c.label for c in terminal.choices][:2] == ["Aloita itsearviointi", "Kysy jotain"]


def test_continue_in_words_resumes_a_paused_assessment(terminal: Terminal) -> None:
    terminal.send("/assess")
    first = terminal.choices[0]
    terminal.send("/cancel")
    replies = terminal.send("continue")
    assert [r.template for r in replies if isinstance(r, Message)] == ["question"]
    assert terminal.choices[0].token == first.token
    terminal.send("/cancel")
    terminal.send("/language fi")
    replies = terminal.send("jatketaan")
    assert [r.template for r in replies if isinstance(r, Message)][-1] == "question"


def test_delete_removes_the_files_the_terminal_wrote_and_files_are_private(
    terminal: Terminal, tmp_path: Path
) -> None:
    _assess_by_labels(terminal, ACTIVE)
    terminal.send("/mydata")
    written = sorted(p.name for p in tmp_path.glob("*/anna-*"))
    day = datetime.now(UTC).date().isoformat()
    assert written == [f"anna-chart-{day}.png", "anna-my-data.json", f"anna-plan-{day}.md"]
    for path in [*tmp_path.glob("*/anna-*"), terminal.adviser.store.path]:
        assert path.stat().st_mode & 0o777 == 0o600, path
    for folder in ("charts", "documents"):
        assert (tmp_path / folder).stat().st_mode & 0o777 == 0o700
    terminal.send("/delete")
    terminal.send("Yes, delete everything")
    assert list(tmp_path.glob("*/anna-*")) == []


def test_a_database_that_cannot_be_written_stops_the_chat_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from bot.store import database

    db = tmp_path / "adviser.sqlite3"
    database.Database(db).close()  # made and migrated; from now on it can only be read
    connect = sqlite3.connect

    def read_only(path: object, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened: sqlite3.Connection = connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        return opened

    monkeypatch.setattr(sqlite3, "connect", read_only)
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n"))
    assert main(["chat", "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"cannot use the database {db}" in err, err
