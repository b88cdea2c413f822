"""The dialogue engine: one event in, replies out, all state in the store.

`handle` runs each event in one transaction: read what is needed, decide, write what changed,
commit. Replies that take long to make (the chart) are made after the commit, so the database is
never locked while matplotlib draws. The engine knows nothing of Telegram or terminals.

An adapter that must not block (Telegram's event loop) calls the two halves itself: `decide`
(the transaction; a millisecond or two) where it is, and `finish` (the slow replies, if any) in a
worker thread.
"""

from __future__ import annotations

import logging
import sqlite3

from bot import Lang
from bot.answering.answerer import Answerer
from bot.content.loader import Knowledge
from bot.engine import assessing, commands, conversation, results
from bot.engine.buttons import (
    AnswerButton,
    BackButton,
    Buttons,
    DeleteButton,
    DoneButton,
    LanguageButton,
    MenuButton,
    PauseButton,
    RestartButton,
    ResumeButton,
    TopicButton,
    WholePlanButton,
)
from bot.engine.steps import Steps
from bot.engine.turn import Out, Services, Turn, language_from_hint
from bot.events import (
    Command,
    Event,
    Forgotten,
    Message,
    Press,
    Reply,
    Text,
    Unsupported,
    UserRef,
)
from bot.render import Renderer
from bot.store.repository import Store

log = logging.getLogger(__name__)


class Engine:
    def __init__(
        self, knowledge: Knowledge, answerer: Answerer, renderer: Renderer, store: Store
    ) -> None:
        self.store = store
        self.services = Services(
            knowledge=knowledge,
            answerer=answerer,
            renderer=renderer,
            steps=Steps(knowledge.assessment),
            buttons=Buttons(store.button_key),
        )

    def language_of(self, user: UserRef) -> Lang:
        with self.store.reading() as repo:
            stored = repo.user(user.key)
        return stored.language if stored else language_from_hint(user.language_hint)

    def set_language(self, user: UserRef, lang: Lang) -> None:
        """Set a user's language without a reply (a terminal started with --lang)."""
        with self.store.transaction() as repo:
            repo.set_language(user.key, lang)

    def opening(self, user: UserRef) -> list[Reply]:
        """What an adapter shows when a user comes back: the question waiting for them, if any.

        Changes nothing; the terminal calls it on start, since its screen has no history.
        """
        with self.store.transaction() as repo:
            turn = Turn(self.services, repo, user)
            out = assessing.reshow(turn)
        return self.finish(user, out)

    def handle(self, user: UserRef, event: Event) -> list[Reply]:
        return self.finish(user, self.decide(user, event))

    def decide(self, user: UserRef, event: Event, *, once: str | None = None) -> Out:
        """Handle the event up to the commit; replies that are slow to make stay callables.

        `once`: the adapter's key for this delivery (Telegram's update id). It is recorded in the
        same transaction as the event's effect, so the same delivery again does nothing at all.
        """
        try:
            with self.store.transaction() as repo:
                if once is not None and not repo.first_delivery(once):
                    log.info("a redelivered update was skipped")
                    return []
                turn = Turn(self.services, repo, user)
                return self._dispatch(turn, event)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                log.exception("handling a %s event failed", type(event).__name__)
                return [self._error(user)]
            # Another process held the write lock past the busy timeout: nothing was applied
            # (and the delivery is not recorded, so sending it again works).
            log.warning(
                "the database stayed locked; a %s event was not applied", type(event).__name__
            )
            return [Message(self._language_or_hint(user), "store_locked")]
        except Exception:
            # Never the message text in the log: only what kind of event failed.
            log.exception("handling a %s event failed", type(event).__name__)
            return [self._error(user)]

    def finish(self, user: UserRef, out: Out) -> list[Reply]:
        """Make the deferred replies, now that the transaction is committed. What was decided
        is stored: if one of them fails (a chart), the others still go out, with an apology."""
        replies: list[Reply] = []
        for item in out:
            if not callable(item):
                replies.append(item)
                continue
            try:
                replies.extend(item())
            except Exception:
                log.exception("making a reply failed")
                replies.append(self._error(user))
        if any(isinstance(r, Forgotten) for r in replies):
            self.store.wipe_traces()
        return replies

    def _error(self, user: UserRef) -> Message:
        return Message(self._language_or_hint(user), "error")

    def _language_or_hint(self, user: UserRef) -> Lang:
        try:
            return self.language_of(user)
        except Exception:
            return language_from_hint(user.language_hint)

    def _dispatch(self, turn: Turn, event: Event) -> Out:
        if isinstance(event, Command):
            return commands.on_command(turn, event.name, event.args)
        if isinstance(event, Text):
            return conversation.on_text(turn, event.text)
        if isinstance(event, Press):
            return self._press(turn, event.token)
        if isinstance(event, Unsupported):
            return conversation.on_unsupported(turn, event.kind)
        raise TypeError(f"not an event: {event!r}")

    def _press(self, turn: Turn, token: str) -> Out:
        button = self.services.buttons.read(turn.key, token)
        match button:
            case AnswerButton():
                return assessing.on_answer(turn, button)
            case DoneButton():
                return assessing.on_done(turn, button)
            case BackButton():
                return assessing.on_back(turn, button)
            case PauseButton():
                return assessing.on_pause(turn, button)
            case ResumeButton():
                return assessing.on_resume(turn, button)
            case RestartButton():
                return assessing.on_restart(turn, button)
            case MenuButton():
                return commands.on_menu(turn, button)
            case LanguageButton():
                return commands.on_language(turn, button)
            case DeleteButton():
                return commands.on_delete(turn, button)
            case WholePlanButton():
                return results.on_whole_plan(turn, button)
            case TopicButton():
                return conversation.on_topic(turn, button)
            case None:
                return assessing.stale(turn)  # forged or garbled: treated like an old button
