"""The terminal adapter (`python -m bot chat`): one message a line in, the replies printed out.

It only translates. A line starting with `/` is a command; a number presses that choice of the
latest buttons shown; a button's own text presses it too; anything else is text. Pictures and
documents are saved next to the database and their paths printed. No token, no network.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot import Lang, without_control
from bot.app import Adviser
from bot.events import (
    Choice,
    Document,
    Event,
    Forgotten,
    Message,
    Photo,
    Press,
    Reply,
    Text,
    UserRef,
    parse_command,
)
from bot.store.files import private_folder, write_private

USER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
KEY_PREFIX = "cli:"  # Telegram's users are "tg:<id>", so the two never collide
ONE_LINE_CHOICES = 100  # choices fitting in this many characters print on one line
_SELECTED_MARK = "✓"  # selected multi-choice options carry it; typing the label alone still works
# The assessment question's options keep the numbers [1]..[n] even when an answer to a side
# question with buttons of its own comes first: the number a user saw for an option the first
# time must press that option the next time too.
NUMBERED_FIRST = "question"
FILE_FOLDERS = ("charts", "documents")  # next to the database
LONGEST_NUMBER = 6  # digits: a longer "number" presses nothing and is not read as one


def user_ref(name: str) -> UserRef:
    if not USER_NAME.match(name):
        raise ValueError(name)
    return UserRef(KEY_PREFIX + name)


def _comparable(label: str) -> str:
    return " ".join(label.replace(_SELECTED_MARK, " ").split()).casefold()


class Terminal:
    def __init__(self, adviser: Adviser, user: UserRef, out: TextIO, files_dir: Path) -> None:
        self.adviser = adviser
        self.engine = adviser.engine
        self.user = user
        self.out = out
        self.files_dir = files_dir
        self.choices: list[Choice] = []  # the latest buttons shown, numbered from 1

    # --- a line in -----------------------------------------------------------------------------

    def event_for(self, line: str) -> Event | Message:
        """The event a line means, or a message the terminal answers itself (a bad number)."""
        command = parse_command(line)
        if command is not None:
            return command[0]
        stripped = line.strip()
        if stripped.isdigit() and stripped.isascii():
            # int() refuses over 4,300 digits; nothing is chosen by a number that long anyway.
            number = int(stripped) if len(stripped) <= LONGEST_NUMBER else 0
            if 1 <= number <= len(self.choices):
                return Press(self.choices[number - 1].token)
            lang: Lang = self.engine.language_of(self.user)
            shown = stripped if len(stripped) <= LONGEST_NUMBER else stripped[:LONGEST_NUMBER] + "…"
            return Message(lang, "out_of_range", {"number": shown, "count": len(self.choices)})
        wanted = _comparable(stripped)
        if wanted:
            for choice in self.choices:
                if _comparable(choice.label) == wanted:
                    return Press(choice.token)
        return Text(line)

    def send(self, line: str) -> list[Reply]:
        """Handle one line and print the replies; returns them (for tests)."""
        event = self.event_for(line)
        replies: list[Reply] = (
            [event] if isinstance(event, Message) else self.engine.handle(self.user, event)
        )
        if replies and all(isinstance(r, Message) and r.notice for r in replies):
            # Only a word about the press (Telegram shows it on the button). A terminal has no
            # earlier message to go back to, so the question the user is at comes again.
            replies = [*replies, *self.engine.opening(self.user)]
        self.show(replies)
        return replies

    # --- replies out ---------------------------------------------------------------------------

    def show(self, replies: list[Reply]) -> None:
        with_choices = [r for r in replies if isinstance(r, Message) and r.choices]
        in_order = sorted(with_choices, key=lambda m: m.template != NUMBERED_FIRST)
        first: dict[int, int] = {}
        shown: list[Choice] = []
        for message in in_order:
            first[id(message)] = len(shown) + 1
            shown += [c for row in message.choices for c in row]
        for reply in replies:
            if isinstance(reply, Message):
                self._print(self.adviser.renderer.text(reply))
                self._print_choices(reply, first.get(id(reply), 1))
            elif isinstance(reply, Photo):
                self._save(reply.png, reply.filename, "photo", reply.caption)
            elif isinstance(reply, Document):
                self._save(reply.content, reply.filename, "document", reply.caption)
            elif isinstance(reply, Forgotten):
                self._forget()
        if shown:
            self.choices = shown

    def _print(self, text: str) -> None:
        print(without_control(text), file=self.out)
        print(file=self.out)

    def _print_choices(self, message: Message, first: int) -> None:
        flat = [c for row in message.choices for c in row]
        if not flat:
            return
        numbered = [f"[{first + i}] {c.label}" for i, c in enumerate(flat)]
        one_line = "  ".join(numbered)
        if len(one_line) <= ONE_LINE_CHOICES:
            lines = [one_line]
        else:  # one line a row of buttons, as a phone would show them
            lines, i = [], 0
            for row in message.choices:
                lines.append("  ".join(numbered[i : i + len(row)]))
                i += len(row)
        self._print("\n".join(lines))

    def _files(self) -> list[Path]:
        """Every file this terminal wrote for the user: charts, plans, data exports."""
        name = self.user.key.removeprefix(KEY_PREFIX)
        return [
            path
            for folder in FILE_FOLDERS
            for path in (self.files_dir / folder).glob(f"{name}-*")
            if path.is_file()
        ]

    def _forget(self) -> None:
        """After /delete: the user's files go too, not only their rows."""
        for path in self._files():
            path.unlink(missing_ok=True)

    def _save(self, content: bytes, filename: str, kind: str, caption: Message | None) -> None:
        folder = self.files_dir / FILE_FOLDERS[0 if kind == "photo" else 1]
        name = self.user.key.removeprefix(KEY_PREFIX)
        path = folder / f"{name}-{filename}"
        lang = self.engine.language_of(self.user)
        try:
            private_folder(folder)
            write_private(path, content)
        except OSError:  # a full disk or a read-only folder: the plan itself is already stored
            path.unlink(missing_ok=True)
            values = {"kind": kind, "path": path}
            self._print(self.adviser.renderer.text(Message(lang, "file_not_saved", values)))
            return
        if caption is not None:
            self._print(self.adviser.renderer.text(caption))
        self._print(
            self.adviser.renderer.text(Message(lang, "file_saved", {"kind": kind, "path": path}))
        )

    # --- the loop ------------------------------------------------------------------------------

    def run(self, lines: Iterable[str], prompt: bool = False) -> int:
        self.show(self.engine.opening(self.user))
        if prompt:
            print("> ", end="", file=self.out, flush=True)
        for raw in lines:
            self.send(raw.rstrip("\r\n"))
            if prompt:
                print("> ", end="", file=self.out, flush=True)
            self.out.flush()
        return 0


def chat(adviser: Adviser, name: str, lang: Lang | None, stdin: TextIO = sys.stdin) -> int:
    """Run the chat on standard input until it ends."""
    user = user_ref(name)
    for stream in (stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):  # a stray byte must not end the chat
            stream.reconfigure(errors="replace")
    if lang is not None:
        adviser.engine.set_language(user, lang)
    files_dir = adviser.store.path.resolve().parent
    terminal = Terminal(adviser, user, sys.stdout, files_dir)
    return terminal.run(stdin, prompt=stdin.isatty())
