"""The operator's report: `python -m bot report --out DIR` writes a page, its charts and its
tables, with no personal data, from a database the adviser really wrote."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.loader import Knowledge
from bot.events import UserRef
from tests.chat_helpers import Chat, make_engine
from tests.companies import ACTIVE, CAFE

SECRET_WORDS = "my-unanswerable-question about the price of fish"


@pytest.fixture
def used(knowledge: Knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database after a few firms: plans, an unfinished assessment, a check-in answered."""
    monkeypatch.setenv("ADVISER_CLOCK", datetime(2027, 3, 1, 9, 0, tzinfo=UTC).isoformat())
    db = tmp_path / "adviser.sqlite3"
    engine = make_engine(knowledge, db)
    for n, answers in enumerate((CAFE, ACTIVE, CAFE)):
        chat = Chat(engine, UserRef(f"tg:{900 + n}", language_hint="en"))
        chat.command("assess")
        chat.answer_all(answers)
        chat.tap(engine.services.label("en", "checkin_yes"))
    chat.say(SECRET_WORDS)
    stopper = Chat(engine, UserRef("tg:999", language_hint="fi"))
    stopper.command("assess")
    stopper.answer(CAFE["size"])  # stops after the first question
    monkeypatch.setenv("ADVISER_CLOCK", datetime(2027, 4, 12, 9, 0, tzinfo=UTC).isoformat())
    chat.come_back()
    followup = knowledge.followup
    chat.tap(followup.status.options[0].label.en)
    for question in followup.survey:
        options = followup.options_of(question)
        if question.several:  # the tools: Facebook and Instagram
            chat.tap(options[0].label.en)
            chat.tap(options[1].label.en)
            chat.tap(engine.services.label("en", "done"))
        elif question.id == "presence":
            chat.tap(options[0].label.en)  # on social media before, and more now
        else:
            chat.tap(options[-1].label.en)  # "can't say yet"
    engine.store.close()
    return db


def test_the_report_is_written_with_no_personal_data(used: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert main(["report", "--out", str(out), "--db", str(used)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert "index.html" in names and "funnel.png" in names and "effects.csv" in names
    with (out / "funnel.csv").open(encoding="utf-8") as f:
        funnel = dict(csv.reader(f))
    assert funnel["users"] == "4" and funnel["got a plan"] == "3"
    assert funnel["said yes to check-ins"] == "3" and funnel["answered a check-in"] == "1"
    with (out / "drop_off.csv").open(encoding="utf-8") as f:
        assert list(csv.reader(f))[1][:2] == ["2", "customers"]  # stopped at question 2
    with (out / "effects.csv").open(encoding="utf-8") as f:
        effects = list(csv.reader(f))
    assert effects[0] == ["question", "answer", "firms"]
    counted = {(q, a): n for q, a, n in effects[1:]}
    tools = "Which of these does your firm use now?"
    assert counted[(tools, "Facebook")] == counted[(tools, "Instagram")] == "1"
    assert counted[(tools, "LinkedIn")] == "0"
    revenue = "How has social media changed your revenue?"
    assert counted[(revenue, "Can't say yet")] == "1" and counted[(revenue, "No change")] == "0"
    # The unanswered question is counted without who asked it; no user key anywhere.
    page = (out / "index.html").read_text(encoding="utf-8")
    assert SECRET_WORDS in page
    # Every chart the page shows is there, a PNG.
    import re

    for src in re.findall(r'<img src="([^"]+)"', page):
        assert (out / src).read_bytes().startswith(b"\x89PNG"), src
    for path in out.iterdir():
        assert b"tg:9" not in path.read_bytes(), path.name


def test_a_missing_database_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--out", str(tmp_path / "r"), "--db", str(tmp_path / "none.db")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no database" in err[0]


def test_the_page_reads_well_in_a_real_browser(used: Path, tmp_path: Path) -> None:
    """Every chart on the page loads in headless Chromium (Debian's `chromium`)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip(
            "chromium is not installed here and tests/install-chromium.sh could not install it"
            " (it needs root and apt-get), so the page was not opened in a browser"
        )
    out = tmp_path / "report"
    assert main(["report", "--out", str(out), "--db", str(used)]) == 0
    # A copy of the page that, once loaded, says on <body> how many of its images loaded.
    probe = out / "probe.html"
    counter = (
        "<script>addEventListener('load', () => document.body.dataset.loaded ="
        " [...document.images].filter(i => i.complete && i.naturalWidth > 0).length)</script>"
    )
    probe.write_text(
        (out / "index.html").read_text(encoding="utf-8").replace("</body>", counter + "</body>"),
        encoding="utf-8",
    )
    # No network here: without these flags Chromium keeps trying Google's hosts.
    quiet = [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", *quiet,
         "--virtual-time-budget=5000", "--dump-dom", f"file://{probe}"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert "From first word to re-assessment" in dom
    assert 'data-loaded="2"' in dom, "not every chart on the page loaded"


def _scores_by_size(knowledge: Knowledge, db: Path, firms: dict[str, int]) -> dict[str, bool]:
    """Write `firms` (size band: how many) as finished plans; which bands show their means."""
    engine = make_engine(knowledge, db)
    profiles = {"micro": CAFE, "small": ACTIVE}
    for band, count in firms.items():
        for n in range(count):
            chat = Chat(engine, UserRef(f"tg:{band}-{n}", language_hint="en"))
            chat.command("assess")
            chat.answer_all(profiles[band])
    engine.store.close()
    import sqlite3

    from bot.reporting.figures import read_figures

    with sqlite3.connect(db) as conn:
        figures = read_figures(conn, knowledge)
    return {group: bool(means) for group, _, means in figures.by_size}


def test_no_group_of_fewer_than_five_firms_shows_its_scores(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    # Two small firms: hidden; the micro band beside them too, or the small firms' means would
    # follow from the totals (the table by customer type gives them) less the micro band's.
    assert _scores_by_size(knowledge, tmp_path / "a.sqlite3", {"micro": 6, "small": 2}) == {
        "micro": False,
        "small": False,
    }
    assert _scores_by_size(knowledge, tmp_path / "b.sqlite3", {"micro": 6, "small": 5}) == {
        "micro": True,
        "small": True,
    }
