"""The report on disk: index.html with its PNG charts beside it, and every table as CSV.

The page is a Jinja2 template (bot/templates/report/index.html.j2) with autoescaping: the
questions people could not get answered are their own words, shown as text, never as markup.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.reporting.figures import Figures
from bot.store.files import private_folder, write_private

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "report"


def write_report(figures: Figures, out: Path) -> list[Path]:
    """Write the page, its charts and its tables into `out`; the files written."""
    private_folder(out)
    written = [
        _csv(out / "funnel.csv", ("stage", "users"), figures.funnel),
        _csv(out / "drop_off.csv", ("question number", "question", "stopped there"),
             figures.drop_off),
        _csv(out / "scores_by_size.csv", *_score_table(figures.by_size)),
        _csv(out / "scores_by_customers.csv", *_score_table(figures.by_customers)),
        _csv(out / "weakest.csv", ("dimension", "firms"), figures.weakest),
        _csv(out / "effects.csv", *_survey_table(figures)),
        _csv(out / "unanswered.csv", ("language", "question", "times"),
             [(lang, q, n) for lang, rows in figures.unanswered.items() for q, n in rows]),
        _bar_chart(out / "funnel.png", "From first word to re-assessment", figures.funnel),
        _bar_chart(out / "weakest.png", "The weakest dimension, firms", figures.weakest),
    ]  # fmt: skip
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined
    )
    page = env.get_template("index.html.j2").render(f=figures)
    index = out / "index.html"
    write_private(index, page.encode("utf-8"))
    return [index, *written]


def _csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    write_private(path, text.getvalue().encode("utf-8"))
    return path


def _score_table(
    groups: list[tuple[str, int, dict[str, float]]],
) -> tuple[Sequence[str], list[Sequence[object]]]:
    dimensions = sorted({d for _, _, means in groups for d in means})
    rows: list[Sequence[object]] = [
        [group, firms, *(means.get(d, "") for d in dimensions)] for group, firms, means in groups
    ]
    return ("group", "firms", *dimensions), rows


def _survey_table(figures: Figures) -> tuple[Sequence[str], list[Sequence[object]]]:
    """One row an answer: the questions have answers of their own."""
    rows: list[Sequence[object]] = [
        [question, answer, n] for question, counts in figures.survey for answer, n in counts.items()
    ]
    return ("question", "answer", "firms"), rows


def _bar_chart(path: Path, title: str, rows: Sequence[tuple[str, int]]) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 0.6 * max(len(rows), 1) + 1.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [label for label, _ in rows][::-1]
    values = [value for _, value in rows][::-1]
    axes.barh(labels, values, color="#2a7ab0")
    for y, value in enumerate(values):
        axes.text(value, y, f" {value}", va="center")
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    write_private(path, buffer.getvalue())
    return path
