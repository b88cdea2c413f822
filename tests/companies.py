"""Three firms' complete answers to the self-assessment, as data for tests of any layer.

Each maps a step key to the chosen option ids, exactly as the engine stores answers: a question's
id, and `importance_key(<dimension>)` ("importance:<dimension>") for how much a dimension matters.
A multi-choice answer lists every option chosen. The ids are those of knowledge/assessment.yaml.
"""

from __future__ import annotations

from bot.assessment.scoring import importance_key

Answers = dict[str, tuple[str, ...]]


def importance_answers(**levels: str) -> Answers:
    return {importance_key(dimension): (level,) for dimension, level in levels.items()}


# A three-person café with no social media presence: customers are local consumers.
CAFE: Answers = {
    "size": ("micro",),
    "confidential": ("no",),
    "customers": ("consumers",),
    "channels": ("none",),
    "pu_goal": ("vague",),
    "pu_shared": ("differ",),
    "pr_where": ("guess",),
    "pr_regular": ("never",),
    "pr_feedback": ("not_yet",),
    "in_info": ("word",),
    "in_docs": ("paper",),
    "in_ideas": ("coffee",),
    "pe_skills": ("one_or_two",),
    "pe_young": ("ask_help",),
    "pe_leaders": ("not_us",),
    "pe_change": ("try",),
    "ru_rules": ("nothing",),
    "ru_owner": ("nobody",),
    "ru_pitfalls": ("heard",),
    "me_time": ("no_idea",),
    "me_effects": ("gut",),
    **importance_answers(
        purpose="a_lot",
        presence="crucial",
        internal="not_now",
        people="somewhat",
        rules="somewhat",
        measuring="a_lot",
    ),
}

# A 40-person firm selling to businesses: it has an internal network (Teams) that nobody uses,
# and posts on LinkedIn now and then.
B2B: Answers = {
    "size": ("small",),
    "confidential": ("no",),
    "customers": ("businesses",),
    "channels": ("linkedin", "internal"),
    "pu_goal": ("vague",),
    "pu_shared": ("differ",),
    "pr_where": ("guess",),
    "pr_regular": ("now_and_then",),
    "pr_feedback": ("if_seen",),
    "in_info": ("unused",),
    "in_docs": ("email",),
    "in_ideas": ("coffee",),
    "pe_skills": ("one_or_two",),
    "pe_young": ("not_really",),
    "pe_leaders": ("read",),
    "pe_change": ("boss",),
    "ru_rules": ("nothing",),
    "ru_owner": ("one_keen",),
    "ru_pitfalls": ("heard",),
    "me_time": ("no_idea",),
    "me_effects": ("gut",),
    **importance_answers(
        purpose="a_lot",
        presence="somewhat",
        internal="crucial",
        people="a_lot",
        rules="somewhat",
        measuring="somewhat",
    ),
}

# A 15-person firm already active on several channels, posting to a plan, but with no written
# rules, one keen person doing it all, and no idea what it brings in.
ACTIVE: Answers = {
    "size": ("small",),
    "confidential": ("no",),
    "customers": ("both",),
    "channels": ("facebook", "instagram", "linkedin", "video"),
    "pu_goal": ("one_aim",),
    "pu_shared": ("roughly",),
    "pr_where": ("there",),
    "pr_regular": ("planned",),
    "pr_feedback": ("within_day",),
    "in_info": ("group_chat",),
    "in_docs": ("folder",),
    "in_ideas": ("collected",),
    "pe_skills": ("most",),
    "pe_young": ("real_role",),
    "pe_leaders": ("sometimes",),
    "pe_change": ("try",),
    "ru_rules": ("unspoken",),
    "ru_owner": ("one_keen",),
    "ru_pitfalls": ("heard",),
    "me_time": ("feeling",),
    "me_effects": ("gut",),
    **importance_answers(
        purpose="somewhat",
        presence="a_lot",
        internal="not_now",
        people="somewhat",
        rules="crucial",
        measuring="crucial",
    ),
}

COMPANIES: dict[str, Answers] = {"cafe": CAFE, "b2b": B2B, "active": ACTIVE}
