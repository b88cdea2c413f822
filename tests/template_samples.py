"""Sample values for every template, as the engine really makes them, for `validate`.

    .venv/bin/python -m tests.template_samples      # rewrite bot/templates/samples.yaml

It drives conversations through the engine (an assessment, questions, the terminal's own
messages, /mydata, /delete ...) and keeps, for each template, the value sets seen with different
keys. `validate` renders every template in both languages with each of them, so an undefined name
or an unknown filter is caught before a user meets it; tests/test_templates.py checks that the
samples still cover every template and every value the engine uses.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.config import Paths
from bot.content.loader import load_knowledge
from bot.events import Message, Press, Reply, UserRef
from bot.render import TEMPLATES_DIR
from tests.chat_helpers import Chat, make_engine
from tests.companies import ACTIVE, CAFE
from tests.profiles import HAIRDRESSER_SOLO

SAMPLES = TEMPLATES_DIR / "samples.yaml"
# Messages these conversations do not reach: made by an adapter (the terminal, Telegram), on a
# failure, or for input the script does not send. (Button labels are data, checked by
# bot/labels.py, not templates.)
NOT_REACHED: dict[str, list[dict[str, Any]]] = {
    "out_of_range": [{"number": "7", "count": 3}, {"number": "7", "count": 0}],
    "file_saved": [{"kind": "photo", "path": "charts/anna-chart-2026-12-01.png"}],
    "file_not_saved": [{"kind": "document", "path": "documents/anna-plan-2026-12-01.md"}],
    "store_busy": [{}],
    "privacy": [{"retention_days": 730}, {"retention_days": 0}],
    # The check-ins fall due weeks later: tests/test_followup.py drives them with the clock.
    "checkin": [{"week": 2, "question": "How is your pilot going?"}],
    "checkin_advice": [
        {"advice": "Make it smaller and start again this week.", "survey": False},
        {"advice": "Keep posting at the pace you set.", "survey": True},
    ],
    "checkin_declined": [{}],
    "checkin_planned": [{"weeks": [2, 6], "first": "2027-03-15"}],
    "survey_question": [
        {
            "question": "How has your revenue?",
            "number": 6,
            "total": 6,
            "several": False,
            "selected": [],
        },
        {
            "question": "Which tools?",
            "number": 2,
            "total": 6,
            "several": True,
            "selected": ["Facebook", "Instagram"],
        },
    ],
    "survey_thanks": [{}],
    "checkin_stopped": [{}],
    "already_answered": [{}],
    # The chart's legend, drawn into the picture when there is an earlier assessment.
    "chart_then": [{"date": "2027-03-01"}],
    "chart_now": [{}],
    "store_locked": [{}],
    "already_selected": [{}],
    "already_unselected": [{}],
    "group_pointer": [{"username": "some_adviser_bot"}],
    "error": [{}],
    "ask_prompt": [{}],
    "expected_button": [{}],
    "no_words": [{}],
    "out_of_scope": [
        {
            "suggestions": ["Facebook for a small firm"],
            "suggestion_count": 1,
        },
        {
            "suggestions": ["Facebook for a small firm", "Instagram for a small firm"],
            "suggestion_count": 2,
        },
        {"suggestions": [], "suggestion_count": 0},
    ],
}


def conversations() -> Iterator[Message]:
    """Every message of a set of conversations that reaches (nearly) every template."""
    knowledge = load_knowledge(Paths.from_env().knowledge, Paths.from_env().seeds)
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(knowledge, Path(folder) / "samples.sqlite3")
        seen: list[Reply] = []
        for lang in ("en", "fi"):
            chat = Chat(engine, UserRef(f"tg:samples-{lang}", language_hint=lang))
            lines: list[tuple[str, str]] = [
                ("command", "start"),
                ("command", "help"),
                ("command", "plan"),
                ("command", "mydata"),
                ("command", "nosuch"),
                ("say", "hi"),
                ("say", "thanks"),
                ("say", "bye"),
                ("say", "how do I start on facebook"),
                ("say", "what about linkedin?"),
                ("say", "how much vat do I pay"),
                ("say", "how do I fix my car"),
                ("say", "time"),
                ("say", "   "),
                ("say", "x" * 1200),
                ("command", "cancel"),
                ("command", "assess"),
            ]
            for kind, text in lines:
                if kind == "command":
                    chat.command(text)
                else:
                    chat.say(text)
                seen += chat.replies

            def tap(name: str, chat: Chat = chat, seen: list[Reply] = seen) -> None:
                """The button in whichever language the chat speaks now."""
                labels = {engine.services.label(lg, name) for lg in ("en", "fi")}
                for choice in reversed(chat.buttons):
                    if choice.label in labels:
                        chat.send(Press(choice.token))
                        seen.extend(chat.replies)
                        return

            chat.command("language", lang)
            seen += chat.replies
            chat.unsupported()
            seen += chat.replies
            chat.say("I don't know")
            seen += chat.replies
            tap("pause")
            chat.command("assess")
            seen += chat.replies
            for choice in list(chat.buttons):
                if choice.label.startswith(("Continue", "Jatka")):
                    chat.send(Press(choice.token))
                    seen += chat.replies
                    break
            chat.send(Press("forged"))
            seen += chat.replies
            for answers in (CAFE, HAIRDRESSER_SOLO, ACTIVE):
                chat.command("assess")
                seen += chat.replies
                tap("start_over")
                tap("afresh")  # after a plan: "start from your earlier answers?"
                while chat.question() is not None:
                    step = chat.current_step()
                    if step.multi:
                        tap("done")  # nothing chosen yet
                    chat.answer(answers[step.key])
                    seen += chat.replies
                tap("whole_plan")
            # Check-ins, the survey, and a re-assessment from the earlier answers that tells
            # what was done since.
            tap("checkin_yes")
            os.environ["ADVISER_CLOCK"] = (datetime.now(UTC) + timedelta(days=43)).isoformat()
            seen += chat.come_back()
            followup = knowledge.followup
            for status in followup.status.options[:2]:
                chat.tap(status.label.of(chat.messages()[-1].lang))
                seen += chat.replies
            for question in followup.survey:
                first = followup.options_of(question)[0]
                chat.tap(first.label.of(chat.messages()[-1].lang))
                seen += chat.replies
                if question.several:
                    tap("done")
            chat.command("assess")
            seen += chat.replies
            tap("from_earlier")
            tap("keep_rest")
            tap("whole_plan")
            del os.environ["ADVISER_CLOCK"]
            for text in ("/plan", "/mydata", "/language fi", "/language en", "/reset"):
                chat.command(text[1:].split()[0], " ".join(text.split()[1:]))
                seen += chat.replies
            chat.command("language")
            seen += chat.replies
            chat.command("delete")
            seen += chat.replies
            tap("delete_no")
            chat.command("delete")
            tap("delete_yes")
            chat.command("delete")
            seen += chat.replies
        engine.store.close()
    for reply in seen:
        if isinstance(reply, Message):
            yield reply
        else:
            caption = getattr(reply, "caption", None)
            if caption is not None:
                yield caption


def plain(value: Any) -> Any:
    """Values as YAML can hold them (paths and tuples as text and lists)."""
    return json.loads(json.dumps(value, default=str))


def _inner(value: Any) -> frozenset[tuple[str, bool]] | None:
    """The shape inside a value such as a plan's "since" (what was told at the check-ins, or
    none), so that each is rendered by validate too."""
    if not isinstance(value, dict):
        return None
    return frozenset((key, inner is None) for key, inner in value.items())


def collect() -> dict[str, list[dict[str, Any]]]:
    samples: dict[str, list[dict[str, Any]]] = {}
    shapes: dict[str, set[frozenset[tuple[str, bool, frozenset[tuple[str, bool]] | None]]]] = {}
    for message in conversations():
        kept = samples.setdefault(message.template, [])
        # A new set of keys, or a key given a value where it was none before (a plan's "since"
        # once there is an earlier assessment): each shape is rendered by validate.
        shape = frozenset(
            (key, value is None, _inner(value)) for key, value in message.values.items()
        )
        seen = shapes.setdefault(message.template, set())
        if shape not in seen:
            seen.add(shape)
            kept.append(plain(dict(message.values)))
    for name, values in NOT_REACHED.items():
        samples.setdefault(name, values)
    # Peer figures need five other firms; the sample conversations have two.
    peers = {
        "group": "size",
        "firms": 12,
        "median": 41,
        "lower": 30,
        "upper": 55,
        "dimensions": [{"name": "Purpose and goals", "own": 30, "median": 45}],
    }
    samples["plan"].append({**samples["plan"][-1], "peers": peers})
    samples["plan_whole"].append({**samples["plan_whole"][-1], "peers": peers})
    samples["plan_document"] = samples["plan"]  # the same values, as a file
    return dict(sorted(samples.items()))


def main() -> None:
    header = "# Written by `python -m tests.template_samples`: sample values for `validate`.\n"
    body = yaml.safe_dump(collect(), allow_unicode=True, sort_keys=True, width=100)
    SAMPLES.write_text(header + body, encoding="utf-8")
    print(f"wrote {SAMPLES}")


if __name__ == "__main__":
    main()
