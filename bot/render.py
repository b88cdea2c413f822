"""Where the words come from: Jinja2 templates under bot/templates/<lang>/, in two formats.

One set of templates serves both adapters. The terminal gets plain text; Telegram gets HTML with
autoescaping, so that nothing a user or the knowledge base writes can inject markup. Templates
mark emphasis with filters (`{{ title|bold }}`) that mean <b> in HTML and nothing in plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError
from markupsafe import Markup, escape

from bot import LANGS
from bot.content.problems import Problem, display_path
from bot.events import Message
from bot.labels import LABELS_FILE, load_labels

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SAMPLES_FILE = "samples.yaml"  # sample values per template (tests/template_samples.py)


def _template_line(exc: BaseException, path: Path) -> int:
    """The template line an error was raised at (Jinja puts template lines in the traceback)."""
    line = 1
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == str(path):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _what(exc: BaseException) -> str:
    return f"fails with sample values: {type(exc).__name__}: {exc}"


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
    env.filters["finnish_date"] = _finnish_date
    return env


def _finnish_date(iso: str) -> str:
    """'2027-03-15' (or a whole ISO timestamp) as Finns write it: '15.3.2027'."""
    return f"{int(iso[8:10])}.{int(iso[5:7])}.{iso[:4]}"


class Renderer:
    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self.directory = directory
        self._text = _environment(directory, html=False)
        self._html = _environment(directory, html=True)
        # Button labels and command descriptions: data beside the templates (bot/labels.py).
        self.labels, self._label_problems = load_labels(directory / LABELS_FILE)

    def text(self, message: Message) -> str:
        return self._render(self._text, message)

    def html(self, message: Message) -> str:
        return self._render(self._html, message)

    def _render(self, env: Environment, message: Message) -> str:
        template = env.get_template(f"{message.lang}/{message.template}.j2")
        return template.render(**message.values).strip()

    def problems(self) -> list[Problem]:
        """Every template compiles (syntax, filters) and renders, as text and as HTML, with the
        sample values the engine really gives it (samples.yaml); each language has the same set of
        templates; the labels are complete (labels.yaml)."""
        found: list[Problem] = list(self._label_problems)
        names: dict[str, set[str]] = {}
        samples = self._samples(found)
        for lang in LANGS:
            folder = self.directory / lang
            names[lang] = {p.name for p in folder.glob("*.j2")}
            for path in sorted(folder.glob("*.j2")):
                found += self._template_problems(path, lang, samples)
        for lang in LANGS:
            for other in LANGS:
                for missing in sorted(names[other] - names[lang]):
                    path = self.directory / lang / missing
                    found.append(
                        Problem(display_path(path), 1, f"missing: {other} has it, {lang} not")
                    )
        return found

    def _samples(self, found: list[Problem]) -> dict[str, list[dict[str, Any]]]:
        path = self.directory / SAMPLES_FILE
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            found.append(Problem(display_path(path), 1, f"cannot read the samples: {exc}"))
            return {}
        return data if isinstance(data, dict) else {}

    def _template_problems(
        self, path: Path, lang: str, samples: dict[str, list[dict[str, Any]]]
    ) -> list[Problem]:
        shown = display_path(path)
        name = path.name.removesuffix(".j2")
        try:
            for env in (self._text, self._html):
                env.get_template(f"{lang}/{path.name}")  # compiles: unknown filters too
        except TemplateSyntaxError as exc:  # TemplateAssertionError (a filter) is one too
            return [Problem(shown, exc.lineno, exc.message or "bad syntax")]
        sets = samples.get(name, [])
        if not sets:
            return [Problem(shown, 1, f"no sample values in {SAMPLES_FILE}: add some")]
        problems: list[Problem] = []
        for values in sets:
            for env in (self._text, self._html):
                try:
                    self._render(env, Message(lang, name, values))  # type: ignore[arg-type]
                except Exception as exc:
                    problems.append(Problem(shown, _template_line(exc, path), _what(exc)))
                    break
        return problems[:1]
