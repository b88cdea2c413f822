"""Slash commands and the menu, language and delete buttons."""

from __future__ import annotations

from collections.abc import Callable

from bot import LANGS, Lang
from bot.engine import assessment_flow as flow
from bot.engine import buttons as kinds
from bot.engine.buttons import Token
from bot.engine.events import Choice, Forgotten
from bot.engine.mydata import mydata
from bot.engine.results import show_latest_plan
from bot.engine.turn import Out, Turn, in_place

Handler = Callable[[Turn, str], Out]


def _start_row(turn: Turn) -> tuple[Choice, ...]:
    """Continue the assessment under way, or start one."""
    current = turn.current()
    if current is not None:
        return (flow.continue_button(turn, current),)
    return (turn.choice("start_assessment", kinds.MENU, "assess"),)


def _ask_row(turn: Turn) -> tuple[Choice, ...]:
    return (turn.choice("ask", kinds.MENU, "ask"),)


def start(turn: Turn, args: str) -> Out:
    current = turn.current()
    number, total = flow.position(turn, current) if current else (0, 0)
    has_plan = turn.repo.latest_plan(turn.key) is not None
    rows = [_start_row(turn)]
    if has_plan:
        rows.append((turn.choice("show_plan", kinds.MENU, "plan"),))
    rows.append(_ask_row(turn))
    other: Lang = "en" if turn.lang == "fi" else "fi"
    rows.append((turn.choice("other_language", kinds.LANGUAGE, other),))
    values = {"in_progress": current is not None, "number": number, "total": total}
    return [turn.message("welcome", choices=tuple(rows), has_plan=has_plan, **values)]


def help_(turn: Turn, args: str) -> Out:
    current = turn.current()
    rows = (_start_row(turn), _ask_row(turn))
    return [turn.message("help", choices=rows, in_progress=current is not None)]


def assess(turn: Turn, args: str) -> Out:
    return flow.start_or_offer(turn)


def plan(turn: Turn, args: str) -> Out:
    shown = show_latest_plan(turn)
    if shown:
        return shown
    current = turn.current()
    number, total = flow.position(turn, current) if current else (0, 0)
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


def language(turn: Turn, args: str) -> Out:
    chosen = _language_named(args)
    if chosen is not None:
        return set_language(turn, chosen)
    rows = (
        (
            turn.choice("english", kinds.LANGUAGE, "en"),
            turn.choice("finnish", kinds.LANGUAGE, "fi"),
        ),
    )
    return [turn.message("language", choices=rows)]


def set_language(turn: Turn, lang: Lang) -> Out:
    turn.repo.set_language(turn.key, lang)
    turn.lang = lang
    turn.language_known = True
    if turn.current() is None:  # the menu again, in the language just chosen
        return [turn.message("language_set"), *start(turn, "")]
    return [turn.message("language_set"), *flow.reshow(turn)]


def delete(turn: Turn, args: str) -> Out:
    if turn.repo.user(turn.key) is None:
        return [turn.message("mydata_empty")]
    code = turn.repo.ask_to_delete(turn.key)  # "yes" works once, for this confirmation only
    rows = (
        (
            turn.choice("delete_yes", kinds.DELETE, "yes", code),
            turn.choice("delete_no", kinds.DELETE, "no"),
        ),
    )
    count = len(turn.repo.assessments(turn.key))
    return [turn.message("delete_confirm", choices=rows, assessments=count)]


def reset(turn: Turn, args: str) -> Out:
    current = turn.current()
    if current is not None:
        turn.repo.abandon(current.id)
        turn.refresh()
    rows = (_start_row(turn), _ask_row(turn))
    return [turn.message("reset", choices=rows, put_aside=current is not None)]


def _no_assessment(turn: Turn) -> Out:
    has_plan = turn.repo.latest_plan(turn.key) is not None
    rows = [_start_row(turn)]
    if has_plan:
        rows.append((turn.choice("show_plan", kinds.MENU, "plan"),))
    return [turn.message("no_assessment", choices=tuple(rows), has_plan=has_plan)]


def cancel(turn: Turn, args: str) -> Out:
    current = turn.current()
    return _no_assessment(turn) if current is None else flow.pause(turn, current)


def resume(turn: Turn, args: str) -> Out:
    current = turn.current()
    return _no_assessment(turn) if current is None else flow.resume(turn, current)


def ask(turn: Turn, args: str) -> Out:
    return [turn.message("ask_prompt")]


COMMANDS: dict[str, Handler] = {
    "start": start,
    "help": help_,
    "assess": assess,
    "plan": plan,
    "language": language,
    "mydata": mydata,
    "delete": delete,
    "reset": reset,
    "cancel": cancel,
    "pause": cancel,
    "resume": resume,
    "continue": resume,
    "ask": ask,
}
MENU: dict[str, Handler] = {
    "assess": assess,
    "ask": ask,
    "plan": plan,
    "help": help_,
    "language": language,
}


def on_command(turn: Turn, name: str, args: str) -> Out:
    handler = COMMANDS.get(name.casefold().split("@")[0])
    if handler is None:
        # Unknown: say so kindly, then bring back the question so the user is never stuck.
        return [turn.message("unknown_command", command=name[:40]), *flow.reshow(turn)]
    return handler(turn, args)


def on_menu(turn: Turn, token: Token) -> Out:
    handler = MENU.get(token.field(0) or "")
    return flow.stale(turn) if handler is None else in_place(handler(turn, ""))


def on_language(turn: Turn, token: Token) -> Out:
    chosen = token.field(0)
    for lang in LANGS:
        if chosen == lang:
            return in_place(set_language(turn, lang))
    return flow.stale(turn)


def on_delete(turn: Turn, token: Token) -> Out:
    answer = token.field(0)
    if answer == "no":
        if turn.repo.user(turn.key) is not None:
            turn.repo.cancel_delete(turn.key)  # the "yes" beside it is void now
        return in_place([turn.message("delete_cancelled"), *flow.reshow(turn)])
    if answer != "yes" or not turn.repo.take_delete_code(turn.key, token.field(1) or ""):
        return flow.stale(turn)
    lang = turn.lang
    turn.repo.delete_user(turn.key)
    turn.refresh()
    turn.lang = lang  # say goodbye in the language they used
    # Forgotten: the adapter removes what it keeps of the user (the terminal's files), and the
    # engine wipes the user's traces from the database's write-ahead log.
    return in_place([turn.message("deleted"), Forgotten()])
