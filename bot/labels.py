"""Button labels and command descriptions: words kept as data (bot/templates/labels.yaml).

They were if/elif chains in templates, where an unknown name rendered an empty label that
Telegram refuses, found only in front of a user. Here every label is checked when the file is
read: both languages, not empty, short enough, the same {placeholders} in each language. A name
the code asks for that the file lacks is a bug, and fails at once.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot import LANGS, Lang
from bot.content.problems import Problem, display_path
from bot.content.yaml_lines import LineDict, YamlSyntaxError, load_yaml

LABELS_FILE = "labels.yaml"
LONGEST = {"buttons": 40, "commands": 60}  # a phone shows about 30 / 40; Telegram cuts beyond
PLACEHOLDERS = frozenset({"number", "total", "label"})


@dataclass(frozen=True)
class Labels:
    buttons: Mapping[str, Mapping[Lang, str]]
    commands: Mapping[str, Mapping[Lang, str]]

    def button(self, name: str, lang: Lang, **values: object) -> str:
        return self.buttons[name][lang].format(**values)

    def command(self, name: str, lang: Lang) -> str:
        return self.commands[name][lang]


def load_labels(path: Path) -> tuple[Labels, list[Problem]]:
    """The labels, and every problem with them as path:line (none: the labels are usable)."""
    shown = display_path(path)
    problems: list[Problem] = []
    try:
        data = load_yaml(path)
    except OSError as exc:
        return Labels({}, {}), [Problem(shown, 1, f"cannot read the labels: {exc}")]
    except YamlSyntaxError as exc:
        return Labels({}, {}), [Problem(shown, exc.line, exc.message)]
    sections: dict[str, dict[str, dict[Lang, str]]] = {}
    for section in LONGEST:
        entries = data.get(section) if isinstance(data, LineDict) else None
        if not isinstance(entries, LineDict):
            problems.append(Problem(shown, 1, f"'{section}:' is missing"))
            continue
        sections[section] = {}
        for name, words in entries.items():
            line = entries.key_lines.get(name, entries.line)
            checked = _checked(words, section, problems, shown, line, str(name))
            if checked is not None:
                sections[section][str(name)] = checked
    return Labels(sections.get("buttons", {}), sections.get("commands", {})), problems


def _checked(
    words: object, section: str, problems: list[Problem], shown: str, line: int, name: str
) -> dict[Lang, str] | None:
    if not isinstance(words, dict):
        problems.append(Problem(shown, line, f"{name}: give en: and fi:"))
        return None
    found: dict[Lang, str] = {}
    fields: dict[Lang, set[str]] = {}
    for lang in LANGS:
        text = words.get(lang)
        at = words.key_lines.get(lang, line) if isinstance(words, LineDict) else line
        if not isinstance(text, str) or not text.strip():
            problems.append(Problem(shown, at, f"{name}: no {lang} text"))
            return None
        try:
            fields[lang] = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError as exc:
            problems.append(Problem(shown, at, f"{name}.{lang}: {exc}"))
            return None
        unknown = fields[lang] - PLACEHOLDERS
        if unknown:
            problems.append(Problem(shown, at, f"{name}.{lang}: unknown {sorted(unknown)}"))
            return None
        sample = text.format(number=12, total=27, label="Facebook")
        if len(sample) > LONGEST[section]:
            problems.append(
                Problem(shown, at, f"{name}.{lang}: over {LONGEST[section]} characters")
            )
        found[lang] = text
    if fields["en"] != fields["fi"]:
        problems.append(Problem(shown, line, f"{name}: en and fi fill in different values"))
    return found
