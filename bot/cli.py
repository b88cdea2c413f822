"""The command line: `python -m bot ask | chat | validate | telegram | report` (docs/interfaces.md)."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from bot import LANGS, Lang
from bot.config import Paths
from bot.content.loader import Knowledge, load_knowledge
from bot.content.problems import KnowledgeError

if TYPE_CHECKING:
    from bot.app import Adviser

Command = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Arguments that parse but make no sense together: exit 2 with one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """Bad usage: one line on stderr and exit 2, as the command-line contract says."""
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _explain(exc: KnowledgeError) -> None:
    """Each problem of a broken knowledge base or template, as path:line: message."""
    for problem in exc.problems:
        print(problem, file=sys.stderr)


def load_or_explain(paths: Paths | None = None) -> Knowledge | None:
    """The knowledge base, or None after printing each problem as path:line: message."""
    paths = paths or Paths.from_env()
    try:
        return load_knowledge(paths.knowledge, paths.seeds)
    except KnowledgeError as exc:
        _explain(exc)
        return None


def open_adviser(command: str, db_arg: str | None) -> Adviser | None:
    """The adviser on the database, or None after one line (a bad --db) or the knowledge
    problems on stderr; `chat` and `telegram` fail the same way."""
    import sqlite3

    from bot.app import build_adviser
    from bot.config import database_path
    from bot.store.database import MigrationError

    db = database_path(db_arg)
    try:
        return build_adviser(db)
    except KnowledgeError as exc:
        _explain(exc)
    except (MigrationError, sqlite3.Error, OSError) as exc:
        print(f"some-adviser {command}: cannot use the database {db}: {exc}", file=sys.stderr)
    return None


# --- ask ---------------------------------------------------------------------------------------


def _ask(args: argparse.Namespace) -> int:
    if args.batch and args.question:
        raise UsageError("ask: give questions either as words or with --batch on standard input")
    if args.batch:
        if isinstance(sys.stdin, io.TextIOWrapper):  # a stray byte is one odd question, no more
            sys.stdin.reconfigure(errors="replace")
        questions = sys.stdin.read().splitlines()
    elif args.question:
        questions = [" ".join(args.question)]
    else:
        raise UsageError(
            "ask: give a question, or --batch with one question a line on standard input"
        )
    knowledge = load_or_explain()
    if knowledge is None:
        return 1

    from bot.answering.answerer import Answerer
    from bot.engine.answers import answer_message
    from bot.render import Renderer

    answerer = Answerer(knowledge)
    renderer = Renderer()
    lang: Lang | None = args.lang
    for question in questions:
        answer = answerer.answer(question, lang)
        text = renderer.text(answer_message(knowledge, answer, list_related=not args.json))
        if not args.json:
            print(text, end="\n\n" if len(questions) > 1 else "\n")
            continue
        topic = answer.topic
        row = {
            "question": question,
            "lang": answer.lang,
            "topic": topic.id if topic else None,
            "title": topic.of(answer.lang).title if topic else None,
            "answer": text,
            "confidence": answer.confidence,
            "suggestions": list(answer.suggestions),
            "sources": knowledge.citations(topic, answer.lang) if topic else [],
        }
        print(json.dumps(row, ensure_ascii=False), flush=args.batch)
    return 0


def _add_ask(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("ask", help="answer one question (or a batch) from the knowledge base")
    p.add_argument("question", nargs="*", help="the question; its words are joined")
    p.add_argument("--lang", choices=LANGS, help="en or fi (detected when not given)")
    p.add_argument("--json", action="store_true", help="one JSON object a question, one a line")
    p.add_argument("--batch", action="store_true", help="read one question a line from stdin")
    p.set_defaults(run=_ask)


# --- validate ----------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    from bot.render import Renderer

    paths = Paths.from_env()
    problems: list[str] = []
    knowledge: Knowledge | None = None
    try:
        knowledge = load_knowledge(paths.knowledge, paths.seeds)
    except KnowledgeError as exc:  # printed with the template problems, on stdout: a report
        problems += [str(p) for p in exc.problems]
    problems += [str(p) for p in Renderer().problems()]
    for problem in problems:
        print(problem)
    if problems:
        return 1
    assert knowledge is not None
    print(
        f"ok: {len(knowledge.topics)} topics in English and Finnish, {len(knowledge.seeds)} reports"
    )
    return 0


def _add_validate(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("validate", help="check the whole knowledge base and the templates")
    p.set_defaults(run=_validate)


# --- chat (the terminal adapter) --------------------------------------------------------------


def _chat(args: argparse.Namespace) -> int:
    from bot.terminal import USER_NAME, chat

    if not USER_NAME.match(args.user):
        raise UsageError("chat: --user takes letters, digits, '_' and '-' only (at most 64)")
    adviser = open_adviser("chat", args.db)
    if adviser is None:
        return 1
    from datetime import timedelta

    from bot.config import retention_days

    days = retention_days()
    if days > 0:  # the terminal has no loop of its own: users silent too long go now
        adviser.engine.purge_inactive(timedelta(days=days))
    try:
        return chat(adviser, args.user, args.lang)
    except KeyboardInterrupt:
        return 130  # Ctrl-C: everything said so far is already stored
    finally:
        adviser.close()


def _add_chat(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("chat", help="the whole adviser in the terminal, one message a line")
    p.add_argument("--lang", choices=LANGS, help="en or fi (otherwise the user's stored choice)")
    p.add_argument("--user", default="local", help="a short name: letters, digits, _ and -")
    p.add_argument("--db", help="the SQLite file (default: $ADVISER_DB, else data/adviser.sqlite3)")
    p.set_defaults(run=_chat)


# --- telegram (the Telegram adapter) -----------------------------------------------------------


def _telegram(args: argparse.Namespace) -> int:
    import logging

    # python-telegram-bot 22 is moving time values (a flood limit's retry_after) from numbers to
    # timedelta and warns at each use of the old form; take the new one before it is imported.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    from bot.telegram.settings import SettingsError, TelegramSettings

    try:
        settings = TelegramSettings.from_env()
    except SettingsError as exc:
        raise UsageError(f"telegram: {exc}") from exc
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request's URL at INFO, and the URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    from bot.telegram.redact import hide_token_in_logs

    hide_token_in_logs(settings.token)
    adviser = open_adviser("telegram", args.db)
    if adviser is None:
        return 1
    from telegram.error import InvalidToken, NetworkError

    from bot.telegram.app import run

    # One line a person can act on; the library has logged the details already.
    try:
        run(settings, adviser)
    except InvalidToken:
        print(
            "telegram: Telegram does not accept TELEGRAM_BOT_TOKEN; copy it again from @BotFather",
            file=sys.stderr,
        )
        return 1
    except NetworkError as exc:
        print(
            f"telegram: cannot reach Telegram ({exc.message}); check the network"
            " or TELEGRAM_BASE_URL",
            file=sys.stderr,
        )
        return 1
    finally:
        adviser.close()
    return 0


def _add_telegram(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser(
        "telegram",
        help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN; long polling, or a webhook)",
    )
    p.add_argument("--db", help="the SQLite file (default: $ADVISER_DB, else data/adviser.sqlite3)")
    p.set_defaults(run=_telegram)


# --- report (the operator's) -----------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    import sqlite3
    from pathlib import Path

    from bot.config import database_path
    from bot.reporting.figures import read_figures
    from bot.reporting.write import write_report

    knowledge = load_or_explain()
    if knowledge is None:
        return 1
    db = database_path(args.db)
    if not db.is_file():
        print(f"some-adviser report: no database at {db}", file=sys.stderr)
        return 1
    try:  # read only: the report never changes what it reports on
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            figures = read_figures(conn, knowledge)
    except sqlite3.Error as exc:
        print(f"some-adviser report: cannot read the database {db}: {exc}", file=sys.stderr)
        return 1
    try:
        written = write_report(figures, Path(args.out))
    except OSError as exc:
        print(f"some-adviser report: cannot write into {args.out}: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written[0]} and {len(written) - 1} charts and tables beside it")
    return 0


def _add_report(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("report", help="the operator's report: an HTML page, charts and CSV")
    p.add_argument("--out", required=True, help="the folder to write index.html and the rest into")
    p.add_argument("--db", help="the SQLite file (default: $ADVISER_DB, else data/adviser.sqlite3)")
    p.set_defaults(run=_report)


# --- the parser --------------------------------------------------------------------------------


def _check_environment() -> None:
    """The settings every command reads, checked before anything starts: one line if wrong."""
    from bot import clock
    from bot.config import retention_days

    try:
        clock.now()
        retention_days()
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def build_parser() -> _Parser:
    parser = _Parser(prog="some-adviser", description="SoMe Adviser: social media for small firms")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_ask(sub)
    _add_validate(sub)
    _add_chat(sub)
    _add_telegram(sub)
    _add_report(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Command = args.run
    try:
        _check_environment()
        return run(args)
    except UsageError as exc:
        print(f"some-adviser {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`ask --batch ... | head -1`): stop quietly, as Unix tools do.
        # Standard output is pointed at devnull so that Python's own flush at exit stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print("some-adviser: output closed before the end", file=sys.stderr)
        return 1
