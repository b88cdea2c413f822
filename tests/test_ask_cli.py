"""The `ask` command-line contract (docs/interfaces.md): fields, batch order, languages, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.cli import main
from bot.content.loader import Knowledge

FIELDS = {"question", "lang", "topic", "title", "answer", "confidence", "suggestions", "sources"}


def ask_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["ask", "--json", *args]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    row: dict[str, object] = json.loads(out[0])
    return row


def test_json_answer_has_every_field(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    row = ask_json(
        capsys, "--lang", "en", "is", "a", "facebook", "page", "worth", "it", "for", "my", "cafe"
    )
    assert set(row) == FIELDS
    assert row["question"] == "is a facebook page worth it for my cafe"
    assert row["lang"] == "en"
    assert row["topic"] == "facebook"
    assert row["title"] == knowledge.topics["facebook"].en.title
    assert isinstance(row["confidence"], float) and 0.0 <= row["confidence"] <= 1.0
    sources, suggestions = row["sources"], row["suggestions"]
    assert isinstance(sources, list) and isinstance(suggestions, list)
    assert sources and all(isinstance(s, str) for s in sources)
    assert knowledge.topics["facebook"].en.answer.split("\n")[0] in str(row["answer"])
    assert all(s in knowledge.topics for s in suggestions)


def test_out_of_scope_is_null_with_a_polite_answer(capsys: pytest.CaptureFixture[str]) -> None:
    row = ask_json(capsys, "--lang", "en", "what is the best recipe for lasagne")
    assert row["topic"] is None and row["title"] is None and row["sources"] == []
    assert "outside what I can help with" in str(row["answer"])
    assert len(row["suggestions"]) <= 3  # type: ignore[arg-type]


def test_language_is_detected_when_not_given(capsys: pytest.CaptureFixture[str]) -> None:
    assert ask_json(capsys, "kannattaako kahvilan olla facebookissa")["lang"] == "fi"
    assert ask_json(capsys, "should our cafe be on facebook")["lang"] == "en"


def test_finnish_answer_is_in_finnish(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    row = ask_json(capsys, "--lang", "fi", "kannattaako kahvilan olla facebookissa")
    assert row["topic"] == "facebook"
    assert knowledge.topics["facebook"].fi.title == row["title"]
    assert "Lähde:" in str(row["answer"]) or "Lähteet:" in str(row["answer"])


def test_batch_answers_every_line_in_order(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    questions = [
        "should our cafe be on facebook",
        "",
        "how do I bake bread",
        "linkedin for b2b sales",
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(questions) + "\n"))
    assert main(["ask", "--batch", "--json", "--lang", "en"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in rows] == questions
    assert rows[1]["topic"] is None and rows[2]["topic"] is None


def test_plain_output_reads_like_an_answer(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    assert main(["ask", "--lang", "en", "should our cafe be on facebook"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(knowledge.topics["facebook"].en.title)
    assert "Source" in out and "{" not in out


@pytest.mark.parametrize(
    "argv",
    [["ask"], ["ask", "--lang", "sv", "hello"], ["ask", "--batch", "a question"], ["nonsense"], []],
)
def test_bad_usage_exits_2_with_one_line(argv: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *argv], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stdout == ""


def test_a_closed_pipe_and_undecodable_input_end_with_one_line() -> None:
    questions = b"how do I start on facebook\n\xff\xfe broken \x80 bytes\n" * 200
    done = subprocess.run(
        f"{sys.executable} -m bot ask --batch --json | head -c 1",
        shell=True,
        input=questions,
        capture_output=True,
        timeout=120,
    )
    assert done.stdout == b"{"
    assert b"Traceback" not in done.stderr
    assert len(done.stderr.decode().strip().splitlines()) <= 1
    # Undecodable bytes on their own: answered, one line each, exit 0.
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--batch", "--json"],
        input=b"\xff\xfe\n",
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1
