"""The report's figures, read from the database: counts and distributions, never a user's key.

Every figure is about groups: how many started, where people stop, average scores by size band
and customer type, what the effects survey said, the questions nobody got an answer to.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean

from bot.assessment.peers import MIN_GROUP
from bot.content.loader import Knowledge
from bot.engine.steps import Steps
from bot.store.repository import AnswerRow


@dataclass(frozen=True)
class Figures:
    users: int
    funnel: list[tuple[str, int]]  # stage, how many users reached it
    drop_off: list[tuple[int, str, int]]  # question number, question id, unfinished stopped there
    by_size: list[tuple[str, int, dict[str, float]]]  # size band, firms, mean score a dimension
    by_customers: list[tuple[str, int, dict[str, float]]]
    weakest: list[tuple[str, int]]  # dimension, how many firms have it as their weakest
    survey: list[tuple[str, dict[str, int]]]  # survey question, answer: firms
    unanswered: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # lang: (q, n)


def read_figures(conn: sqlite3.Connection, knowledge: Knowledge) -> Figures:
    conn.row_factory = sqlite3.Row
    steps = Steps(knowledge.assessment)
    users = conn.execute("SELECT count(*) FROM users").fetchone()[0]

    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    funnel = [
        ("users", users),
        ("started an assessment", count("SELECT count(DISTINCT user_key) FROM assessments")),
        ("got a plan", count("SELECT count(DISTINCT a.user_key) FROM plans p JOIN assessments a"
                             " ON a.id = p.assessment_id")),
        ("said yes to check-ins", count("SELECT count(DISTINCT user_key) FROM checkins")),
        ("answered a check-in", count("SELECT count(DISTINCT c.user_key) FROM checkin_answers x"
                                      " JOIN checkins c ON c.id = x.checkin_id")),
        ("assessed again", count("SELECT count(*) FROM (SELECT a.user_key FROM plans p JOIN"
                                 " assessments a ON a.id = p.assessment_id GROUP BY a.user_key"
                                 " HAVING count(*) > 1)")),
    ]  # fmt: skip

    # Where the unfinished stopped: the question each was at.
    stopped: Counter[tuple[int, str]] = Counter()
    unfinished = conn.execute("SELECT id FROM assessments WHERE finished IS NULL").fetchall()
    for row in unfinished:
        answers = _answers(conn, int(row["id"]))
        step = steps.current(answers)
        if step is not None:
            stopped[(steps.number(step, answers)[0], step.key)] += 1
    drop_off = sorted(((n, key, c) for (n, key), c in stopped.items()), key=lambda r: r[0])

    # Each firm once: its latest plan.
    latest = conn.execute(
        "SELECT p.assessment_id, json_extract(p.content, '$.scores') AS scores FROM plans p"
        " JOIN assessments a ON a.id = p.assessment_id WHERE p.assessment_id = ("
        " SELECT max(p2.assessment_id) FROM plans p2 JOIN assessments a2"
        " ON a2.id = p2.assessment_id WHERE a2.user_key = a.user_key)"
    ).fetchall()
    firms: list[tuple[Mapping[str, AnswerRow], dict[str, int]]] = []
    for row in latest:
        answers = _answers(conn, int(row["assessment_id"]))
        scores = {k: v for k, v in json.loads(row["scores"] or "{}").items() if v is not None}
        firms.append((answers, scores))
    names = {d.id: d.name.en for d in knowledge.assessment.dimensions}
    weakest = Counter(
        names.get(min(scores, key=lambda k: scores[k]), "?") for _, scores in firms if scores
    )
    return Figures(
        users=users,
        funnel=funnel,
        drop_off=drop_off,
        by_size=_grouped(firms, "size", names),
        by_customers=_grouped(firms, "customers", names),
        weakest=weakest.most_common(),
        survey=_survey(conn, knowledge),
        unanswered=_unanswered(conn),
    )


def _answers(conn: sqlite3.Connection, assessment_id: int) -> dict[str, AnswerRow]:
    rows = conn.execute(
        "SELECT step, choices, final, answered_at FROM answers WHERE assessment_id = ?",
        (assessment_id,),
    ).fetchall()
    return {
        r["step"]: AnswerRow(r["step"], tuple(r["choices"].split()), bool(r["final"]),
                             r["answered_at"])
        for r in rows
    }  # fmt: skip


def _grouped(
    firms: Sequence[tuple[Mapping[str, AnswerRow], dict[str, int]]],
    question: str,
    names: Mapping[str, str],
) -> list[tuple[str, int, dict[str, float]]]:
    groups: dict[str, list[dict[str, int]]] = {}
    for answers, scores in firms:
        row = answers.get(question)
        groups.setdefault(row.choices[0] if row and row.choices else "not given", []).append(scores)
    # A group of fewer than MIN_GROUP firms is not shown: its means would be a firm's scores.
    # If only one group were hidden, its means would follow from the total (which the other
    # table gives) less the shown ones, so the next smallest is hidden with it.
    hidden = {g for g, members in groups.items() if len(members) < MIN_GROUP}
    shown = sorted((len(m), g) for g, m in groups.items() if g not in hidden)
    if len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    table = []
    for group, members in sorted(groups.items()):
        means = {
            names[d]: round(fmean(s[d] for s in members if d in s), 1)
            for d in names
            if group not in hidden and any(d in s for s in members)
        }
        table.append((group, len(members), means))
    return table


def _survey(conn: sqlite3.Connection, knowledge: Knowledge) -> list[tuple[str, dict[str, int]]]:
    """Each survey question with how many firms gave each answer; in a "choose all that apply"
    question a firm counts once for every option it chose."""
    followup = knowledge.followup
    found = []
    for question in followup.survey:
        options = followup.options_of(question)
        counts = dict.fromkeys((o.id for o in options), 0)
        rows = conn.execute(
            "SELECT answer FROM checkin_answers WHERE question = ?", (question.id,)
        ).fetchall()
        for row in rows:
            for answer in row["answer"].split() if question.several else [row["answer"]]:
                if answer in counts:
                    counts[answer] += 1
        found.append((question.question.en, {o.label.en: counts[o.id] for o in options}))
    return found


def _unanswered(conn: sqlite3.Connection) -> dict[str, list[tuple[str, int]]]:
    """Grouped by the question as written, case and spacing aside; most frequent first."""
    rows = conn.execute(
        "SELECT lang, lower(trim(question)) AS q, count(*) AS n FROM unanswered"
        " GROUP BY lang, q ORDER BY n DESC, q"
    ).fetchall()
    found: dict[str, list[tuple[str, int]]] = {"en": [], "fi": []}
    for r in rows:
        found.setdefault(r["lang"], []).append((r["q"], int(r["n"])))
    return found
