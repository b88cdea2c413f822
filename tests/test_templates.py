"""Templates are checked before a user meets them: each compiles and renders with the values the
engine really gives it, in both languages; every button label is there in both, and fits."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from bot.content.problems import display_path
from bot.render import TEMPLATES_DIR, Renderer
from tests.template_samples import collect, conversations


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, copy)
    return copy


def _problems(directory: Path) -> list[str]:
    return [str(p) for p in Renderer(directory).problems()]


def _break(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_the_real_templates_are_sound() -> None:
    assert Renderer().problems() == []


def test_an_undefined_name_is_reported_at_its_line(templates: Path) -> None:
    path = templates / "fi" / "paused.j2"
    line = _break(path, "{{ number }}", "{{ numero }}")
    found = _problems(templates)
    assert any(p.startswith(f"{display_path(path)}:{line}: fails with sample") for p in found)
    assert any("numero" in p for p in found)


def test_an_unknown_filter_is_reported_at_its_line(templates: Path) -> None:
    path = templates / "en" / "answer.j2"
    line = _break(path, "{{ title|bold }}", "{{ title|shout }}")
    found = _problems(templates)
    assert any(p.startswith(f"{display_path(path)}:{line}: ") and "shout" in p for p in found)


def test_a_broken_label_is_reported_at_its_line(templates: Path) -> None:
    path = templates / "labels.yaml"
    shown = display_path(path)
    line = _break(path, 'fi: "Koko suunnitelma"', 'fi: ""')
    assert f"{shown}:{line}: whole_plan: no fi text" in _problems(templates)
    line = _break(path, 'en: "Continue ({number}/{total})"', 'en: "Continue ({number})"')
    found = _problems(templates)
    assert f"{shown}:{line - 1}: continue: en and fi fill in different values" in found, found
    _break(path, 'en: "Start over"', 'en: "' + "Start again from the very beginning" * 2 + '"')
    assert any("start_over.en: over 40 characters" in p for p in _problems(templates))


def test_every_label_the_code_asks_for_is_there() -> None:
    """A label name in the code that labels.yaml lacks would fail in front of a user."""
    import re

    from bot.config import PROJECT_ROOT

    labels = Renderer().labels
    asked = set()
    for path in (PROJECT_ROOT / "bot").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"\.(?:choice|label)\(\s*\"([a-z_]+)\"", text))
    assert asked, "the pattern found no label names: the test would pass for nothing"
    assert asked <= set(labels.buttons), asked - set(labels.buttons)
    from bot.telegram.app import MENU_COMMANDS

    assert set(MENU_COMMANDS) <= set(labels.commands)


def test_the_chat_refuses_to_start_with_a_broken_template(
    templates: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot import app
    from bot.cli import main

    welcome = templates / "en" / "welcome.j2"
    welcome.write_text(welcome.read_text(encoding="utf-8") + "{{ undefined_thing }}\n")
    monkeypatch.setattr(app, "Renderer", lambda: Renderer(templates))
    monkeypatch.setattr(sys, "stdin", io.StringIO("/start\n"))
    assert main(["chat", "--db", str(tmp_path / "db.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert "welcome.j2:" in err and "undefined_thing" in err


def test_the_samples_cover_every_value_the_engine_gives_a_template() -> None:
    """If a template gets a new value, the samples must learn it (python -m
    tests.template_samples), or validate would not render the template as users see it."""
    samples = collect()
    stored = Renderer()._samples([])
    for message in conversations():
        keys = set(message.values)
        assert any(set(s) == keys for s in stored.get(message.template, [])), message.template
    assert set(stored) == set(samples)
