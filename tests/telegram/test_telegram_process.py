"""`python -m bot telegram` as a real process: killed mid-assessment, restarted, and as a webhook.

The fake Bot API runs in the test; the bot is a separate process that reaches it through
TELEGRAM_BASE_URL, exactly as it would reach a local Bot API server.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

import aiohttp

from bot.config import PROJECT_ROOT
from bot.engine.buttons import AnswerButton, DoneButton, MenuButton
from bot.engine.steps import Steps
from tests.companies import CAFE
from tests.telegram.fake_api import TOKEN, FakeTelegram, SentMessage
from tests.telegram.harness import parse_token

USER = 4711
WAIT = 30.0  # a fresh process imports and loads the knowledge base first
PRIVATE_WORDS = "my-secret-cafe-question about Instagram"  # must never reach the log


def bot_env(server: FakeTelegram, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=server.base_url, TELEGRAM_RATE_LIMIT="0")
    env.update(extra)
    return env


@asynccontextmanager
async def bot_process(
    env: dict[str, str], db: Path, log: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    with log.open("ab") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "telegram", "--db", str(db),
            cwd=PROJECT_ROOT, env=env, stdout=stderr, stderr=stderr,
        )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def question_on_screen(server: FakeTelegram) -> SentMessage | None:
    for message in reversed(server.chats[USER]):
        if any(parse_token(d)[0] == AnswerButton.KIND for d in message.data()):
            return message
    return None


def number(message: SentMessage) -> int:
    """The question number in the bold "Question 5/26" heading."""
    found = re.search(r"<b>[^<]*?(\d+)/\d+</b>", message.html)
    return int(found.group(1)) if found else 0


async def press(server: FakeTelegram, message: SentMessage, data: str) -> None:
    await server.push(server.press_update(USER, message, data))


async def until(server: FakeTelegram, condition: Callable[[], bool]) -> None:
    await server.wait_for(condition, WAIT)


def edited_since(message: SentMessage, edits: int) -> bool:
    return message.edits > edits


async def answer_current(server: FakeTelegram, steps: Steps) -> int:
    """Press the café's answer to the question on screen; wait for the next; return its number."""
    question = question_on_screen(server)
    assert question is not None
    at = number(question)
    first = next(parse_token(d) for d in question.data() if parse_token(d)[0] == AnswerButton.KIND)
    step = steps.by_token(first[1][1])
    assert step is not None
    for option in CAFE[step.key]:
        data = next(d for d in question.data() if parse_token(d)[1][2:3] == [option])
        await press(server, question, data)
        edits = question.edits
        await until(server, partial(edited_since, question, edits))
    if step.multi:
        await press(
            server, question, next(d for d in question.data() if d.startswith(DoneButton.KIND))
        )
    await until(server, lambda: number(question) == at + 1)
    return at + 1


async def test_killed_mid_assessment_the_bot_resumes_at_the_same_question(
    server: FakeTelegram, tmp_path: Path
) -> None:
    from bot.app import build_adviser

    adviser = build_adviser(tmp_path / "probe.sqlite3")
    steps = Steps(adviser.knowledge.assessment)
    adviser.close()
    db, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    env = bot_env(server)

    async with bot_process(env, db, log) as first:
        await server.push(server.message_update(USER, "/start"))
        await until(server, lambda: bool(server.chats[USER]))
        welcome = server.chats[USER][-1]
        assess = next(d for d in welcome.data() if parse_token(d) == (MenuButton.KIND, ["assess"]))
        await press(server, welcome, assess)
        await until(server, lambda: question_on_screen(server) is not None)
        for _ in range(2):
            at = await answer_current(server, steps)
        await server.push(server.message_update(USER, PRIVATE_WORDS))
        sent = len(server.chats[USER])
        await until(server, lambda: len(server.chats[USER]) >= sent + 1)  # answer and question
        # Once the bot has fetched and confirmed every update, kill it without warning.
        await until(server, lambda: server.unconfirmed == 0)
        first.send_signal(signal.SIGKILL)
        await first.wait()

    question = question_on_screen(server)
    assert question is not None and number(question) == at

    async with bot_process(env, db, log) as second:
        # The question from before the kill still works, and the next one follows it.
        at = await answer_current(server, steps)
        await server.push(server.message_update(USER, "/start"))
        sent = len(server.chats[USER])
        await until(server, lambda: len(server.chats[USER]) > sent)
        labels = [b["text"] for b in server.chats[USER][-1].buttons]
        total = len(steps.all)  # the profile is not complete yet: every question may come
        assert any(f"({at}/{total})" in label for label in labels), labels
        second.send_signal(signal.SIGTERM)  # docker stop: a clean shutdown
        assert await asyncio.wait_for(second.wait(), WAIT) == 0

    logged = log.read_text(encoding="utf-8")
    assert "started" in logged and "stopped" in logged
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged
    assert PRIVATE_WORDS not in logged and "my-secret" not in logged


async def test_webhook_mode_takes_updates_only_with_the_secret(
    server: FakeTelegram, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secret = "test-secret_123"
    env = bot_env(
        server,
        TELEGRAM_WEBHOOK_URL=f"https://bot.example.com/tg/{port}",
        TELEGRAM_WEBHOOK_PORT=str(port),
        TELEGRAM_WEBHOOK_SECRET=secret,
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
    )
    log = tmp_path / "bot.log"
    logged_at_set_webhook: list[str] = []
    server.observers.append(
        lambda call: (
            logged_at_set_webhook.append(log.read_text(encoding="utf-8"))
            if call.method == "setWebhook"
            else None
        )
    )
    async with bot_process(env, tmp_path / "bot.sqlite3", log) as process:
        await until(server, lambda: server.webhook is not None)
        assert server.webhook is not None
        assert server.webhook["url"] == f"https://bot.example.com/tg/{port}"
        assert server.webhook["secret_token"] == secret
        url = f"http://127.0.0.1:{port}/tg/{port}"
        update = {"update_id": 1, **server.message_update(USER, "/start")}
        async with aiohttp.ClientSession() as http:
            for _ in range(100):  # the listener may open a moment after setWebhook
                try:
                    async with http.post(url, json=update, headers={}) as refused:
                        assert refused.status == 403  # no secret: not from Telegram
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            assert not server.chats[USER]
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
            async with http.post(url, json=update, headers=headers) as accepted:
                assert accepted.status == 200
            await until(server, lambda: bool(server.chats[USER]))
            # Telegram retries a webhook it thinks failed: the same update is applied once.
            async with http.post(url, json=update, headers=headers) as retried:
                assert retried.status == 200
            await until(server, lambda: bool(server.calls_to("sendMessage", USER)))
            await asyncio.sleep(1.0)
        assert [m.kind for m in server.chats[USER]] == ["text"]
        assert server.chats[USER][-1].keyboard  # the welcome, with its buttons
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), WAIT) == 0
    # "started" is logged once the webhook is set, not before.
    assert logged_at_set_webhook and "started" not in logged_at_set_webhook[0]
    assert "started (webhook" in log.read_text(encoding="utf-8")


async def test_without_a_token_it_says_how_to_get_one_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "telegram", "--db", str(tmp_path / "x.sqlite3"),
        cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "@BotFather" in lines[0] and "TELEGRAM_BOT_TOKEN" in lines[0]
    assert not out
    assert not (tmp_path / "x.sqlite3").exists()


async def test_a_token_telegram_refuses_is_said_in_one_line(
    server: FakeTelegram, tmp_path: Path
) -> None:
    # The fake answers 401 to any other token, as Telegram does.
    env = bot_env(server, TELEGRAM_BOT_TOKEN="999:not-the-token")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "telegram", "--db", str(tmp_path / "x.sqlite3"),
        cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), WAIT)
    assert process.returncode == 1
    last = err.decode().strip().splitlines()[-1]
    assert last.startswith("telegram: Telegram does not accept TELEGRAM_BOT_TOKEN"), last
    assert "not-the-token" not in err.decode()  # the token is never printed
