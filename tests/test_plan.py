"""The pilot-first plan: its promises, how it differs between firms, and how it reads."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from bot import LANGS, Lang
from bot.assessment.planner import Plan, make_plan
from bot.assessment.present import (
    FIRST_STEPS,
    PLAN_DOCUMENT_TEMPLATE,
    PLAN_TEMPLATE,
    WHOLE_PLAN_TEMPLATE,
    plan_values,
)
from bot.assessment.profile import Answers
from bot.assessment.scoring import Result, importance_key, score
from bot.config import Paths
from bot.content.loader import Knowledge, load_knowledge
from bot.content.plan_models import MAX_STEPS, MIN_STEPS
from bot.content.problems import KnowledgeError
from bot.events import Message
from bot.render import Renderer
from tests.companies import ACTIVE, B2B, CAFE, COMPANIES

PHONE_LIMIT = 1200  # the plan message: where the firm stands and its first steps, on a phone
CHAT_LIMIT = 4000  # the whole plan reads as one message (Telegram allows 4,096 characters)


def plan_for(knowledge: Knowledge, answers: Answers) -> tuple[Result, Plan]:
    result = score(knowledge.assessment, answers)
    return result, make_plan(knowledge, answers, result)


def every_question(knowledge: Knowledge, pick: int, **profile: str) -> Answers:
    answers: Answers = {q.id: (q.options[pick].id,) for q in knowledge.assessment.questions}
    return {**answers, **{k: (v,) for k, v in profile.items()}}


EXTREMES = {
    "lowest, importance skipped": (0, {"size": "medium", "customers": "both", "channels": "none"}),
    "highest, micro": (-1, {"size": "micro", "customers": "consumers", "channels": "facebook"}),
    "highest, medium": (-1, {"size": "medium", "customers": "businesses", "channels": "internal"}),
}


def all_plans(knowledge: Knowledge) -> dict[str, Plan]:
    plans = {name: plan_for(knowledge, answers)[1] for name, answers in COMPANIES.items()}
    for name, (pick, profile) in EXTREMES.items():
        plans[name] = plan_for(knowledge, every_question(knowledge, pick, **profile))[1]
    return plans


def test_every_plan_keeps_the_pilot_first_promises(knowledge: Knowledge) -> None:
    for name, plan in all_plans(knowledge).items():
        kinds = [step.kind for step in plan.steps]
        assert MIN_STEPS <= len(kinds) <= MAX_STEPS, name
        assert kinds[0] == "pilot", name  # a small team and one purpose, first
        assert kinds[1] == "measure", name  # measuring from the start
        assert kinds.count("rules") == 1, name
        rules_at = kinds.index("rules")
        assert all(i > rules_at for i, k in enumerate(kinds) if k == "rollout"), name
        topics = [step.topic for step in plan.steps]
        assert len(set(topics)) == len(topics), name


def test_every_step_names_its_topic_and_a_finding_its_report(knowledge: Knowledge) -> None:
    for plan in all_plans(knowledge).values():
        for step in plan.steps:
            assert step.topic in knowledge.topics
            for lang in LANGS:
                assert step.title(lang) and step.why(lang)
                if step.finding is not None:
                    assert step.citations[lang], step.id
            assert step.title("en") != step.title("fi")


def test_the_outline_measures_from_day_one_and_writes_rules_before_opening_up(
    knowledge: Knowledge,
) -> None:
    for name, plan in all_plans(knowledge).items():
        assert [p.day for p in plan.outline] == [30, 60, 90], name
        assert "measure" in plan.outline[0].kinds, name
        flat = [kind for period in plan.outline for kind in period.kinds]
        assert "rules" in flat, name
        if "rollout" in flat:
            assert flat.index("rules") < flat.index("rollout"), name
        for period in plan.outline:
            assert 1 <= len(period.items) <= knowledge.plan.max_items


def test_the_three_companies_get_plans_that_differ_in_substance(knowledge: Knowledge) -> None:
    plans = {name: plan_for(knowledge, answers)[1] for name, answers in COMPANIES.items()}
    for (a, plan_a), (b, plan_b) in itertools.combinations(plans.items(), 2):
        assert plan_a.steps[0].topic != plan_b.steps[0].topic, (a, b)
        assert {s.topic for s in plan_a.steps} != {s.topic for s in plan_b.steps}, (a, b)
        assert [p.items for p in plan_a.outline] != [p.items for p in plan_b.outline], (a, b)


def test_each_company_gets_the_pilot_that_fits_it(knowledge: Knowledge) -> None:
    cafe, b2b, active = (plan_for(knowledge, a)[1] for a in (CAFE, B2B, ACTIVE))
    # The café with no presence starts with one channel where its customers are.
    assert cafe.steps[0].topic == "choosing-channels"
    assert "rollout" not in [s.kind for s in cafe.steps]  # three people need no roll-out
    # The B2B firm restarts its unused internal network with one team, surveys skills first,
    # and opens it to all only after the rules.
    assert b2b.steps[0].topic == "pilot-first"
    assert b2b.steps[1].topic == "teams-rollout"
    assert b2b.steps[-1].kind == "rollout"
    # The firm already active on several channels experiments, and measures time against
    # results; its rules are about who runs which channel and the pitfalls.
    assert active.steps[0].topic == "rapid-experiments"
    assert active.steps[1].topic == "time-effects"
    assert "pitfalls" in [s.topic for s in active.steps]


def test_ranked_steps_follow_gap_times_importance(knowledge: Knowledge) -> None:
    for plan in all_plans(knowledge).values():
        ranked = [s.rank for s in plan.steps[2:] if s.kind != "rollout"]
        assert ranked == sorted(ranked, reverse=True)


def test_what_matters_to_the_firm_changes_the_plan(knowledge: Knowledge) -> None:
    """The same scores, but the internal network does not matter now and customers do."""
    shifted = {
        **B2B,
        importance_key("internal"): ("not_now",),
        importance_key("presence"): ("crucial",),
    }
    before = plan_for(knowledge, B2B)[1]
    after = plan_for(knowledge, shifted)[1]
    assert before.steps[0].topic == "pilot-first"
    assert after.steps[0].topic == "linkedin"
    assert [s.topic for s in after.steps] != [s.topic for s in before.steps]


def test_a_firm_with_nothing_left_to_improve_gets_only_the_three_essentials(
    knowledge: Knowledge,
) -> None:
    plan = plan_for(knowledge, every_question(knowledge, -1, **EXTREMES["highest, micro"][1]))[1]
    assert [s.kind for s in plan.steps] == ["pilot", "measure", "rules"]


def test_extra_steps_need_a_real_gap(knowledge: Knowledge) -> None:
    for name, answers in COMPANIES.items():
        result, plan = plan_for(knowledge, answers)
        for step in plan.steps:
            if step.kind in ("step", "rollout"):
                need = result.dimension(step.rule.dimension).need
                assert need >= knowledge.plan.min_need, (name, step.id)


# --- the plan as the user reads it --------------------------------------------------------------


def rendered(knowledge: Knowledge, answers: Answers, lang: Lang, template: str) -> tuple[str, str]:
    result, plan = plan_for(knowledge, answers)
    message = Message(lang, template, plan_values(knowledge, result, plan, lang))
    renderer = Renderer()
    return renderer.text(message), renderer.html(message)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("company", sorted(COMPANIES))
def test_the_plan_message_fits_a_phone_and_the_whole_plan_is_one_tap_away(
    knowledge: Knowledge, company: str, lang: Lang
) -> None:
    answers = COMPANIES[company]
    text, html = rendered(knowledge, answers, lang, PLAN_TEMPLATE)
    assert len(text) <= PHONE_LIMIT
    result, plan = plan_for(knowledge, answers)
    assert result.stage.name.of(lang) in text.splitlines()[0]
    assert f"{result.overall}/100" in text.splitlines()[0]
    for dimension in result.dimensions:
        shown = f"{dimension.score} · {dimension.dimension.name.of(lang)}"
        assert (shown in text) == (dimension.score is not None)  # only what was asked
    first = plan.steps[:FIRST_STEPS]
    positions = [text.index(step.title(lang)) for step in first]
    assert positions == sorted(positions)  # in the plan's order
    assert all(step.title(lang) not in text for step in plan.steps[FIRST_STEPS:])
    assert "<b>" in html and "<b>" not in text

    whole, _ = rendered(knowledge, answers, lang, WHOLE_PLAN_TEMPLATE)
    assert len(whole) < CHAT_LIMIT
    positions = [whole.index(step.title(lang)) for step in plan.steps]
    assert positions == sorted(positions)
    for step in plan.steps:
        if step.finding is not None:  # a report is named for its finding, and only there
            cited = f"{step.finding.of(lang)} ({'Source' if lang == 'en' else 'Lähde'}: "
            assert cited + "; ".join(step.citations[lang]) + ")" in whole
    for period in plan.outline:
        assert period.title.of(lang) in whole
        assert all(item.of(lang) in whole for item in period.items)


def test_our_advice_is_never_printed_under_a_report_s_name(knowledge: Knowledge) -> None:
    """The general-practice note of a topic is never cited as a report, and a step without a
    finding names no source at all."""
    for answers in COMPANIES.values():
        result, plan = plan_for(knowledge, answers)
        for lang in LANGS:
            values = plan_values(knowledge, result, plan, lang)
            for step in values["steps"]:
                assert (step["finding"] is None) == (step["sources"] == [])
                general = (
                    knowledge.general_practice.en if lang == "en" else knowledge.general_practice.fi
                )
                assert general not in step["sources"]


def test_the_finnish_plan_is_finnish(knowledge: Knowledge) -> None:
    english, _ = rendered(knowledge, CAFE, "en", PLAN_TEMPLATE)
    finnish, _ = rendered(knowledge, CAFE, "fi", PLAN_TEMPLATE)
    assert "Aloita näistä" in finnish and "Start with these" not in finnish
    assert "Start with these" in english


@pytest.mark.parametrize("lang", LANGS)
def test_the_plan_document_is_markdown_with_everything(knowledge: Knowledge, lang: Lang) -> None:
    text, _ = rendered(knowledge, B2B, lang, PLAN_DOCUMENT_TEMPLATE)
    result, plan = plan_for(knowledge, B2B)
    assert text.startswith("# ")
    for dimension in result.dimensions:
        assert f"| {dimension.dimension.name.of(lang)} | {dimension.score}/100 |" in text
    for number, step in enumerate(plan.steps, start=1):
        assert f"### {number}. {step.title(lang)}" in text
        assert step.why(lang) in text
    for period in plan.outline:
        assert f"### {period.title.of(lang)}" in text
    labels = [o.label.of(lang) for o in knowledge.assessment.profile[0].options]
    assert any(label in text for label in labels)  # the firm's profile heads the document


def test_html_escapes_what_the_content_says(knowledge: Knowledge) -> None:
    result, plan = plan_for(knowledge, CAFE)
    values = plan_values(knowledge, result, plan, "en")
    values["steps"][0]["why"] = "Use <script> & see"
    html = Renderer().html(Message("en", PLAN_TEMPLATE, values))
    assert "Use &lt;script&gt; &amp; see" in html


# --- the plan rules' own checks -----------------------------------------------------------------


def _problems(paths: Paths) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(paths.knowledge, paths.seeds)
    return [str(p) for p in caught.value.problems]


def _replace(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_step_on_an_unknown_topic_is_named_at_its_line(kb_copy: Paths) -> None:
    line = _replace(kb_copy.knowledge / "plan.yaml", "topic: cliques", "topic: klikit")
    assert f"knowledge/plan.yaml:{line}: topic 'klikit' is not a topic" in _problems(kb_copy)


def test_a_condition_on_an_unknown_option_is_reported(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "plan.yaml"
    line = _replace(path, "profile: {channels: [video]}", "profile: {channels: [tiktok]}")
    assert f"knowledge/plan.yaml:{line}: 'tiktok' is not an option of 'channels'" in _problems(
        kb_copy
    )


def test_a_kind_without_a_fallback_is_reported(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "plan.yaml"
    _replace(
        path,
        "    priority: 1\n    fallback: true\n    title:\n      en: Agree simple",
        "    priority: 1\n    title:\n      en: Agree simple",
    )
    found = _problems(kb_copy)
    assert any(p.endswith("no fallback rule of kind 'rules': a plan could miss it") for p in found)


def test_opening_up_before_the_rules_is_reported(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "plan.yaml"
    rules = "      - kind: rules\n        when:\n          profile: {size: [solo]}\n"
    _replace(path, rules, rules.replace("rules", "rollout", 1))
    found = _problems(kb_copy)
    assert any("a roll-out item comes before the rules items" in p for p in found), found


def test_a_figure_in_a_step_s_finding_that_its_report_does_not_state_is_refused(
    kb_copy: Paths,
) -> None:
    """A plan step's finding is printed in its report's name: "87 %" is in no report."""
    path = kb_copy.knowledge / "plan.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: measure_target")
    why = next(i for i in range(at, len(lines)) if lines[i] == "    why:\n")
    finding = [
        "    finding:\n",
        "      en: The project found that 87 % of firms measured.\n",
        "      fi: Hankkeen mukaan 87 % yrityksistä mittasi.\n",
    ]
    path.write_text("".join([*lines[:why], *finding, *lines[why:]]), encoding="utf-8")
    found = _problems(kb_copy)
    for line in (why + 2, why + 3):
        expected = f"knowledge/plan.yaml:{line}: figure '87' is not in the report it cites"
        assert any(p.startswith(expected) for p in found), found


def test_a_step_s_finding_on_a_topic_without_a_report_is_refused(kb_copy: Paths) -> None:
    path = kb_copy.knowledge / "plan.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: rules_confid")
    why = next(i for i in range(at, len(lines)) if lines[i] == "    why:\n")
    finding = ["    finding:\n", "      en: A report said so.\n", "      fi: Raportti sanoi.\n"]
    path.write_text("".join([*lines[:why], *finding, *lines[why:]]), encoding="utf-8")
    expected = f"knowledge/plan.yaml:{why + 2}: a finding needs a report"
    assert any(p.startswith(expected) for p in _problems(kb_copy))
