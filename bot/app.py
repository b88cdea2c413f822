"""The composition root: the one place where the adviser's parts are built and wired together."""

from __future__ import annotations

import gc
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
    keep_for_life()
    return Adviser(knowledge=knowledge, renderer=renderer, store=store, engine=engine)


def keep_for_life() -> None:
    """Take what is loaded so far (the knowledge base and its indexes, which live as long as the
    process) out of the garbage collector's sweeps: a full sweep walked them all and held an
    answer up by 60-80 ms now and then (bench.bench_answering, max with and without)."""
    gc.freeze()
