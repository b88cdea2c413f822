"""The composition root: the one place where the adviser's parts are built and wired together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.answering.answerer import Answerer
from bot.config import Paths
from bot.content.loader import Knowledge, load_knowledge
from bot.content.problems import KnowledgeError
from bot.engine.engine import Engine
from bot.render import Renderer
from bot.store.repository import Store


@dataclass(frozen=True)
class Adviser:
    knowledge: Knowledge
    renderer: Renderer
    store: Store
    engine: Engine

    def close(self) -> None:
        self.store.close()


def build_adviser(db_path: Path, paths: Paths | None = None) -> Adviser:
    """Load the knowledge base and check the templates (KnowledgeError listing every problem if
    either is broken), open the database, wire the engine."""
    paths = paths or Paths.from_env()
    knowledge = load_knowledge(paths.knowledge, paths.seeds)
    renderer = Renderer()
    template_problems = renderer.problems()
    if template_problems:  # a template that fails would fail in front of a user, later
        raise KnowledgeError(template_problems)
    store = Store(db_path)
    engine = Engine(knowledge, Answerer(knowledge), renderer, store)
    return Adviser(knowledge=knowledge, renderer=renderer, store=store, engine=engine)
