"""The self-assessment's content (knowledge/assessment.yaml) and the checks that guard it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import LANGS
from bot.config import Paths
from bot.content.assessment_models import Question
from bot.content.loader import Knowledge, load_knowledge
from bot.content.problems import KnowledgeError

BRAND_NAMES = {"Facebook", "Instagram", "LinkedIn"}  # the same word in both languages


def test_profile_asks_size_customers_confidentiality_and_channels(knowledge: Knowledge) -> None:
    profile = {q.id: q for q in knowledge.assessment.profile}
    assert [o.id for o in profile["size"].options] == ["solo", "micro", "small", "medium"]
    assert [o.id for o in profile["confidential"].options] == ["no", "yes"]
    assert [o.id for o in profile["customers"].options] == ["consumers", "businesses", "both"]
    channels = profile["channels"]
    assert channels.kind == "multi"
    assert {o.id for o in channels.options} == {
        "facebook",
        "instagram",
        "linkedin",
        "video",
        "internal",
        "none",
    }
    assert [o.id for o in channels.options if o.exclusive] == ["none"]
    assert all(q.dimension is None for q in profile.values())


def test_scored_questions_cover_every_dimension(knowledge: Knowledge) -> None:
    assessment = knowledge.assessment
    assert 12 <= len(assessment.questions) <= 20
    assert 5 <= len(assessment.dimensions) <= 6
    for dimension in assessment.dimensions:
        assert len(assessment.questions_of(dimension.id)) >= 2, dimension.id
    for question in assessment.questions:
        assert question.kind == "single", question.id
        assert 3 <= len(question.options) <= 5, question.id


def test_options_read_from_nothing_in_place_to_well_established(knowledge: Knowledge) -> None:
    """The buttons go from the weakest answer to the strongest, so the scale reads the same way
    on every question, and the lowest and highest answers mean 0 and 100."""
    for question in knowledge.assessment.questions:
        scores = [o.score for o in question.options]
        assert scores == sorted(scores), question.id  # type: ignore[type-var]
        assert scores[0] == 0.0 and scores[-1] == 1.0, question.id
    weights = [o.score for o in knowledge.assessment.importance_options]
    assert weights == sorted(weights)  # type: ignore[type-var]
    assert len(set(weights)) == len(weights)


def _texts(question: Question) -> list[tuple[str, str]]:
    return [(question.text.en, question.text.fi)] + [
        (o.label.en, o.label.fi) for o in question.options
    ]


def test_every_text_is_written_in_both_languages(knowledge: Knowledge) -> None:
    assessment = knowledge.assessment
    pairs = [(assessment.intro.en, assessment.intro.fi)]
    for question in (*assessment.profile, *assessment.questions):
        pairs += _texts(question)
    for dimension in assessment.dimensions:
        pairs += [(dimension.name.en, dimension.name.fi)]
        pairs += [(dimension.importance.en, dimension.importance.fi)]
    pairs += [(o.label.en, o.label.fi) for o in assessment.importance_options]
    for stage in assessment.stages:
        pairs += [(stage.name.en, stage.name.fi), (stage.meaning.en, stage.meaning.fi)]
    untranslated = [en for en, fi in pairs if en == fi and en not in BRAND_NAMES]
    assert untranslated == []
    # Finnish texts use Finnish letters somewhere; a forgotten English copy would not.
    assert sum("ä" in fi or "ö" in fi for _, fi in pairs) > len(pairs) / 2


def test_questions_sound_like_a_person_not_a_form(knowledge: Knowledge) -> None:
    for question in (*knowledge.assessment.profile, *knowledge.assessment.questions):
        for lang in LANGS:
            text = question.text.of(lang)
            assert text.endswith("?"), text  # a question to a person, not a form field
    dimensions = knowledge.assessment.dimensions
    assert all(d.importance.en.startswith("How much") for d in dimensions)
    assert all(d.importance.fi.startswith("Kuinka tärkeää") for d in dimensions)


def test_four_stages_from_getting_started_to_established(knowledge: Knowledge) -> None:
    stages = knowledge.assessment.stages
    assert len(stages) == 4
    assert stages[0].min_score == 0
    assert [s.min_score for s in stages] == sorted({s.min_score for s in stages})
    assert stages[0].name.en == "Getting started" and stages[-1].name.en == "Established"
    for stage in stages:
        for lang in LANGS:
            meaning = stage.meaning.of(lang)
            assert meaning.endswith(".") and meaning.count(". ") == 0, meaning  # one sentence


# --- the loader's checks, on a broken copy of the knowledge base ------------------------------


def _break(path: Path, old: str, new: str) -> int:
    """Replace `old` (which must occur once) by `new`; the line where `new` starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    start = text.index(old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:start].count("\n") + 1


def _problems(paths: Paths) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(paths.knowledge, paths.seeds)
    return [str(p) for p in caught.value.problems]


def test_a_question_in_an_unknown_dimension_is_named_at_its_line(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "assessment.yaml"
    line = _break(
        path, "  - id: pe_change\n    dimension: people", "  - id: pe_change\n    dimension: peeple"
    )
    assert (
        f"knowledge/assessment.yaml:{line + 1}: dimension 'peeple' is not one of the dimensions"
        in _problems(kb_copy)
    )


def test_a_question_id_used_twice_is_reported(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "assessment.yaml"
    line = _break(path, "  - id: pu_shared\n", "  - id: size\n")
    assert f"knowledge/assessment.yaml:{line}: question id 'size' is used twice" in _problems(
        kb_copy
    )


def test_a_dimension_without_questions_and_an_unknown_topic(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "assessment.yaml"
    text = path.read_text(encoding="utf-8")
    # Move both measuring questions to another dimension: "measuring" is left with none.
    path.write_text(text.replace("dimension: measuring", "dimension: rules"), encoding="utf-8")
    line = _break(
        path, "topics: [measuring-results, time-effects]", "topics: [measuring-results, nope]"
    )
    found = _problems(kb_copy)
    assert any(p.endswith("dimension 'measuring' has no questions") for p in found), found
    assert f"knowledge/assessment.yaml:{line}: topic 'nope' is not a topic" in found


def test_stages_out_of_order_are_reported(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "assessment.yaml"
    line = _break(path, "min_score: 80", "min_score: 50")
    assert (
        f"knowledge/assessment.yaml:{line}: stages go in ascending order of min_score"
        in _problems(kb_copy)
    )


def test_a_scored_question_without_scores_is_reported(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "assessment.yaml"
    _break(path, "        score: 0.35\n      - id: roughly", "      - id: roughly")
    found = _problems(kb_copy)
    assert any(
        p.startswith("knowledge/assessment.yaml:") and "needs a score" in p for p in found
    ), found
