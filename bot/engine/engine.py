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
from datetime import datetime, timedelta

from bot import Lang
from bot.answering.answerer import Answerer
from bot.content.loader import Knowledge
from bot.engine import assessing, commands, conversation, followup, results, waiting
from bot.engine.buttons import (
    AnswerButton,
    BackButton,
    Buttons,
    CheckinAnswerButton,
    CheckinOfferButton,
    CheckinPickButton,
    DeleteButton,
    DoneButton,
    KeepRestButton,
    LanguageButton,
    MenuButton,
    PauseButton,
    RestartButton,
    ResumeButton,
    StartButton,
    TopicButton,
    WholePlanButton,
)
from bot.engine.steps import Steps
from bot.engine.turn import Replies, Services, Turn, language_from_hint
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
from bot.store.database import now
from bot.store.repository import CheckinRow, Store

log = logging.getLogger(__name__)

DUE_AT_ONCE = 10  # check-ins shown to one user at the start of a chat, at most


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
        """What an adapter shows when a user comes back: a check-in that fell due (claimed, so
        it is shown once), and the question waiting for them, if any. The terminal calls it on
        start, since its screen has no history."""
        with self.store.transaction() as repo:
            turn = Turn(self.services, repo, user)
            due = repo.claim_due(now(), DUE_AT_ONCE, user_key=user.key)
            for checkin in due:  # on the screen now, in this turn
                repo.mark_delivered(checkin.id)
            out: Replies = [followup.checkin_message(turn, c) for c in due]
            out += assessing.reshow(turn) if due else waiting.reshow(turn)
        return self.finish(user, out)

    def due_checkins(self, limit: int, prefix: str) -> list[tuple[CheckinRow, Message]]:
        """Claim up to `limit` due check-ins of an adapter's users (keys starting `prefix`) and
        return them with their messages, in one transaction, so two processes never take the
        same one. The adapter says `delivered` for each once Telegram has accepted it; one it
        never confirms (the process stopped) is claimed again after the lease."""
        with self.store.transaction() as repo:
            due = repo.claim_due(now(), limit, prefix=prefix)
            return [
                (c, followup.checkin_message(Turn(self.services, repo, UserRef(c.user_key)), c))
                for c in due
            ]

    def delivered(self, checkin: CheckinRow) -> None:
        with self.store.transaction() as repo:
            repo.mark_delivered(checkin.id)

    def undelivered(self, checkin: CheckinRow) -> None:
        """Telegram would not deliver it (the user blocked the bot): it waits for their return."""
        with self.store.transaction() as repo:
            repo.unclaim(checkin.id)
            repo.set_blocked(checkin.user_key, True)

    def purge_inactive(self, retention: timedelta) -> int:
        """Remove the users silent for longer than `retention`; how many were removed."""
        cutoff = (datetime.fromisoformat(now()) - retention).isoformat()
        with self.store.transaction() as repo:
            removed = repo.purge_inactive(cutoff)
        if removed:
            self.store.wipe_traces()
            log.info("removed %d users inactive for %d days", removed, retention.days)
        return removed

    def set_blocked(self, user: UserRef, blocked: bool) -> None:
        """The user blocked the bot, or let it in again (Telegram's my_chat_member)."""
        with self.store.transaction() as repo:
            repo.set_blocked(user.key, blocked)

    def handle(self, user: UserRef, event: Event) -> list[Reply]:
        return self.finish(user, self.decide(user, event))

    def decide(self, user: UserRef, event: Event, *, once: str | None = None) -> Replies:
        """Handle the event up to the commit; replies that are slow to make stay callables.

        `once`: the adapter's key for this delivery (Telegram's update id). It is recorded in the
        same transaction as the event's effect, so the same delivery again does nothing at all.
        """
        try:
            with self.store.transaction() as repo:
                if once is not None and not repo.first_delivery(once):
                    log.info("a redelivered update was skipped")
                    return []
                repo.seen(user.key)  # whoever writes has not blocked us, and is not inactive
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

    def finish(self, user: UserRef, out: Replies) -> list[Reply]:
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

    def _dispatch(self, turn: Turn, event: Event) -> Replies:
        if isinstance(event, Command):
            return commands.on_command(turn, event.name, event.args)
        if isinstance(event, Text):
            return conversation.on_text(turn, event.text)
        if isinstance(event, Press):
            return self._press(turn, event.token)
        if isinstance(event, Unsupported):
            return conversation.on_unsupported(turn, event.kind)
        raise TypeError(f"not an event: {event!r}")

    def _press(self, turn: Turn, token: str) -> Replies:
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
            case StartButton():
                return assessing.on_start(turn, button)
            case KeepRestButton():
                return assessing.on_keep_rest(turn, button)
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
            case CheckinOfferButton():
                return followup.on_offer(turn, button)
            case CheckinAnswerButton():
                return followup.on_answer(turn, button)
            case CheckinPickButton():
                return followup.on_pick(turn, button)
            case None:
                return assessing.stale(turn)  # forged or garbled: treated like an old button
