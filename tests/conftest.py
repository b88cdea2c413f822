"""Shared fixtures: the real knowledge base, loaded once, and copies of it to break on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answering.answerer import Answerer
from bot.config import PROJECT_ROOT, Paths
from bot.content.loader import Knowledge, load_knowledge

REAL = Paths(knowledge=PROJECT_ROOT / "knowledge", seeds=PROJECT_ROOT / "seeds")


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge(REAL.knowledge, REAL.seeds)


@pytest.fixture(scope="session")
def answerer(knowledge: Knowledge) -> Answerer:
    return Answerer(knowledge)


@pytest.fixture
def kb_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Paths]:
    """A writable copy of the knowledge base that the commands under test will read."""
    paths = Paths(knowledge=tmp_path / "knowledge", seeds=tmp_path / "seeds")
    shutil.copytree(REAL.knowledge, paths.knowledge)
    shutil.copytree(REAL.seeds, paths.seeds)
    monkeypatch.setenv("ADVISER_KNOWLEDGE", str(paths.knowledge))
    monkeypatch.setenv("ADVISER_SEEDS", str(paths.seeds))
    monkeypatch.chdir(tmp_path)  # problems are printed relative to the working folder
    yield paths
