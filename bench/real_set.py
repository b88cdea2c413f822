"""Build the real-question set from what was gathered and the two independent labellings.

    python -m bench.real_set [--later NEW_A NEW_B] RAW LABELS_A LABELS_B [RAW LABELS_A LABELS_B ...]

The batches as gathered and labelled are kept in tests/data/real_sources/ (raw_*.yaml and
labels/), apart from the case files beside them, so that a tool reading every case file there
does not mistake them for cases.

RAW is a file of questions real people asked in public (`cases:` with lang, q, source, kind);
LABELS_A and LABELS_B label its questions by number (`labels:` with n, topic, accept), each made
by a different labeller from the topic list (docs/answer-style.md) and the topic answers alone. Writes tests/data/real.yaml:
under `cases` every question whose labellings agree (both say no topic answers it, or each one's
topic is among the other's acceptable ones), with both labellings and its half; under
`disagreed` the others, kept but never scored. The half is fixed by the question's text (its hash), so adding a batch later
never moves a question from one half to the other (the hash is of the text as gathered, line
breaks and all, so joining a post's paragraphs into one line moved none either): "calibration" may be tuned on and its misses
read; "untuned" never, and its misses are never printed.

Topics added after a batch was labelled are labelled in a later pass (`--later`): two labellers
each say, for every question of every batch (`id: "raw_en:12"`), which of the new topics answers
it, or null, from the new topics' titles and answers alone. Where both name the same new topic, a
question no topic answered now has it, and a question with a topic accepts it too; where only one
does, a question no topic answered is no longer agreed on (it moves to `disagreed`).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "real.yaml"


def one_line(question: str) -> str:
    """A question as one message line: a post's paragraphs joined. Every reader of the set, the
    shared scorer too, gives the adviser one question a line (`ask --batch`)."""
    return " ".join(question.split())


def half(question: str) -> str:
    digest = hashlib.sha256(question.encode("utf-8")).digest()
    return "calibration" if digest[0] % 2 == 0 else "untuned"


def _label_set(label: dict[str, Any]) -> set[str | None]:
    if label.get("topic") is None:
        return {None}
    return {label["topic"], *(label.get("accept") or [])}


def agreed(a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, str | None, list[str]]:
    """Whether two labellings agree, and then the topic and the other acceptable ids."""
    if a.get("topic") is None and b.get("topic") is None:
        return True, None, []
    if a.get("topic") is None or b.get("topic") is None:
        return False, None, []
    set_a, set_b = _label_set(a), _label_set(b)
    if a["topic"] in set_b:
        topic = a["topic"]
    elif b["topic"] in set_a:
        topic = b["topic"]
    else:
        return False, None, []
    accept = sorted(t for t in (set_a & set_b) - {topic} if t is not None)
    return True, topic, accept


def _labels(path: Path, key: str) -> dict[Any, dict[str, Any]]:
    return {x[key]: x for x in yaml.safe_load(path.read_text(encoding="utf-8"))["labels"]}


def relabelled(case: dict[str, Any], a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The case after the later pass for topics added since it was labelled."""
    new_a, new_b = a.get("topic"), b.get("topic")
    if new_a is None and new_b is None:
        return case
    case = {**case, "later": [{"topic": new_a}, {"topic": new_b}]}
    if not case["agreed"]:  # never scored: the first labellings already disagree
        return case
    if new_a == new_b:
        if case["topic"] is None:
            return {**case, "topic": new_a}
        return {**case, "accept": sorted({*case["accept"], new_a} - {case["topic"]})}
    if case["topic"] is None:  # one labeller says a new topic answers it, the other none does
        return {**case, "agreed": False}
    return case


def build(
    batches: list[tuple[Path, Path, Path]], later: tuple[Path, Path] | None = None
) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    later_a, later_b = (_labels(later[0], "id"), _labels(later[1], "id")) if later else ({}, {})
    if later_a.keys() != later_b.keys():
        raise ValueError("the two later labellings must label the same questions")
    # Batches labelled after the new topics existed had them on their list already; every
    # question of a batch the later pass covers must be in it.
    relabelled_batches = {key.rsplit(":", 1)[0] for key in later_a}
    for raw_path, a_path, b_path in batches:
        raw = yaml.safe_load(raw_path.read_text(encoding="utf-8"))["cases"]
        labels_a, labels_b = _labels(a_path, "n"), _labels(b_path, "n")
        for n, case in enumerate(raw, start=1):
            a, b = labels_a[n], labels_b[n]
            ok, topic, accept = agreed(a, b)
            built = {
                "lang": case["lang"],
                "q": one_line(case["q"]),
                "source": case["source"],
                "kind": case["kind"],
                "labels": [
                    {"topic": a.get("topic"), "accept": a.get("accept") or []},
                    {"topic": b.get("topic"), "accept": b.get("accept") or []},
                ],
                "agreed": ok,
                "topic": topic,
                "accept": accept,
                "half": half(case["q"]),
            }
            key = f"{raw_path.stem}:{n}"
            if raw_path.stem in relabelled_batches:
                built = relabelled(built, later_a[key], later_b[key])
            cases.append(built)
    return cases


HEADER = """\
# Questions real people asked in public, in their own words, with where each was asked.
# Each was labelled twice, independently, from the topic list (docs/answer-style.md) and the topic answers alone (`labels`);
# `cases` are those whose two labellings agree, with `topic` (null: no topic answers it) and
# `accept` (other ids both labellings accept); `disagreed` are kept apart and never scored. `half: calibration` may be tuned on;
# `half: untuned` never is, and its misses are never printed. `later`: where either labeller of the later
# pass (for topics added after the first labelling) named a new topic, both of their labels. Built by bench/real_set.py.
"""


def main(argv: list[str]) -> int:
    later = None
    if argv[:1] == ["--later"] and len(argv) >= 3:
        later, argv = (Path(argv[1]), Path(argv[2])), argv[3:]
    if not argv or len(argv) % 3:
        print(__doc__, file=sys.stderr)
        return 2
    paths = [Path(p) for p in argv]
    batches = [(paths[i], paths[i + 1], paths[i + 2]) for i in range(0, len(paths), 3)]
    cases = build(batches, later)
    body = yaml.safe_dump(
        {
            "cases": [c for c in cases if c["agreed"]],
            "disagreed": [c for c in cases if not c["agreed"]],
        },
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    OUT.write_text(HEADER + body, encoding="utf-8")
    kept = [c for c in cases if c["agreed"]]
    print(f"{len(cases)} questions, {len(kept)} with agreeing labels -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
