"""Slash commands and the menu, language and delete buttons."""

from __future__ import annotations

from collections.abc import Callable

from bot import LANGS, Lang, other_language
from bot.config import retention_days
from bot.engine import assessing, followup, waiting
from bot.engine.buttons import DeleteButton, LanguageButton, MenuButton
from bot.engine.mydata import mydata
from bot.engine.results import show_latest_plan
from bot.engine.turn import Replies, Turn, in_place
from bot.events import Choice, Forgotten

Handler = Callable[[Turn, str], Replies]


def _start_row(turn: Turn) -> tuple[Choice, ...]:
    """Continue the assessment under way, or start one."""
    current = turn.current()
    if current is not None:
        return (assessing.continue_button(turn, current),)
    return (turn.choice("start_assessment", MenuButton("assess")),)


def _ask_row(turn: Turn) -> tuple[Choice, ...]:
    return (turn.choice("ask", MenuButton("ask")),)


def start(turn: Turn, args: str) -> Replies:
    current = turn.current()
    number, total = assessing.position(turn, current) if current else (0, 0)
    has_plan = turn.repo.has_plan(turn.key)
    rows = [_start_row(turn)]
    if has_plan:
        rows.append((turn.choice("show_plan", MenuButton("plan")),))
    rows.append(_ask_row(turn))
    other = other_language(turn.lang)
    rows.append((turn.choice("other_language", LanguageButton(other)),))
    values = {"in_progress": current is not None, "number": number, "total": total}
    return [turn.message("welcome", choices=tuple(rows), has_plan=has_plan, **values)]


def help_(turn: Turn, args: str) -> Replies:
    current = turn.current()
    rows = (_start_row(turn), _ask_row(turn))
    return [turn.message("help", choices=rows, in_progress=current is not None)]


def assess(turn: Turn, args: str) -> Replies:
    return assessing.start_or_offer(turn)


def plan(turn: Turn, args: str) -> Replies:
    shown = show_latest_plan(turn)
    if shown:
        return shown
    current = turn.current()
    number, total = assessing.position(turn, current) if current else (0, 0)
    return [
        turn.message(
            "no_plan",
            choices=(_start_row(turn),),
            in_progress=current is not None,
            number=number,
            total=total,
        )
    ]


def _language_named(args: str) -> Lang | None:
    word = args.strip().casefold()
    names: dict[str, Lang] = {"en": "en", "english": "en", "fi": "fi", "suomi": "fi"}
    return names.get(word)


def language(turn: Turn, args: str) -> Replies:
    chosen = _language_named(args)
    if chosen is not None:
        return set_language(turn, chosen)
    rows = (
        (
            turn.choice("english", LanguageButton("en")),
            turn.choice("finnish", LanguageButton("fi")),
        ),
    )
    return [turn.message("language", choices=rows)]


def set_language(turn: Turn, lang: Lang) -> Replies:
    turn.use_language(lang)
    if turn.current() is None:  # the menu again, in the language just chosen
        return [turn.message("language_set"), *start(turn, "")]
    return [turn.message("language_set"), *waiting.reshow(turn)]


def delete(turn: Turn, args: str) -> Replies:
    if turn.repo.user(turn.key) is None:
        return [turn.message("mydata_empty")]
    code = turn.repo.ask_to_delete(turn.key)  # "yes" works once, for this confirmation only
    rows = (
        (
            turn.choice("delete_yes", DeleteButton("yes", code)),
            turn.choice("delete_no", DeleteButton("no")),
        ),
    )
    count = len(turn.repo.assessments(turn.key))
    return [turn.message("delete_confirm", choices=rows, assessments=count)]


def reset(turn: Turn, args: str) -> Replies:
    current = turn.current()
    if current is not None:
        turn.repo.abandon(current.id)
    rows = (_start_row(turn), _ask_row(turn))
    return [turn.message("reset", choices=rows, put_aside=current is not None)]


def _no_assessment(turn: Turn) -> Replies:
    has_plan = turn.repo.has_plan(turn.key)
    rows = [_start_row(turn)]
    if has_plan:
        rows.append((turn.choice("show_plan", MenuButton("plan")),))
    return [turn.message("no_assessment", choices=tuple(rows), has_plan=has_plan)]


def cancel(turn: Turn, args: str) -> Replies:
    current = turn.current()
    return _no_assessment(turn) if current is None else assessing.pause(turn, current)


def resume(turn: Turn, args: str) -> Replies:
    """/resume, "continue": the assessment where it was, or a check-in left half-answered."""
    current = turn.current()
    if current is not None:
        return assessing.resume(turn, current)
    return followup.reshow(turn) or _no_assessment(turn)


def ask_prompt(turn: Turn, args: str) -> Replies:
    return [turn.message("ask_prompt")]


def privacy(turn: Turn, args: str) -> Replies:
    """What is kept, why, for how long, and how to see and remove it (Telegram's bot terms)."""
    return [
        turn.message("privacy", retention_days=max(retention_days(), 0)),
        *waiting.reshow(turn),
    ]


COMMANDS: dict[str, Handler] = {
    "start": start,
    "help": help_,
    "assess": assess,
    "plan": plan,
    "language": language,
    "mydata": mydata,
    "privacy": privacy,
    "delete": delete,
    "reset": reset,
    "cancel": cancel,
    "pause": cancel,
    "resume": resume,
    "continue": resume,
    "ask": ask_prompt,
}
MENU: dict[str, Handler] = {
    "assess": assess,
    "ask": ask_prompt,
    "plan": plan,
    "help": help_,
    "language": language,
}


def on_command(turn: Turn, name: str, args: str) -> Replies:
    handler = COMMANDS.get(name.casefold().split("@")[0])
    if handler is None:
        # Unknown: say so kindly, then bring back the question so the user is never stuck.
        return [turn.message("unknown_command", command=name[:40]), *waiting.reshow(turn)]
    return handler(turn, args)


def on_menu(turn: Turn, button: MenuButton) -> Replies:
    handler = MENU.get(button.choice)
    return assessing.stale(turn) if handler is None else in_place(handler(turn, ""))


def on_language(turn: Turn, button: LanguageButton) -> Replies:
    for lang in LANGS:
        if button.lang == lang:
            return in_place(set_language(turn, lang))
    return assessing.stale(turn)


def on_delete(turn: Turn, button: DeleteButton) -> Replies:
    if button.answer == "no":
        if turn.repo.user(turn.key) is not None:
            turn.repo.cancel_delete(turn.key)  # the "yes" beside it is void now
        return in_place([turn.message("delete_cancelled"), *waiting.reshow(turn)])
    if button.answer != "yes" or not turn.repo.take_delete_code(turn.key, button.code or ""):
        return assessing.stale(turn)
    turn.repo.delete_user(turn.key)  # the goodbye is still in the language they used
    # Forgotten: the adapter removes what it keeps of the user (the terminal's files), and the
    # engine wipes the user's traces from the database's write-ahead log.
    return in_place([turn.message("deleted"), Forgotten()])
