"""Reads the knowledge base from disk once, checks all of it, and returns read-only objects."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel

from bot import LANGS, Lang
from bot.content.assessment_models import Assessment, ProfileCondition
from bot.content.figures import figures, report_figures
from bot.content.followup_models import FollowUp
from bot.content.models import (
    Citation,
    Referrals,
    Scope,
    Seed,
    SeedIndex,
    SmallTalk,
    Source,
    SpokenForms,
    Topic,
)
from bot.content.plan_models import ALWAYS, Condition, PlanRules, WhyWords
from bot.content.problems import Problems
from bot.content.yaml_lines import LineDict, line_of

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Knowledge:
    topics: Mapping[str, Topic]
    seeds: Mapping[str, Seed]
    general_practice: Citation
    assessment: Assessment
    plan: PlanRules
    scope: Scope
    spoken: SpokenForms
    smalltalk: SmallTalk
    referrals: Referrals
    followup: FollowUp

    def cite(self, source: Source, lang: Lang) -> str:
        """How an answer names one of its sources to the reader: a report by its name, a public
        source by what it is, the rest as general practice."""
        if source.file:
            return self.seeds[source.file].cite.of(lang)
        return (source.cite or self.general_practice).of(lang)

    def citations(self, topic: Topic, lang: Lang) -> list[str]:
        seen: list[str] = []
        for source in topic.sources:
            text = self.cite(source, lang)
            if text not in seen:
                seen.append(text)
        return seen


def load_knowledge(knowledge_dir: Path, seeds_dir: Path) -> Knowledge:
    """Load and check everything; raise KnowledgeError listing every problem found."""
    problems = Problems()
    seeds, general_practice = _load_seeds(seeds_dir, problems)
    topics = _load_topics(knowledge_dir / "topics", seeds_dir, seeds, problems)
    assessment = _load_assessment(knowledge_dir / "assessment.yaml", topics, problems)
    plan = _load_plan(knowledge_dir / "plan.yaml", assessment, topics, seeds_dir, problems)
    scope = _load_scope(knowledge_dir / "scope.yaml", problems)
    spoken = _load_spoken(knowledge_dir / "spoken.yaml", problems)
    smalltalk = _load_smalltalk(knowledge_dir / "smalltalk.yaml", problems)
    referrals = _load_referrals(knowledge_dir / "referrals.yaml", problems)
    followup = problems.read_model(knowledge_dir / "followup.yaml", FollowUp)
    problems.raise_if_any()
    # otherwise a problem was recorded
    assert assessment is not None and plan is not None and scope is not None
    assert spoken is not None and smalltalk is not None and referrals is not None
    assert followup is not None
    return Knowledge(
        topics=MappingProxyType(topics),
        seeds=MappingProxyType(seeds),
        general_practice=general_practice,
        assessment=assessment,
        plan=plan,
        scope=scope,
        spoken=spoken,
        smalltalk=smalltalk,
        referrals=referrals,
        followup=followup[1],
    )


def _load_seeds(seeds_dir: Path, problems: Problems) -> tuple[dict[str, Seed], Citation]:
    index_path = seeds_dir / "index.yaml"
    data = problems.read_yaml(index_path)
    index = problems.build(index_path, data, SeedIndex) if data is not None else None
    if index is None:
        return {}, Citation(en="general practice", fi="yleinen käytäntö")
    seeds: dict[str, Seed] = {}
    for position, seed in enumerate(index.seeds):
        line = line_of(data, ("seeds", position, "file"))
        if seed.file in seeds:
            problems.add(index_path, line, f"seed '{seed.file}' is listed twice")
        elif not (seeds_dir / seed.file).is_file():
            problems.add(index_path, line, f"seed file '{seed.file}' is not in {seeds_dir.name}/")
        seeds[seed.file] = seed
    return seeds, index.general_practice


def _load_topics(
    topics_dir: Path, seeds_dir: Path, seeds: Mapping[str, Seed], problems: Problems
) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    raw: dict[str, tuple[Path, LineDict]] = {}
    paths = sorted(topics_dir.glob("*.yaml"))
    if not paths:
        problems.add(topics_dir, 1, "no topic files (*.yaml) found")
    for path in paths:
        data = problems.read_yaml(path)
        if data is None:
            continue
        if not isinstance(data, LineDict):
            problems.add(path, 1, "a topic file must be a mapping with id, sources, en and fi")
            continue
        topic = problems.build(path, data, Topic)
        if topic is None:
            continue
        if topic.id in topics:
            other = raw[topic.id][0]
            problems.add(
                path, line_of(data, ("id",)), f"duplicate id '{topic.id}' (also in {other.name})"
            )
            continue
        if topic.id != path.stem:
            problems.add(
                path, line_of(data, ("id",)), f"id '{topic.id}' differs from the file name"
            )
        topics[topic.id] = topic
        raw[topic.id] = (path, data)

    for topic_id, topic in topics.items():
        path, data = raw[topic_id]
        for position, related in enumerate(topic.related):
            if related not in topics:
                problems.add(
                    path,
                    line_of(data, ("related", position)),
                    f"related id '{related}' is not a topic",
                )
            elif related == topic_id:
                problems.add(
                    path,
                    line_of(data, ("related", position)),
                    "a topic cannot be related to itself",
                )
        for position, source in enumerate(topic.sources):
            if source.file is not None and source.file not in seeds:
                problems.add(
                    path,
                    line_of(data, ("sources", position, "file")),
                    f"source file '{source.file}' is not a report listed in seeds/index.yaml",
                )
        reports = [
            seeds_dir / s.file for s in topic.sources if s.file is not None and s.file in seeds
        ]
        lines = file_lines(path) if reports else []  # for the lines of the figures, read once
        for lang in LANGS:
            text = topic.of(lang)
            if text.finding is None:
                if reports:
                    problems.add(
                        path,
                        line_of(data, (lang, "answer")),
                        "the topic cites a report but says nothing in its name: add `finding:`",
                    )
                continue
            if not reports:
                problems.add(
                    path,
                    line_of(data, (lang, "finding")),
                    "a finding needs a report among the sources (`file:`); advice of our own"
                    " belongs in `answer`",
                )
                continue
            for message_line, message in unsupported_figures(
                lines, path, line_of(data, (lang, "finding")), text.finding, reports
            ):
                problems.add(path, message_line, message)
    return topics


def file_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def unsupported_figures(
    lines: Sequence[str], path: Path, key_line: int, finding: str, reports: Sequence[Path]
) -> Iterator[tuple[int, str]]:
    """(line, message) for each figure of a finding that none of its reports states: a number in
    a report's name must be the report's own."""
    stated: set[str] = set()
    for report in reports:
        stated |= report_figures(report)
    # A block (`finding: |`) starts on the line after its key; a plain value on the key's line.
    header = lines[key_line - 1].rstrip() if 0 < key_line <= len(lines) else ""
    first = key_line + 1 if header.endswith(("|", ">", "|-", ">-")) else key_line
    names = ", ".join(r.name for r in reports)
    for offset, line in enumerate(finding.splitlines()):
        for figure in figures(line):
            if figure not in stated:
                yield (
                    first + offset,
                    f"figure '{figure}' is not in the report it cites ({names}): a finding"
                    " states only what its report states",
                )


def _read_checked(
    path: Path, model: type[M], problems: Problems, check: Callable[[Any, M], None]
) -> M | None:
    """A whole file read as `model` and then checked by `check(data, built)`, which records any
    problems (data keeps the lines); None when the file or the check found something wrong."""
    loaded = problems.read_model(path, model)
    if loaded is None:
        return None
    data, built = loaded
    found = len(problems.found)
    check(data, built)
    return built if len(problems.found) == found else None


def _load_scope(path: Path, problems: Problems) -> Scope | None:
    def listed_once(data: Any, scope: Scope) -> None:
        for lang in LANGS:
            seen: set[str] = set()
            listed: list[tuple[tuple[str | int, ...], str]]
            listed = [((lang, i), w) for i, w in enumerate(scope.of(lang))]
            listed += [(("exact", lang, i), w) for i, w in enumerate(scope.exact.of(lang))]
            for loc, word in listed:
                if word in seen:
                    problems.add(path, line_of(data, loc), f"'{word}' is listed twice")
                seen.add(word)

    return _read_checked(path, Scope, problems, listed_once)


def _load_spoken(path: Path, problems: Problems) -> SpokenForms | None:
    def not_itself(data: Any, spoken: SpokenForms) -> None:
        for lang in LANGS:
            forms = spoken.of(lang)
            tables = (
                ("words", forms.words),
                ("nicknames", forms.nicknames),
                ("endings", forms.endings),
            )
            for kind, table in tables:
                for said, written in table.items():
                    if said == written:
                        where = line_of(data, (lang, kind, said))
                        problems.add(path, where, f"'{said}' is read as itself")

    return _read_checked(path, SpokenForms, problems, not_itself)


def _listed_once(
    problems: Problems,
    path: Path,
    data: Any,
    groups: Iterable[tuple[str, tuple[str | int, ...], Sequence[str]]],
    what: str = "",
) -> None:
    """Each phrase at most once across the groups (a group: its name, where its list stands in
    the file, its phrases); a repeat is reported at its line, naming the group it is also in."""
    seen: dict[str, str] = {}
    for name, where, phrases in groups:
        for position, phrase in enumerate(phrases):
            said = " ".join(phrase.split())
            if said in seen:
                line = line_of(data, (*where, position))
                problems.add(path, line, f"{what}'{phrase}' is listed twice (also {seen[said]})")
            seen.setdefault(said, name)


def _load_smalltalk(path: Path, problems: Problems) -> SmallTalk | None:
    def listed_once(data: Any, smalltalk: SmallTalk) -> None:
        for lang in LANGS:
            groups = [
                (kind, (kind, lang), phrases.of(lang))
                for kind, phrases in smalltalk.kinds().items()
            ]
            _listed_once(problems, path, data, groups)

    return _read_checked(path, SmallTalk, problems, listed_once)


def _load_referrals(path: Path, problems: Problems) -> Referrals | None:
    def signs_listed_once(data: Any, referrals: Referrals) -> None:
        for lang in LANGS:
            groups = [
                (kind, ("kinds", kind, lang, "signs"), referral.of(lang).signs)
                for kind, referral in referrals.kinds.items()
            ]
            _listed_once(problems, path, data, groups, what="sign ")

    return _read_checked(path, Referrals, problems, signs_listed_once)


# --- the self-assessment ------------------------------------------------------------------------


def _load_assessment(
    path: Path, topics: Mapping[str, Topic], problems: Problems
) -> Assessment | None:
    loaded = problems.read_model(path, Assessment)
    if loaded is None:
        return None
    data, assessment = loaded
    found = len(problems.found)

    def add(loc: tuple[int | str, ...], message: str) -> None:
        problems.add(path, line_of(data, loc), message)

    seen_questions: set[str] = set()
    for section in ("profile", "questions"):
        for i, question in enumerate(getattr(assessment, section)):
            if question.id in seen_questions:
                add((section, i, "id"), f"question id '{question.id}' is used twice")
            seen_questions.add(question.id)
            if section == "profile" and question.dimension is not None:
                add((section, i, "dimension"), "a profile question belongs to no dimension")
            if section == "questions" and question.dimension is None:
                add((section, i), f"question '{question.id}' needs a dimension")

    dimension_ids: set[str] = set()
    for i, dimension in enumerate(assessment.dimensions):
        if dimension.id in dimension_ids:
            add(("dimensions", i, "id"), f"dimension id '{dimension.id}' is used twice")
        dimension_ids.add(dimension.id)
        if not assessment.questions_of(dimension.id):
            add(("dimensions", i, "id"), f"dimension '{dimension.id}' has no questions")
        for j, topic_id in enumerate(dimension.topics):
            if topic_id not in topics:
                add(("dimensions", i, "topics", j), f"topic '{topic_id}' is not a topic")

    for i, question in enumerate(assessment.questions):
        if question.dimension is not None and question.dimension not in dimension_ids:
            add(
                ("questions", i, "dimension"),
                f"dimension '{question.dimension}' is not one of the dimensions",
            )
        for loc, message in _condition_problems(question.ask_when, assessment):
            add(("questions", i, "ask_when", *loc), message)

    for i, option in enumerate(assessment.importance_options):
        if option.score is None:
            add(("importance_options", i), "an importance option needs a score (its weight)")
    if len({o.id for o in assessment.importance_options}) != len(assessment.importance_options):
        add(("importance_options",), "importance option ids must be unique")
    if assessment.importance_option(assessment.default_importance) is None:
        add(
            ("default_importance",),
            f"default_importance '{assessment.default_importance}' is not an importance option",
        )

    if assessment.stages[0].min_score != 0:
        add(("stages", 0, "min_score"), "the first stage starts at min_score 0")
    for i in range(1, len(assessment.stages)):
        if assessment.stages[i].min_score <= assessment.stages[i - 1].min_score:
            add(("stages", i, "min_score"), "stages go in ascending order of min_score")
    if len({s.id for s in assessment.stages}) != len(assessment.stages):
        add(("stages",), "stage ids must be unique")
    return assessment if len(problems.found) == found else None


# --- the plan rules -----------------------------------------------------------------------------


def _load_plan(
    path: Path,
    assessment: Assessment | None,
    topics: Mapping[str, Topic],
    seeds_dir: Path,
    problems: Problems,
) -> PlanRules | None:
    loaded = problems.read_model(path, PlanRules)
    if loaded is None:
        return None
    data, rules = loaded
    found = len(problems.found)

    def add(loc: tuple[int | str, ...], message: str) -> None:
        problems.add(path, line_of(data, loc), message)

    step_ids: set[str] = set()
    plan_lines: list[str] | None = None
    for i, step in enumerate(rules.steps):
        if step.id in step_ids:
            add(("steps", i, "id"), f"step id '{step.id}' is used twice")
        step_ids.add(step.id)
        if step.topic not in topics:
            add(("steps", i, "topic"), f"topic '{step.topic}' is not a topic")
        elif step.finding is not None:
            topic = topics[step.topic]
            if plan_lines is None:
                plan_lines = file_lines(path)  # read once, for the lines of the figures
            _check_step_finding(
                path,
                data,
                i,
                step.finding,
                step.finding_from,
                topic,
                seeds_dir,
                plan_lines,
                problems,
            )
        if assessment is not None:
            if step.dimension not in {d.id for d in assessment.dimensions}:
                add(("steps", i, "dimension"), f"dimension '{step.dimension}' is not a dimension")
            for loc, message in _condition_problems(step.when, assessment):
                add(("steps", i, "when", *loc), message)
    for kind in ALWAYS:
        if not any(s.kind == kind and s.fallback for s in rules.steps):
            add(("steps",), f"no fallback rule of kind '{kind}': a plan could miss it")

    days = [period.day for period in rules.outline]
    if days != [30, 60, 90]:
        add(("outline",), "the outline has the periods 30, 60 and 90, in that order")
    # The promises, as far as the file alone can show them (tests check them over many firms):
    # rules are written before anything firm-wide, and measuring starts in the first period.
    rules_seen = False
    for i, period in enumerate(rules.outline):
        if not any(item.when.always for item in period.items):
            add(("outline", i, "items"), f"day {period.day}: no item that always applies")
        for j, item in enumerate(period.items):
            if assessment is not None:
                for loc, message in _condition_problems(item.when, assessment):
                    add(("outline", i, "items", j, "when", *loc), message)
            if item.kind == "rollout" and not rules_seen:
                add(("outline", i, "items", j), "a roll-out item comes before the rules items")
            if item.kind == "rules":
                rules_seen = True
    if not rules_seen:
        add(("outline",), "the outline needs rules items")
    first = rules.outline[0]
    if not any(item.kind == "measure" for item in first.items):
        add(("outline", 0, "items"), "measuring starts in the first period: add a measure item")
    if assessment is not None:
        importance = {o.id for o in assessment.importance_options}
        for i, option_id in enumerate(rules.set_aside):
            if option_id not in importance:
                add(("set_aside", i), f"'{option_id}' is not an importance option")
    return rules if len(problems.found) == found else None


def _condition_problems(
    condition: Condition | ProfileCondition, assessment: Assessment
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every id a condition names must be in the assessment: a typo would silently never match."""
    dimensions = {d.id for d in assessment.dimensions}
    for key in ("below", "at_least"):
        for dimension in getattr(condition, key, {}):
            if dimension not in dimensions:
                yield (key, dimension), f"'{dimension}' is not a dimension"
    for key in ("picked_at_least", "picked_at_most"):
        counts: Mapping[str, Any] = getattr(condition, key)
        for question_id in counts:
            if assessment.profile_question(question_id) is None:
                yield (key, question_id), f"'{question_id}' is not a profile question"
    named = (
        ("profile", assessment.profile_question, "a profile question"),
        ("profile_not", assessment.profile_question, "a profile question"),
        ("profile_all", assessment.profile_question, "a profile question"),
        ("answered", assessment.scored_question, "a scored question"),
        ("answered_not", assessment.scored_question, "a scored question"),
    )
    for key, find, kind in named:
        options: Mapping[str, Collection[str]] = getattr(condition, key, {})
        for question_id, option_ids in options.items():
            question = find(question_id)
            if question is None:
                yield (key, question_id), f"'{question_id}' is not {kind}"
                continue
            for option_id in option_ids:
                if question.option(option_id) is None:
                    yield (key, question_id), f"'{option_id}' is not an option of '{question_id}'"


def _check_step_finding(
    path: Path,
    data: Any,
    position: int,
    finding: WhyWords,
    finding_from: str | None,
    topic: Topic,
    seeds_dir: Path,
    lines: Sequence[str],
    problems: Problems,
) -> None:
    """A step's finding is cited in its topic's reports' names: it needs one, and its figures
    must be theirs."""
    reports = [seeds_dir / s.file for s in topic.sources if s.file is not None]
    if finding_from is not None:
        if finding_from not in {r.name for r in reports}:
            problems.add(
                path,
                line_of(data, ("steps", position, "finding_from")),
                f"'{finding_from}' is not a report topic '{topic.id}' cites",
            )
            return
        reports = [seeds_dir / finding_from]
    for lang in LANGS:
        loc = ("steps", position, "finding", lang)
        if not reports:
            problems.add(
                path,
                line_of(data, loc),
                f"a finding needs a report: topic '{topic.id}' rests on general practice alone",
            )
            return
        for line, message in unsupported_figures(
            lines, path, line_of(data, loc), finding.of(lang), reports
        ):
            problems.add(path, line, message)
