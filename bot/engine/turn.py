"""One event being handled: who, in which language, and the open transaction to read and write.

The feature modules (commands, the assessment flow, results) take a Turn and return replies;
replies that are slow to make (the chart) are deferred until after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot import Lang
from bot.answering.answerer import Answerer
from bot.content.loader import Knowledge
from bot.engine.buttons import Button, Buttons
from bot.engine.steps import Steps
from bot.events import Choice, Message, Reply, UserRef
from bot.render import Renderer
from bot.store.repository import AssessmentRow, Repository

# A reply now, or one made after the commit (so that the write lock is not held while drawing).
SlowReply = Callable[[], list[Reply]]
Replies = list[Reply | SlowReply]


def in_place(out: Replies) -> Replies:
    """Show the first message in place of the one whose button was pressed (Telegram edits it),
    so that a chat does not fill up with menus whose buttons no longer mean anything."""
    for position, item in enumerate(out):
        if isinstance(item, Message):
            return [*out[:position], replace(item, replaces_pressed=True), *out[position + 1 :]]
    return out


def language_from_hint(hint: str | None) -> Lang:
    """Finnish for a Finnish client (Telegram's language_code "fi", "fi-FI"), English otherwise."""
    return "fi" if hint and hint.lower().split("-")[0] == "fi" else "en"


@dataclass(frozen=True)
class Services:
    """What every turn may use; built once by the composition root."""

    knowledge: Knowledge
    answerer: Answerer
    renderer: Renderer
    steps: Steps
    buttons: Buttons

    def label(self, lang: Lang, name: str, **values: Any) -> str:
        """A button label from bot/templates/labels.yaml."""
        return self.renderer.labels.button(name, lang, **values)


class Turn:
    def __init__(self, services: Services, repo: Repository, user: UserRef) -> None:
        self.services = services
        self.repo = repo
        self.user = user
        stored = repo.user(user.key)
        self.lang: Lang = stored.language if stored else language_from_hint(user.language_hint)
        # False until the user's language is stored (chosen, or read from their first words).
        self.language_known = stored is not None

    @property
    def key(self) -> str:
        return self.user.key

    def ensure_user(self) -> None:
        """Store the user; done only when something about them is worth keeping."""
        self.repo.ensure_user(self.key, self.lang)

    def current(self) -> AssessmentRow | None:
        """The assessment in progress, read when asked: one indexed row, and never out of date
        after a step of this turn changed it."""
        return self.repo.current_assessment(self.key)

    def use_language(self, lang: Lang) -> None:
        """Store the user's language and speak it from here on, in this turn too."""
        self.repo.set_language(self.key, lang)
        self.lang = lang
        self.language_known = True

    def message(
        self, template: str, /, *, choices: tuple[tuple[Choice, ...], ...] = (), **values: Any
    ) -> Message:
        return Message(self.lang, template, values, choices)

    def notice(self, template: str, /, **values: Any) -> Message:
        """A short word about the button just pressed (see Message.notice)."""
        return Message(self.lang, template, values, notice=True)

    def label(self, name: str, **values: Any) -> str:
        return self.services.label(self.lang, name, **values)

    def token(self, button: Button) -> str:
        return self.services.buttons.token(self.key, button)

    def choice_labelled(self, label: str, button: Button) -> Choice:
        """A button with a label from the content (an option), signed for this user."""
        return Choice(label, self.token(button))

    def choice(self, name: str, button: Button, **values: Any) -> Choice:
        """A button whose label is the label `name` and whose token is signed for this user."""
        return Choice(self.label(name, **values), self.token(button))
