"""Driving the engine as a user would: commands, text, and taps on the buttons last shown.

A test never builds a button token itself: it taps a button by its label, exactly as a person
taps what is on the screen, so the tests exercise the tokens the engine really hands out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.answering.answerer import Answerer
from bot.content.loader import Knowledge
from bot.engine.engine import Engine
from bot.engine.steps import Step
from bot.events import (
    Choice,
    Command,
    Document,
    Event,
    Message,
    Photo,
    Press,
    Reply,
    Text,
    Unsupported,
    UserRef,
)
from bot.render import Renderer
from bot.store.repository import Store

USER_TABLES = ("users", "assessments", "answers", "plans", "checkins", "checkin_answers")


class Chat:
    def __init__(self, engine: Engine, user: UserRef, renderer: Renderer | None = None) -> None:
        self.engine = engine
        self.user = user
        self.renderer = renderer or Renderer()
        self.replies: list[Reply] = []
        # What is on the screen below everything: the latest replies, unless those were only a
        # notice on a pressed button (Telegram shows that on the button; the chat stays as it was).
        self.screen: list[Reply] = []
        self.buttons: list[Choice] = []  # every button shown so far (a chat keeps its history)

    def send(self, event: Event) -> list[Reply]:
        self.replies = self.engine.handle(self.user, event)
        if not all(isinstance(r, Message) and r.notice for r in self.replies):
            self.screen = self.replies
        for message in self.messages():  # every reply must render for Telegram too
            assert self.renderer.html(message)
        self.buttons += [c for m in self.messages() for row in m.choices for c in row]
        return self.replies

    def come_back(self) -> list[Reply]:
        """The user opens the chat again (the terminal's start): what is due, or left waiting."""
        self.replies = self.engine.opening(self.user)
        self.buttons += [c for m in self.messages() for row in m.choices for c in row]
        return self.replies

    def latest_buttons(self) -> list[str]:
        """The labels of the buttons that came with the latest replies."""
        return [c.label for m in self.messages() for row in m.choices for c in row]

    def command(self, name: str, args: str = "") -> list[Reply]:
        return self.send(Command(name, args))

    def say(self, text: str) -> list[Reply]:
        return self.send(Text(text))

    def unsupported(self, kind: str = "sticker") -> list[Reply]:
        return self.send(Unsupported(kind))

    def tap(self, label: str) -> list[Reply]:
        """Tap the newest button with this label (a leading check mark is ignored)."""
        return self.send(Press(self.button(label).token))

    def button(self, label: str) -> Choice:
        for choice in reversed(self.buttons):
            if choice.label.removeprefix("✓ ") == label:
                return choice
        raise AssertionError(f"no button {label!r} among {[c.label for c in self.buttons]}")

    # --- what came back ---------------------------------------------------------------------------

    def messages(self) -> list[Message]:
        return [r for r in self.replies if isinstance(r, Message)]

    def templates(self) -> list[str]:
        return [m.template for m in self.messages()]

    def texts(self) -> list[str]:
        return [self.renderer.text(m) for m in self.messages()]

    def text(self) -> str:
        return "\n\n".join(self.texts())

    def photos(self) -> list[Photo]:
        return [r for r in self.replies if isinstance(r, Photo)]

    def documents(self) -> list[Document]:
        return [r for r in self.replies if isinstance(r, Document)]

    def question(self) -> Message | None:
        """The question at the bottom of the screen, if the latest that is shown is one."""
        found = [m for m in self.screen if isinstance(m, Message) and m.template == "question"]
        return found[-1] if found else None

    def current_step(self) -> Step:
        question = self.question()
        assert question is not None, f"no question among {self.templates()}"
        step = self.engine.services.steps.by_key(str(question.values["step"]))
        assert step is not None
        return step

    # --- whole answers --------------------------------------------------------------------------

    def answer(self, option_ids: Iterable[str]) -> None:
        """Answer the question on screen with these options (tapping Done after a multi)."""
        step = self.current_step()
        lang = self.question().lang  # type: ignore[union-attr]
        for option_id in option_ids:
            option = step.option(option_id)
            assert option is not None, f"{step.key} has no option {option_id}"
            self.tap(option.label.of(lang))
        if step.multi:
            self.tap(self.engine.services.label(lang, "done"))

    def answer_all(self, answers: Mapping[str, tuple[str, ...]]) -> list[str]:
        """Answer question after question as shown, each from `answers`; the step keys seen."""
        seen: list[str] = []
        while self.question() is not None:
            step = self.current_step()
            seen.append(step.key)
            self.answer(answers[step.key])
        return seen


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every user table, to compare before and after an event. Only when the user
    was last seen is left out: any event, a forged press too, is a sign of life (retention)."""
    with sqlite3.connect(db) as conn:
        found = {}
        for table in USER_TABLES:
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            kept = ", ".join(c for c in columns if c != "last_seen")
            found[table] = sorted(conn.execute(f"SELECT {kept} FROM {table}").fetchall())
        return found


def rows_of(db: Path, key: str) -> int:
    """How many rows in the database belong to the user `key`, in any table."""
    with sqlite3.connect(db) as conn:
        return int(
            conn.execute(
                "SELECT (SELECT count(*) FROM users WHERE key = ?)"
                " + (SELECT count(*) FROM assessments WHERE user_key = ?)"
                " + (SELECT count(*) FROM answers WHERE assessment_id IN"
                "    (SELECT id FROM assessments WHERE user_key = ?))"
                " + (SELECT count(*) FROM plans WHERE assessment_id IN"
                "    (SELECT id FROM assessments WHERE user_key = ?))",
                (key, key, key, key),
            ).fetchone()[0]
        )


_answerers: dict[int, Answerer] = {}


def make_engine(knowledge: Knowledge, db: Path) -> Engine:
    """An engine on a fresh database; the answer index is built once per knowledge base."""
    answerer = _answerers.get(id(knowledge))
    if answerer is None:
        answerer = _answerers[id(knowledge)] = Answerer(knowledge)
    return Engine(knowledge, answerer, Renderer(), Store(db))
