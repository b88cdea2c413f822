"""Where the words come from: Jinja2 templates under bot/templates/<lang>/, in two formats.

One set of templates serves both adapters. The terminal gets plain text; Telegram gets HTML with
autoescaping, so that nothing a user or the knowledge base writes can inject markup. Templates
mark emphasis with filters (`{{ title|bold }}`) that mean <b> in HTML and nothing in plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError
from markupsafe import Markup, escape

from bot import LANGS
from bot.content.problems import Problem, display_path
from bot.engine.events import Message

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def _html_tag(tag: str) -> Callable[[Any], Markup]:
    def wrap(value: Any) -> Markup:
        return Markup(f"<{tag}>{escape(value)}</{tag}>")

    return wrap


def _plain(value: Any) -> str:
    return str(value)


def _environment(directory: Path, html: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    for name, tag in (("bold", "b"), ("italic", "i"), ("code", "code")):
        env.filters[name] = _html_tag(tag) if html else _plain
    return env


class Renderer:
    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self.directory = directory
        self._text = _environment(directory, html=False)
        self._html = _environment(directory, html=True)

    def text(self, message: Message) -> str:
        return self._render(self._text, message)

    def html(self, message: Message) -> str:
        return self._render(self._html, message)

    def _render(self, env: Environment, message: Message) -> str:
        template = env.get_template(f"{message.lang}/{message.template}.j2")
        return template.render(**message.values).strip()

    def problems(self) -> list[Problem]:
        """Every template parses, and each language has the same set of templates."""
        found: list[Problem] = []
        names: dict[str, set[str]] = {}
        for lang in LANGS:
            folder = self.directory / lang
            names[lang] = {p.name for p in folder.glob("*.j2")}
            for path in sorted(folder.glob("*.j2")):
                try:
                    self._text.parse(path.read_text(encoding="utf-8"))
                except TemplateSyntaxError as exc:
                    found.append(
                        Problem(display_path(path), exc.lineno, exc.message or "bad syntax")
                    )
        for lang in LANGS:
            for other in LANGS:
                for missing in sorted(names[other] - names[lang]):
                    path = self.directory / lang / missing
                    found.append(
                        Problem(display_path(path), 1, f"missing: {other} has it, {lang} not")
                    )
        return found
