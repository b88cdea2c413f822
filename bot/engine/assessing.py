"""The self-assessment: showing the current question and acting on answer, back, pause and resume.

Every press names the assessment and the step it was shown for. It applies only when that step
is still the user's current one; otherwise it is stale and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.buttons import (
    AnswerButton,
    BackButton,
    DoneButton,
    KeepRestButton,
    PauseButton,
    RestartButton,
    ResumeButton,
    StartButton,
)
from bot.engine.results import complete
from bot.engine.steps import Step
from bot.engine.turn import Replies, Turn, in_place
from bot.events import Choice, Message
from bot.store.repository import AnswerRow, AssessmentRow


def position(turn: Turn, assessment: AssessmentRow) -> tuple[int, int]:
    """(number of the current question, how many there are) for "Question 5/16"."""
    steps = turn.services.steps
    answers = turn.repo.answers(assessment.id)
    step = steps.current(answers)
    if step is None:
        total = len(steps.asked(answers))
        return total, total
    return steps.number(step, answers)


def question_message(
    turn: Turn,
    assessment: AssessmentRow,
    step: Step,
    answers: Mapping[str, AnswerRow],
    *,
    replaces: bool = False,
    intro: bool = False,
) -> Message:
    steps = turn.services.steps
    lang = turn.lang
    number, total = steps.number(step, answers)
    row = answers.get(step.key)
    chosen = row.choices if row else ()
    rows: list[tuple[Choice, ...]] = []
    for option in step.options:
        label = option.label.of(lang)
        if option.id in chosen:
            label = turn.label("selected", label=label)
        # A multi-choice option says what pressing it does, so that a double tap selects once.
        select = option.id not in chosen if step.multi else None
        button = AnswerButton(assessment.id, step.token_id, option.id, select)
        rows.append((turn.choice_labelled(label, button),))
    if step.multi:
        rows.append((turn.choice("done", DoneButton(assessment.id, step.token_id)),))
    if _from_earlier(assessment, answers, step):
        rows.append((turn.choice("keep_rest", KeepRestButton(assessment.id)),))
    navigation = []
    if number > 1:
        navigation.append(turn.choice("back", BackButton(assessment.id, step.token_id)))
    navigation.append(turn.choice("pause", PauseButton(assessment.id)))
    rows.append(tuple(navigation))

    by_id = {o.id: o.label.of(lang) for o in step.options}
    # The assessment's introduction comes once, with its first question, not at every reshow.
    intro_text = turn.services.knowledge.assessment.intro.of(lang) if intro else None
    values = {
        "step": step.key,  # which step this is; the templates show only its number
        "number": number,
        "total": total,
        "text": step.text.of(lang),
        "section": step.section,
        "dimension": step.dimension.name.of(lang) if step.dimension else None,
        "intro": intro_text,
        "multi": step.multi,
        "selected": [by_id[c] for c in chosen if c in by_id] if step.multi else [],
        "earlier": by_id.get(chosen[0]) if chosen and not step.multi else None,
    }
    return Message(lang, "question", values, tuple(rows), replaces_pressed=replaces)


def _from_earlier(assessment: AssessmentRow, answers: Mapping[str, AnswerRow], step: Step) -> bool:
    """Whether earlier answers, beyond this step's, wait to be kept or changed."""
    return assessment.started_from is not None and any(
        not row.final and key != step.key for key, row in answers.items()
    )


def _where(turn: Turn) -> tuple[AssessmentRow, dict[str, AnswerRow], Step | None] | None:
    """The assessment in progress, its answers, and the step the user is at (None: all done)."""
    assessment = turn.current()
    if assessment is None:
        return None
    answers = turn.repo.answers(assessment.id)
    return assessment, answers, turn.services.steps.current(answers)


def show_current(turn: Turn, *, replaces: bool = False, intro: bool = False) -> Replies:
    """The question the user is at (or the results, if every step has somehow been answered)."""
    where = _where(turn)
    if where is None:
        return []
    assessment, answers, step = where
    if step is None:
        return complete(turn, assessment, answers, replaces=replaces)
    return [question_message(turn, assessment, step, answers, replaces=replaces, intro=intro)]


def reshow(turn: Turn) -> Replies:
    """After a side trip (a question, bad input), bring back the current question, unless paused."""
    assessment = turn.current()
    if assessment is None or assessment.paused:
        return []
    return show_current(turn)


def help_with_question(turn: Turn) -> Replies:
    """ "I don't know", "why do you ask?" at a question: what it is for, that a rough answer is
    fine, and the question again. Nothing is stored."""
    where = _where(turn)
    if where is None:
        return []
    _, answers, step = where
    if step is None:
        return show_current(turn)
    dimension = step.dimension.name.of(turn.lang) if step.dimension else None
    first = turn.services.steps.number(step, answers)[0] == 1
    help_message = turn.message(
        "question_help", section=step.section, dimension=dimension, can_go_back=not first
    )
    return [help_message, *show_current(turn)]


def continue_button(turn: Turn, assessment: AssessmentRow) -> Choice:
    number, total = position(turn, assessment)
    return turn.choice("continue", ResumeButton(assessment.id), number=number, total=total)


def start_or_offer(turn: Turn) -> Replies:
    """/assess: the choice to continue or start over if one is under way; after an earlier
    assessment, the choice to start from its answers; else a new assessment."""
    current = turn.current()
    if current is not None:
        number, total = position(turn, current)
        restart = turn.choice("start_over", RestartButton(current.id))
        rows = ((continue_button(turn, current), restart),)
        return [turn.message("assess_in_progress", choices=rows, number=number, total=total)]
    earlier = turn.repo.latest_plan(turn.key)
    if earlier is None:
        return _start_new(turn)
    starts = (
        (turn.choice("from_earlier", StartButton(earlier.assessment_id)),),
        (turn.choice("afresh", StartButton(0)),),
    )
    return [turn.message("assess_again", choices=starts, date=earlier.created[:10])]


def on_start(turn: Turn, button: StartButton) -> Replies:
    """Start afresh, or from the answers of the latest assessment, if the button still says so."""
    if turn.current() is not None:
        return stale(turn)
    if button.earlier == 0:
        return _start_new(turn, replaces=True)
    earlier = turn.repo.latest_plan(turn.key)
    if earlier is None or earlier.assessment_id != button.earlier:
        return stale(turn)
    return _start_new(turn, replaces=True, earlier=earlier.assessment_id)


def _start_new(turn: Turn, *, replaces: bool = False, earlier: int | None = None) -> Replies:
    turn.ensure_user()
    started = turn.repo.start_assessment(turn.key)
    if earlier is not None:
        turn.repo.copy_answers(earlier, started.id)
    return show_current(turn, replaces=replaces, intro=True)


def on_keep_rest(turn: Turn, button: KeepRestButton) -> Replies:
    """Confirm the earlier answers one step after another, as if each were tapped again, up to
    a question without a usable earlier answer (a new question, or one whose options changed)."""
    assessment = _current_if(turn, button.assessment)
    if assessment is None:
        return stale(turn)
    steps = turn.services.steps
    answers = turn.repo.answers(assessment.id)
    step = steps.current(answers)
    if step is None or not _from_earlier(assessment, answers, step):
        return stale(turn)
    while step is not None:
        row = answers.get(step.key)
        kept = tuple(c for c in row.choices if step.option(c)) if row else ()
        if not kept or (not step.multi and len(kept) != 1):
            break
        turn.repo.put_answer(assessment.id, step.key, kept, final=True)
        answers = turn.repo.answers(assessment.id)
        step = steps.current(answers)
    return resume(turn, assessment, replaces=True)


def stale(turn: Turn) -> Replies:
    """A press that no longer applies (a double tap, an old message): a notice on the button,
    nothing changed. The question the user is at is already on their screen."""
    assessment = turn.current()
    active = assessment is not None and not assessment.paused
    return [turn.notice("stale_button", in_progress=active)]


def _pressed_step(
    turn: Turn, button: AnswerButton | DoneButton | BackButton
) -> tuple[AssessmentRow, Step, dict[str, AnswerRow]] | None:
    """The assessment and step a press is for, if that step is still the current one."""
    assessment = _current_if(turn, button.assessment)
    if assessment is None:
        return None
    answers = turn.repo.answers(assessment.id)
    step = turn.services.steps.current(answers)
    if step is None or button.step != step.token_id:
        return None
    return assessment, step, answers


def on_answer(turn: Turn, button: AnswerButton) -> Replies:
    pressed = _pressed_step(turn, button)
    option = pressed[1].option(button.option) if pressed else None
    if pressed is None or option is None:
        return stale(turn)
    assessment, step, answers = pressed
    if assessment.paused:
        turn.repo.set_paused(assessment.id, False)  # answering a shown question resumes
    if step.multi:
        row = answers.get(step.key)
        chosen = row.choices if row else ()
        # A token from before buttons said select or unselect means: the other way round.
        select = option.id not in chosen if button.select is None else button.select
        if select == (option.id in chosen):  # already as asked: a double tap
            return [turn.notice("already_selected" if select else "already_unselected")]
        ordered = step.select(chosen, option) if select else step.unselect(chosen, option)
        turn.repo.put_answer(assessment.id, step.key, ordered, final=False)
        answers = turn.repo.answers(assessment.id)
        return [question_message(turn, assessment, step, answers, replaces=True)]
    turn.repo.put_answer(assessment.id, step.key, (option.id,), final=True)
    return show_current(turn, replaces=True)


def on_done(turn: Turn, button: DoneButton) -> Replies:
    pressed = _pressed_step(turn, button)
    if pressed is None or not pressed[1].multi:
        return stale(turn)
    assessment, step, answers = pressed
    row = answers.get(step.key)
    if row is None or not row.choices:
        message = turn.message("choose_at_least_one")
        return [message, question_message(turn, assessment, step, answers)]
    turn.repo.put_answer(assessment.id, step.key, row.choices, final=True)
    return resume(turn, assessment, replaces=True)


def on_back(turn: Turn, button: BackButton) -> Replies:
    pressed = _pressed_step(turn, button)
    previous = turn.services.steps.previous(pressed[1], pressed[2]) if pressed else None
    if pressed is None or previous is None:
        return stale(turn)
    assessment = pressed[0]
    turn.repo.reopen(assessment.id, previous.key)
    return resume(turn, assessment, replaces=True)


def _current_if(turn: Turn, assessment_id: int) -> AssessmentRow | None:
    """The assessment in progress, if it is the one the button was shown for."""
    assessment = turn.current()
    return assessment if assessment is not None and assessment.id == assessment_id else None


def pause(turn: Turn, assessment: AssessmentRow) -> Replies:
    if not assessment.paused:
        turn.repo.set_paused(assessment.id, True)
    number, total = position(turn, assessment)
    rows = ((continue_button(turn, assessment),),)
    return [turn.message("paused", choices=rows, number=number, total=total)]


def resume(turn: Turn, assessment: AssessmentRow, *, replaces: bool = False) -> Replies:
    """Unpause if paused, and show where the assessment now stands (read afresh)."""
    if assessment.paused:
        turn.repo.set_paused(assessment.id, False)
    return show_current(turn, replaces=replaces)


def on_pause(turn: Turn, button: PauseButton) -> Replies:
    assessment = _current_if(turn, button.assessment)
    return stale(turn) if assessment is None else in_place(pause(turn, assessment))


def on_resume(turn: Turn, button: ResumeButton) -> Replies:
    assessment = _current_if(turn, button.assessment)
    return stale(turn) if assessment is None else resume(turn, assessment, replaces=True)


def on_restart(turn: Turn, button: RestartButton) -> Replies:
    assessment = _current_if(turn, button.assessment)
    if assessment is None:
        return stale(turn)
    turn.repo.abandon(assessment.id)  # kept as history, as /mydata shows
    return _start_new(turn, replaces=True)
