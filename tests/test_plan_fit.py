"""A plan that fits the firm: eight firms step by step, and many random firms for the promises.

The promises: no step recommends what the answers say is in place; a one-person firm's plan
assumes no team; an internal pilot is measured by internal things; the plan message fits a phone.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from bot import LANGS, Lang
from bot.assessment.planner import Plan, make_plan
from bot.assessment.present import PLAN_TEMPLATE, WHOLE_PLAN_TEMPLATE, plan_values
from bot.assessment.profile import Answers
from bot.assessment.scoring import Result, importance_key, score
from bot.content.loader import Knowledge
from bot.engine.steps import Steps
from bot.events import Message
from bot.render import Renderer
from tests.profiles import (
    ACCOUNTING,
    CAFE_NONE,
    ENGINEERING,
    EXPORTER,
    HAIRDRESSER_SOLO,
    INTERNAL_ONLY,
    MANUFACTURER,
    PROFILES,
    STRONG,
)

KYMENLAAKSO = "000_51ea660dd9d01ecc.txt"
PHONE_LIMIT = 1200  # the plan message: where the firm stands and its first three steps
RANDOM_FIRMS = 400

# Words that assume people besides the owner, as the plan is read (whole words or stems).
TEAM_WORDS: dict[Lang, re.Pattern[str]] = {
    "en": re.compile(r"\b(team|staff|employees?|helper|colleagues|everyone|together|with you)\b"),
    "fi": re.compile(
        r"(tiimi|henkilöstö|työntekijä|apulai|kollega|kaikki tulevat|yhdessä|kanssasi)"
    ),
}
# Words of customer measures: an internal pilot is measured by who takes part and what is shared.
CUSTOMER_WORDS: dict[Lang, re.Pattern[str]] = {
    "en": re.compile(r"\b(customers?|sales|deals?|turnover|revenue|bookings)\b"),
    "fi": re.compile(r"(asiaka|myyn|kaup|liikevaih|varauks)"),
}


def plan_for(knowledge: Knowledge, answers: Answers) -> tuple[Result, Plan]:
    result = score(knowledge.assessment, answers)
    return result, make_plan(knowledge, answers, result)


def ids(plan: Plan) -> list[str]:
    return [step.id for step in plan.steps]


def items(plan: Plan, day: int, lang: Lang = "en") -> list[str]:
    (period,) = [p for p in plan.outline if p.day == day]
    return [item.of(lang) for item in period.items]


def rendered(knowledge: Knowledge, answers: Answers, lang: Lang, template: str) -> str:
    result, plan = plan_for(knowledge, answers)
    return Renderer().text(Message(lang, template, plan_values(knowledge, result, plan, lang)))


# --- eight firms, step by step ------------------------------------------------------------------


def test_a_cafe_with_no_social_media_opens_one_channel_and_counts_from_day_one(
    knowledge: Knowledge,
) -> None:
    result, plan = plan_for(knowledge, CAFE_NONE)
    assert ids(plan) == [
        "pilot_open",  # Instagram or a Facebook page, one aim, what to post first
        "measure_baseline",  # today's customers and sales, before it starts
        "purpose_sentence",
        "rules_house",  # three people: agree together, no pilot team to write them
        "young_staff",
    ]
    assert plan.focus == "customers"
    assert "Instagram" in plan.steps[0].title("en") and "Facebook" in plan.steps[0].title("en")
    assert any("Open the account" in item for item in items(plan, 30))
    # Its finding is the Kymenlaakso survey's: only that report is named beside it.
    assert plan.steps[0].citations["en"] == (knowledge.seeds[KYMENLAAKSO].cite.en,)
    # Not on social media: not asked how often it posts or what it brings in.
    assert result.dimension("measuring").score is None
    # Internal collaboration "not right now": no step for it, not named as room to grow.
    assert all(step.rule.dimension != "internal" for step in plan.steps)
    values = plan_values(knowledge, result, plan, "en")
    assert "Internal collaboration" not in values["focus"]


def test_a_hairdresser_alone_on_facebook_and_instagram_gives_her_page_an_aim(
    knowledge: Knowledge,
) -> None:
    result, plan = plan_for(knowledge, HAIRDRESSER_SOLO)
    assert ids(plan) == [
        "pilot_fb_and_ig",  # on both: the one her customers use, no new channel, no page to set up
        "measure_baseline",
        "feedback_channel",
        "purpose_sentence",
        "rules_solo",  # her own rules, no team to agree with
    ]
    assert result.dimension("internal").score is None  # nobody to share files with
    assert not any("Open the account" in item for item in items(plan, 30))
    assert not any("second channel" in item for item in items(plan, 90))  # she has two
    for lang in LANGS:
        whole = rendered(knowledge, HAIRDRESSER_SOLO, lang, WHOLE_PLAN_TEMPLATE)
        assert not TEAM_WORDS[lang].search(whole.casefold()), lang


def test_on_facebook_alone_the_pilot_is_the_facebook_page(knowledge: Knowledge) -> None:
    """The pilot for a firm on both asks for every one of the channels (profile_all)."""
    _, plan = plan_for(knowledge, {**HAIRDRESSER_SOLO, "channels": ("facebook",)})
    assert ids(plan)[0] == "pilot_facebook"


def test_an_accounting_firm_puts_confidentiality_first_and_uses_its_linkedin(
    knowledge: Knowledge,
) -> None:
    _, plan = plan_for(knowledge, ACCOUNTING)
    assert ids(plan) == [
        "pilot_li_aim",  # on LinkedIn already: give it one aim, not "start on LinkedIn"
        "measure_contacts",
        "rules_confid",  # client confidentiality and consent before anything else
        "purpose_sentence",
        "leaders_first",
    ]
    assert plan.steps[2].topic == "client-confidentiality"
    assert plan.steps[2].finding is None  # general practice: no report named for it


def test_an_engineering_firm_restarts_its_unused_network_and_measures_inside(
    knowledge: Knowledge,
) -> None:
    _, plan = plan_for(knowledge, ENGINEERING)
    assert ids(plan) == [
        "pilot_internal",
        "measure_survey",  # who takes part and what is shared, not customers
        "purpose_sentence",
        "rules_before_all",
        "avoid_cliques",  # opened to all only after the rules
    ]
    assert plan.focus == "internal"
    assert any("who takes part" in item for item in items(plan, 30))
    assert not any(CUSTOMER_WORDS["en"].search(item.casefold()) for item in items(plan, 90))


def test_a_manufacturer_with_no_culture_of_sharing_has_its_leaders_post_first(
    knowledge: Knowledge,
) -> None:
    _, plan = plan_for(knowledge, MANUFACTURER)
    assert ids(plan) == [
        "pilot_internal",
        "measure_survey",
        "leaders_first",  # people and culture matter most to it
        "rules_before_all",
        "avoid_cliques",
    ]
    assert any("skills survey" in item for item in items(plan, 30))
    assert any("without a computer" in item for item in items(plan, 30))  # the factory floor


def test_a_firm_strong_everywhere_gets_an_experiment_and_nothing_it_already_has(
    knowledge: Knowledge,
) -> None:
    _, plan = plan_for(knowledge, STRONG)
    assert ids(plan) == ["pilot_exp_new", "measure_target", "rules_review"]
    assert "video" not in plan.steps[0].title("en").casefold()  # it makes video already
    titles = " ".join(step.title("en") for step in plan.steps)
    assert "Write down today" not in titles and "write the posting rules" not in titles
    assert not any("Write down today's figures" in item for item in items(plan, 30))
    assert any("Add what the pilot taught you" in item for item in items(plan, 60))


def test_an_internal_only_pilot_has_no_customer_measures(knowledge: Knowledge) -> None:
    _, plan = plan_for(knowledge, INTERNAL_ONLY)
    assert ids(plan) == [
        "pilot_internal",
        "measure_survey",
        "shared_space",
        "rules_before_all",
        "avoid_cliques",
    ]
    for step in plan.steps:
        assert step.rule.focus in (None, "internal"), step.id
    for day in (30, 60, 90):
        for lang in LANGS:
            assert not any(
                CUSTOMER_WORDS[lang].search(i.casefold()) for i in items(plan, day, lang)
            )


def test_a_b2b_exporter_experiments_abroad_and_tracks_its_time(knowledge: Knowledge) -> None:
    _, plan = plan_for(knowledge, EXPORTER)
    assert ids(plan) == [
        "pilot_exp_new",  # selling abroad, not video: it has video already
        "measure_time",
        "rules_owners",  # two channels and one keen person: name who runs each
        "marketing_check",
        "young_staff",
    ]
    assert "abroad" in plan.steps[0].title("en")


def test_the_eight_firms_get_visibly_different_plans(knowledge: Knowledge) -> None:
    plans = {name: ids(plan_for(knowledge, answers)[1]) for name, answers in PROFILES.items()}
    assert len({tuple(steps) for steps in plans.values()}) == len(plans)
    # The two firms the review found alike now share at most the purpose step.
    assert len(set(plans["engineering"]) & set(plans["accounting"])) <= 1


# --- many random firms --------------------------------------------------------------------------


def random_firm(knowledge: Knowledge, steps: Steps, rng: random.Random) -> Answers:
    """A complete set of answers as a real user could give them: the profile first, then every
    question this firm is asked, each importance answered or (one time in five) skipped."""
    assessment = knowledge.assessment
    answers: dict[str, tuple[str, ...]] = {}
    for question in assessment.profile:
        if question.kind == "multi":
            real = [o.id for o in question.options if not o.exclusive]
            picked = tuple(o for o in real if rng.random() < 0.35)
            answers[question.id] = picked or ("none",)
        else:
            answers[question.id] = (rng.choice(question.options).id,)
    for step in steps.asked_for(answers):
        if step.section == "profile":
            continue
        if step.section == "importance" and rng.random() < 0.2:
            continue
        answers[step.key] = (rng.choice(step.options).id,)
    return answers


def answered(answers: Answers, question: str, *options: str) -> bool:
    return bool(set(answers.get(question, ())) & set(options))


# What a step sets out to do, in the firm's own answers: the step must not be in the plan of a
# firm whose answers say it is done already.
ALREADY_MET: dict[str, Callable[[Answers], bool]] = {
    "pilot_open": lambda a: answered(a, "channels", "facebook", "instagram"),
    "pilot_linkedin": lambda a: answered(a, "channels", "linkedin"),
    "linkedin_b2b": lambda a: answered(a, "channels", "linkedin"),
    "pilot_team_space": lambda a: answered(a, "channels", "internal"),
    "pilot_experiment": lambda a: answered(a, "channels", "video"),  # its example is video
    "short_video": lambda a: answered(a, "channels", "video"),
    "rules_solo": lambda a: answered(a, "ru_rules", "written"),
    "rules_house": lambda a: answered(a, "ru_rules", "written"),
    "rules_before_all": lambda a: answered(a, "ru_rules", "written"),
    "rules_owners": lambda a: answered(a, "ru_owner", "named"),
    "measure_baseline": lambda a: answered(a, "me_effects", "tracked"),
    "measure_contacts": lambda a: answered(a, "me_effects", "tracked"),
    "marketing_check": lambda a: answered(a, "me_effects", "tracked"),
    "measure_time": lambda a: answered(a, "me_time", "set_aside"),
    "purpose_sentence": lambda a: answered(a, "pu_goal", "written"),
    "feedback_channel": lambda a: answered(a, "pr_feedback", "within_day", "use_it"),
    "young_staff": lambda a: answered(a, "pe_young", "real_role", "lead"),
    "leaders_first": lambda a: answered(a, "pe_leaders", "example"),
    "resistance": lambda a: answered(a, "pe_change", "try", "anyone"),
    "small_groups": lambda a: answered(a, "pe_skills", "everyone"),
    "shared_space": lambda a: answered(a, "in_docs", "together"),
}
# Outline items the same way, by their English words.
ITEMS_ALREADY_MET: dict[str, Callable[[Answers], bool]] = {
    "Open the account": lambda a: answered(a, "channels", "facebook", "instagram"),
    "Write down today's figures": lambda a: answered(a, "me_effects", "tracked"),
    "Turn what you learned into written posting rules": lambda a: answered(
        a, "ru_rules", "written"
    ),
    "Write down what you learned as your own": lambda a: answered(a, "ru_rules", "written"),
}
# Steps that need people besides the owner.
NEEDS_A_TEAM = {
    "rules_house",
    "rules_before_all",
    "young_staff",
    "leaders_first",
    "resistance",
    "shared_space",
    "pilot_internal",
    "pilot_team_space",
    "avoid_cliques",
    "rollout_all",
}


@pytest.fixture(scope="module")
def firms(knowledge: Knowledge) -> list[Answers]:
    rng = random.Random(20261201)
    steps = Steps(knowledge.assessment)
    return [random_firm(knowledge, steps, rng) for _ in range(RANDOM_FIRMS)]


def test_no_plan_recommends_what_the_firm_already_has(
    knowledge: Knowledge, firms: list[Answers]
) -> None:
    for answers in firms:
        _, plan = plan_for(knowledge, answers)
        for step in plan.steps:
            met = ALREADY_MET.get(step.id)
            assert met is None or not met(answers), (step.id, answers)
        for period in plan.outline:
            for item in period.items:
                for words, met in ITEMS_ALREADY_MET.items():
                    assert not (words in item.of("en") and met(answers)), (item.of("en"), answers)


# Steps that open a channel the firm does not have. Not short_video ("try short videos made with
# a phone"): its videos go on the page or account the firm already has.
OPENS_A_CHANNEL = {"linkedin_b2b"}


def test_a_plan_that_says_no_new_channel_yet_opens_one_only_after_the_pilot(
    knowledge: Knowledge, firms: list[Answers]
) -> None:
    """A tester's cleaning firm: step 1 said "no new channel yet" and step 5 "reach your
    buyers on LinkedIn". A new channel may be in the plan, but as what comes after the pilot."""
    met = 0
    for answers in firms:
        _, plan = plan_for(knowledge, answers)
        if "no new channel yet" not in plan.steps[0].why("en").casefold():
            continue
        for step in plan.steps[1:]:
            if step.id in OPENS_A_CHANNEL:
                met += 1
                assert step.title("en").startswith("After the pilot"), ids(plan)
                assert step.title("fi").startswith("Pilotin jälkeen"), ids(plan)
    assert met > 5


def test_a_one_person_firm_s_plan_assumes_no_team(
    knowledge: Knowledge, firms: list[Answers]
) -> None:
    alone = [a for a in firms if a["size"] == ("solo",)]
    assert len(alone) > 50
    for answers in alone:
        _, plan = plan_for(knowledge, answers)
        assert not NEEDS_A_TEAM & set(ids(plan)), (ids(plan), answers)
        for lang in LANGS:
            whole = rendered(knowledge, answers, lang, WHOLE_PLAN_TEMPLATE).casefold()
            found = TEAM_WORDS[lang].search(whole)
            assert found is None, (lang, found and found.group(), ids(plan))


def test_an_internal_pilot_is_never_measured_by_customers(
    knowledge: Knowledge, firms: list[Answers]
) -> None:
    internal = 0
    for answers in firms:
        _, plan = plan_for(knowledge, answers)
        if plan.focus != "internal":
            continue
        internal += 1
        measures = [plan.steps[1]]
        assert measures[0].rule.focus in (None, "internal"), ids(plan)
        for lang in LANGS:
            texts = [measures[0].title(lang), measures[0].why(lang)]
            texts += [
                item.of(lang)
                for period in plan.outline
                for item, kind in zip(period.items, period.kinds, strict=True)
                if kind == "measure"
            ]
            for text in texts:
                assert not CUSTOMER_WORDS[lang].search(text.casefold()), (lang, text)
    assert internal > 20


def test_every_random_plan_keeps_the_promises_and_fits_a_phone(
    knowledge: Knowledge, firms: list[Answers]
) -> None:
    longest = dict.fromkeys(LANGS, 0)
    for answers in firms:
        result, plan = plan_for(knowledge, answers)
        kinds = [step.kind for step in plan.steps]
        assert kinds[:2] == ["pilot", "measure"] and kinds.count("rules") == 1
        assert all(i > kinds.index("rules") for i, k in enumerate(kinds) if k == "rollout")
        assert "measure" in plan.outline[0].kinds  # measuring from the first days
        flat = [kind for period in plan.outline for kind in period.kinds]
        assert "rules" in flat
        if "rollout" in flat:
            assert flat.index("rules") < flat.index("rollout")
        set_aside = {
            d.id for d in result.dimensions if d.importance_option in knowledge.plan.set_aside
        }
        for step in plan.steps[3:]:
            assert step.rule.dimension not in set_aside or step.kind != "step"
        for lang in LANGS:
            text = rendered(knowledge, answers, lang, PLAN_TEMPLATE)
            longest[lang] = max(longest[lang], len(text))
    assert all(length <= PHONE_LIMIT for length in longest.values()), longest


# --- the questions each firm is asked -----------------------------------------------------------


def asked_questions(knowledge: Knowledge, profile: Answers) -> set[str]:
    steps = Steps(knowledge.assessment).asked_for(profile)
    return {s.key for s in steps if s.section == "question"}


def test_a_one_person_firm_is_not_asked_about_staff(knowledge: Knowledge) -> None:
    alone = {"size": ("solo",), "confidential": ("no",), "customers": ("consumers",)}
    asked = asked_questions(knowledge, {**alone, "channels": ("facebook",)})
    staff = {"pu_shared", "in_info", "in_docs", "in_ideas", "pe_skills", "pe_young"}
    assert not staff & asked
    assert {"pe_change", "ru_owner"}.isdisjoint(asked)
    assert {"pu_goal", "pr_where", "pe_leaders", "ru_rules", "me_time"} <= asked
    # Nothing asked of internal collaboration: no importance question, no score, no axis.
    steps = Steps(knowledge.assessment).asked_for({**alone, "channels": ("facebook",)})
    assert importance_key("internal") not in {s.key for s in steps}
    for question in knowledge.assessment.questions:
        if question.id in asked:
            for lang in LANGS:
                text = question.text.of(lang).casefold()
                assert "employee" not in text and "työntekij" not in text, question.id


def test_a_firm_on_no_social_media_is_not_asked_how_it_posts(knowledge: Knowledge) -> None:
    profile = {"size": ("micro",), "confidential": ("no",), "customers": ("consumers",)}
    asked = asked_questions(knowledge, {**profile, "channels": ("none",)})
    assert {
        "pu_shared",
        "pr_regular",
        "pr_feedback",
        "ru_owner",
        "me_time",
        "me_effects",
    }.isdisjoint(asked)
    assert {"pu_goal", "pr_where", "in_info", "pe_leaders", "ru_rules"} <= asked
    # An internal network alone is social media inside, not for customers.
    inside = asked_questions(knowledge, {**profile, "channels": ("internal",)})
    assert "pr_regular" not in inside and "me_time" in inside


def test_a_question_left_out_counts_neither_for_nor_against(knowledge: Knowledge) -> None:
    """A stale answer to a question the firm is not asked (left from before it changed its size)
    changes nothing; the dimensions left are scored on what was asked."""
    stale = {**HAIRDRESSER_SOLO, "in_info": ("shared",), "pe_young": ("not_really",)}
    assert score(knowledge.assessment, stale) == score(knowledge.assessment, HAIRDRESSER_SOLO)
    result = score(knowledge.assessment, HAIRDRESSER_SOLO)
    people = result.dimension("people")
    assert people.answered == 1 and people.score == 65  # "now and then", the one asked
    scored = [d.score for d in result.dimensions if d.score is not None]
    assert result.overall == round(sum(scored) / len(scored))
