"""Benchmark: the Telegram bot against the fake Bot API, beside a bare python-telegram-bot echo bot.

    .venv/bin/python -m bench.bench_telegram [--users 50] [--seconds 10] [--rounds 3] [--rate 30]
                                             [--stored 10000] [--active 10000] [--quick]

Each bot runs as its own process (`python -m bot telegram`, or the echo bot below) and polls the
fake Bot API (tests/telegram/fake_api.py) in this process through TELEGRAM_BASE_URL, as it would
poll a local Bot API server. `--users` simulated people talk to it at once, each waiting for the
reply to one update before sending the next, as people do.

Measured, each workload beside the echo bot making the same API calls:
- questions: free-text questions; the adviser answers each from the knowledge base, the echo
  bot sends the text back (one message each);
- answers: button presses through the self-assessment, starting afresh before the last
  question (no plan); the echo bot answers each press and edits the message (the same calls);
- whole assessments: every question to the plan, radar chart and plan document (no echo
  equivalent: a chart is work the echo bot never does);
each with the API answering at once (a local Bot API server; the bot's CPU is the limit) and
with `--api-delay` per request (a round trip to api.telegram.org). Then, with the rate limiter
on (`--rate`) against a fake that enforces that rate with 429s as Telegram does: messages
delivered a second, 429s retried, updates left without a reply. Last, memory: the bot's peak
resident size, with `--stored` users in its database, after `--active` distinct Telegram users
have each sent /start and a question.

Goals (issue 4): with the limiter off at least 80% of the echo bot's throughput; with it on at
least 90% of the configured rate, nothing lost; under 200 MB with 10,000 stored users.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.stats import percentile
from bot.app import build_adviser
from bot.config import PROJECT_ROOT, Paths
from bot.content.loader import Knowledge, load_knowledge
from bot.engine.buttons import AnswerButton, CheckinOfferButton, DoneButton
from bot.engine.steps import Steps
from tests.companies import COMPANIES, Answers
from tests.telegram.fake_api import TOKEN, Call, FakeTelegram, SentMessage

CONTENT = frozenset({"sendMessage", "editMessageText", "sendPhoto", "sendDocument"})
RATED = frozenset(CONTENT | {"editMessageReplyMarkup", "sendChatAction"})
TROUBLE = 99  # the chat in trouble in the fault runs
REPLY_TIMEOUT = 120.0  # seconds; a reply this late counts as lost (the run fails)


# --- the bots under test ---------------------------------------------------------------------------


def run_echo_bot(same_pool: bool) -> None:
    """A bare python-telegram-bot bot: echo texts, answer presses by editing the message.

    `same_pool`: with the adviser's HTTP connection pool instead of the library's default.
    """
    from telegram import Update
    from telegram.ext import (
        Application,
        CallbackQueryHandler,
        ContextTypes,
        MessageHandler,
        filters,
    )

    from bot.telegram.app import CONCURRENT_UPDATES, CONNECTIONS

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        assert message is not None and message.text is not None
        await context.bot.send_message(message.chat.id, message.text)

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        await query.answer()
        await query.edit_message_text(query.data)

    builder = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .concurrent_updates(CONCURRENT_UPDATES)  # the same as the adviser's
        .job_queue(None)
    )
    if same_pool:
        builder = builder.connection_pool_size(CONNECTIONS).pool_timeout(15.0)
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(press))
    app.run_polling()


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory so far (Linux's VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.terminate()
        return await asyncio.wait_for(self.process.wait(), 30)


async def start_bot(
    kind: str, server: FakeTelegram, db: Path, rate: float, log: Path
) -> BotProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=server.base_url,
        TELEGRAM_RATE_LIMIT=f"{rate:g}",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    if kind.startswith("echo"):
        command = [sys.executable, "-m", "bench.bench_telegram", f"--{kind}-bot"]
    else:
        command = [sys.executable, "-m", "bot", "telegram", "--db", str(db)]
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out
        )
    await server.wait_for(lambda: server.polls > 0, 60)  # polling: ready
    return BotProcess(process)


# --- the simulated people ---------------------------------------------------------------------------


class Replies:
    """Per chat, a future for the next reply, resolved when the fake API sees it."""

    def __init__(self, server: FakeTelegram) -> None:
        self.server = server
        self._waiting: dict[int, tuple[frozenset[str], asyncio.Future[float]]] = {}
        self.exchanged = 0  # updates handed to the bot
        self.answered = 0  # ... and replied to
        server.observers.append(self._observe)

    def _observe(self, call: Call) -> None:
        chat = call.chat_id
        if chat is None or call.status != 200 or chat not in self._waiting:
            return
        methods, future = self._waiting[chat]
        if call.method in methods and not future.done():
            del self._waiting[chat]
            future.set_result(call.at)

    async def exchange(
        self, chat: int, update: dict[str, Any], methods: frozenset[str] = CONTENT
    ) -> float:
        """Hand the bot an update; the seconds until its first reply of these kinds arrives."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[chat] = (methods, future)
        sent = time.monotonic()
        self.exchanged += 1
        await self.server.push(update)
        replied = await asyncio.wait_for(future, REPLY_TIMEOUT)
        self.answered += 1
        return replied - sent

    async def wait(self, chat: int, methods: frozenset[str]) -> None:
        """Until the next reply of these kinds (the plan document after the last answer)."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[chat] = (methods, future)
        await asyncio.wait_for(future, REPLY_TIMEOUT)


@dataclass
class Clock:
    """A warm-up, then the measured window; people start no new update once it has closed."""

    warmup_end: float
    end: float

    def measuring(self) -> bool:
        return self.warmup_end <= time.monotonic() < self.end

    def running(self) -> bool:
        return time.monotonic() < self.end


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    window: tuple[float, float] = (0.0, 0.0)  # the measured seconds, monotonic clock
    plans: int = 0
    assessments: list[float] = field(default_factory=list)  # seconds from /assess to the plan

    @property
    def seconds(self) -> float:
        return self.window[1] - self.window[0]

    def record(self, clock: Clock, latency: Awaitable[float]) -> Awaitable[None]:
        measuring = clock.measuring()

        async def wait() -> None:
            value = await latency
            if measuring:
                self.latencies.append(value)

        return wait()

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


Person = Callable[[int, Clock], Awaitable[None]]


async def crowd(users: int, seconds: float, warmup: float, person: Person, tally: Tally) -> None:
    start = time.monotonic()
    clock = Clock(start + warmup, start + warmup + seconds)
    tally.window = (clock.warmup_end, clock.end)
    await asyncio.gather(*(person(1 + n, clock) for n in range(users)))


def asking(server: FakeTelegram, replies: Replies, questions: list[str], tally: Tally) -> Person:
    async def person(user: int, clock: Clock) -> None:
        n = user
        while clock.running():
            text = questions[n % len(questions)]
            n += 7
            await tally.record(clock, replies.exchange(user, server.message_update(user, text)))

    return person


def pressing(server: FakeTelegram, replies: Replies, tally: Tally) -> Person:
    """For the echo bot: presses on a message with a button, each answered by an edit."""

    async def person(user: int, clock: Clock) -> None:
        message = SentMessage(1_000_000 + user, user, "text", "press me")
        server.chats[user].append(message)
        n = 0
        while clock.running():
            n += 1
            update = server.press_update(user, message, f"pressed {n}")
            await tally.record(clock, replies.exchange(user, update))

    return person


def _presses(data: list[str], step_key: str, multi: bool, answers: Answers) -> list[str]:
    """The button data to press for this firm's answer (then "Done" on a multi-choice)."""
    chosen = [
        next(d for d in data if d.rpartition("~")[0].split(".")[3:4] == [option])
        for option in answers[step_key]
    ]
    if multi:
        chosen.append(next(d for d in data if d.startswith(DoneButton.KIND + ".")))
    return chosen


def _offered(server: FakeTelegram, user: int) -> bool:
    """The check-in offer (the last message after a plan) is the chat's latest message."""
    chat = server.chats.get(user) or []
    return bool(chat) and any(d.startswith(CheckinOfferButton.KIND + ".") for d in chat[-1].data())


def _is_last(question: SentMessage) -> bool:
    """Is this the last question ("Question 27/27")? How many come depends on the answers."""
    heading = re.search(r"(\d+)/(\d+)", question.text.split("\n", 1)[0])
    return heading is not None and heading.group(1) == heading.group(2)


def assessing(
    server: FakeTelegram, replies: Replies, steps: Steps, tally: Tally, *, to_the_plan: bool
) -> Person:
    """Self-assessments back to back, answered as the three test firms would, in turn.

    `to_the_plan`: answer the last question too (plan, chart and document); otherwise start
    afresh (/reset, /assess) when the last question comes up.
    """
    firms = list(COMPANIES.values())

    async def person(user: int, clock: Clock) -> None:
        round_ = user
        await tally.record(clock, replies.exchange(user, server.message_update(user, "/assess")))
        while clock.running():
            answers = firms[round_ % len(firms)]
            round_ += 1
            began = time.monotonic()
            question = server.latest_with_buttons(user)
            while question is not None and clock.running():
                data = question.data()
                first = next((d for d in data if d.startswith(AnswerButton.KIND + ".")), None)
                if first is None:
                    break
                step = steps.by_token(first.rpartition("~")[0].split(".")[2])
                assert step is not None
                last = _is_last(question)
                if last and not to_the_plan:
                    break
                for press in _presses(data, step.key, step.multi, answers):
                    update = server.press_update(user, question, press)
                    await tally.record(clock, replies.exchange(user, update))
                if last:
                    # The plan's chart and file, then the offer of check-ins: the last message.
                    await server.wait_for(lambda: _offered(server, user), REPLY_TIMEOUT)
                    if clock.measuring():
                        tally.plans += 1
                        tally.assessments.append(time.monotonic() - began)
                    break
                question = server.latest_with_buttons(user)
            for command in ("/reset", "/assess") if not to_the_plan else ("/assess",):
                update = server.message_update(user, command)
                await tally.record(clock, replies.exchange(user, update))

    return person


def talking(server: FakeTelegram, replies: Replies, questions: list[str], tally: Tally) -> Person:
    """An assessment with a question in free text between presses, as people talk: the answer
    comes with the question beneath it (the reply that used to cost a second request)."""

    async def person(user: int, clock: Clock) -> None:
        n = user
        await tally.record(clock, replies.exchange(user, server.message_update(user, "/assess")))
        while clock.running():
            question = server.latest_with_buttons(user)
            data = question.data() if question is not None else []
            first = next((d for d in data if d.startswith(AnswerButton.KIND + ".")), None)
            if question is None or first is None:
                for command in ("/reset", "/assess"):
                    update = server.message_update(user, command)
                    await tally.record(clock, replies.exchange(user, update))
                continue
            text = questions[n % len(questions)]
            n += 7
            await tally.record(clock, replies.exchange(user, server.message_update(user, text)))
            question = server.latest_with_buttons(user)
            assert question is not None
            update = server.press_update(user, question, first)
            await tally.record(clock, replies.exchange(user, update))

    return person


# --- the database --------------------------------------------------------------------------------------


def fill(db: Path, count: int) -> None:
    """`count` users with a finished assessment and its plan each, as a bot in use would have.

    The engine benchmark's filler, so that the rows are exactly what the engine writes.
    """
    from bench.bench_engine import fill as fill_stored

    adviser = build_adviser(db)
    try:
        fill_stored(adviser.store, adviser.engine, adviser.knowledge, count)
    finally:
        adviser.close()


# --- runs ------------------------------------------------------------------------------------------------


def merged(tallies: list[Tally]) -> Tally:
    """Several runs as one: every latency, and their measured seconds end to end."""
    seconds = sum(t.seconds for t in tallies)
    latencies = [value for t in tallies for value in t.latencies]
    assessments = [value for t in tallies for value in t.assessments]
    return Tally(latencies, (0.0, seconds), sum(t.plans for t in tallies), assessments)


def report(name: str, tally: Tally) -> str:
    lat = tally.latencies
    plans = ""
    if tally.assessments:
        plans = (
            f"; {tally.plans} plans, an assessment {statistics.median(tally.assessments):.1f} s"
            " from /assess to the plan (median)"
        )
    return (
        f"  {name:<48} {tally.rate:7.1f} updates/s   latency median "
        f"{statistics.median(lat) * 1000:6.1f} ms, p99 {percentile(lat, 99) * 1000:7.1f} ms{plans}"
    )


@dataclass
class Run:
    args: argparse.Namespace
    work: Path
    knowledge: Knowledge
    questions: list[str]
    peaks: dict[str, float] = field(default_factory=dict)  # the adviser's peak MB, by run

    async def measure(
        self,
        kind: str,
        workload: str,
        *,
        delay: float = 0.0,
        rate: float = 0.0,
        enforced: float | None = None,
        seconds: float | None = None,
    ) -> tuple[Tally, FakeTelegram, Replies]:
        """One bot, one workload; `rate` the bot's limit, `enforced` the API's (default: the same)."""
        server = await FakeTelegram(max_poll_seconds=10, delay=delay).start()
        enforced = rate if enforced is None else enforced
        if enforced:
            # A second's worth at once, then `enforced` a second: Telegram's limit, as documented.
            server.enforce_rate(enforced, burst=enforced)
        db = self.work / "run.sqlite3"
        shutil.copy(self.work / "stored.sqlite3", db)
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        bot = await start_bot(kind, server, db, rate, self.work / "bots.log")
        replies, tally = Replies(server), Tally()
        steps = Steps(self.knowledge.assessment)
        if workload == "questions":
            person = asking(server, replies, self.questions, tally)
        elif workload == "talking":
            person = talking(server, replies, self.questions, tally)
        elif kind.startswith("echo"):
            person = pressing(server, replies, tally)
        else:
            person = assessing(server, replies, steps, tally, to_the_plan=workload == "plans")
        try:
            measured = seconds or self.args.seconds
            await crowd(self.args.users, measured, self.args.warmup, person, tally)
        finally:
            if kind == "adviser":
                self.peaks[f"{workload}, {delay * 1000:.0f} ms, limit {rate:g}"] = bot.peak_rss_mb()
            await bot.stop()
            await server.stop()
        return tally, server, replies

    async def versus_echo(self, workload: str, delay: float) -> None:
        """Each bot `--rounds` times, taking turns: these shared machines drift by a quarter
        between runs, so one run of each would compare the machine's moods, not the bots."""
        kinds = ["echo", "echo-same-pool", "adviser"]
        runs: dict[str, list[Tally]] = {kind: [] for kind in kinds}
        for round_ in range(self.args.rounds):
            for kind in kinds[round_ % 3 :] + kinds[: round_ % 3]:
                tally, _, _ = await self.measure(kind, workload, delay=delay)
                runs[kind].append(tally)
        print(report(f"echo bot (library defaults), {workload}", merged(runs["echo"])))
        print(report(f"echo bot (the adviser's pool), {workload}", merged(runs["echo-same-pool"])))
        print(report(f"adviser, {workload}", merged(runs["adviser"])))
        mine = [t.rate for t in runs["adviser"]]
        versus = {
            kind: sorted(a / t.rate for a, t in zip(mine, runs[kind], strict=True))
            for kind in ("echo", "echo-same-pool")
        }
        print(
            f"  {'':48} adviser / echo, median of {self.args.rounds} rounds: "
            f"{statistics.median(versus['echo']):.0%} "
            f"(with the same pool: {statistics.median(versus['echo-same-pool']):.0%}); "
            f"rounds {' '.join(f'{r:.0%}' for r in versus['echo'])} "
            f"(same pool {' '.join(f'{r:.0%}' for r in versus['echo-same-pool'])})",
            flush=True,
        )

    async def limited(self, enforced: float, workload: str = "questions") -> None:
        rate = self.args.rate
        tally, server, replies = await self.measure(
            "adviser", workload, rate=rate, enforced=enforced
        )
        start, end = tally.window
        sent = [c for c in server.calls if c.method in RATED and c.status == 200]
        delivered = sum(1 for c in sent if start <= c.at < end) / tally.seconds
        print(report(f"adviser, {workload}, API refusing over {enforced:g}/s", tally))
        print(
            f"  {'':48} {delivered:.1f} messages/s delivered ({delivered / rate:.0%} of the "
            f"{rate:g}/s configured); {tally.rate:.1f} replies/s, "
            f"{delivered / tally.rate:.2f} requests a reply; "
            f"{server.rejected_by_rate} refused with 429 and retried; "
            f"{replies.exchanged - replies.answered} of {replies.exchanged} updates unanswered"
        )

    async def faults(self) -> None:
        """Ten bystanders send /help every second and a half while one chat is in trouble: how
        long each waits for its first message back (with the lock held, that is the notice that
        saving is slow; a bystander's next message waits behind its first, in its chat's turn)."""
        seconds = 20.0

        async def flood(server: FakeTelegram, db: Path) -> str:
            server.fail("sendMessage", 429, retry_after=30, chat_id=TROUBLE)
            started = time.monotonic()
            await server.push(server.message_update(TROUBLE, "/help"))
            await server.wait_for(
                lambda: any(
                    c.method == "sendMessage" and c.chat_id == TROUBLE and c.status == 200
                    for c in server.calls
                ),
                60,
            )
            return f"the flooded chat's reply after {time.monotonic() - started:.1f} s"

        async def burst(server: FakeTelegram, db: Path) -> str:
            for _ in range(400):
                await server.push(server.message_update(TROUBLE, "/help"))
            return "400 updates queued for one chat"

        async def lock(server: FakeTelegram, db: Path) -> str:
            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            first = len(server.calls)
            query = server.press_update(TROUBLE, SentMessage(1, TROUBLE, "text", "x"), "x")
            started = time.monotonic()
            await server.push(query)
            await server.wait_for(lambda: query["callback_query"]["id"] in server.answered_queries)
            acked = time.monotonic() - started
            await asyncio.sleep(15.0 - acked)
            holder.execute("ROLLBACK")
            holder.close()
            calls = server.calls[first:]
            during = sum(1 for c in calls if c.status == 200 and c.method != "getUpdates")
            return (
                f"a press acknowledged after {acked:.2f} s while the lock was held; "
                f"{during} API calls made during the 15 s"
            )

        for name, trouble in (
            ("a 429 with retry_after 30 s for one chat", flood),
            ("400 messages at once from one user", burst),
            ("the write lock held 15 s by another process", lock),
        ):
            await self._beside(name, trouble, seconds)

    async def _beside(
        self, name: str, trouble: Callable[[FakeTelegram, Path], Awaitable[str]], seconds: float
    ) -> None:
        server = await FakeTelegram(max_poll_seconds=10).start()
        server.enforce_rate(self.args.rate, burst=self.args.rate)
        db = self.work / "faults.sqlite3"
        shutil.copy(self.work / "stored.sqlite3", db)
        bot = await start_bot("adviser", server, db, self.args.rate, self.work / "bots.log")
        replies = Replies(server)
        waits: list[float] = []
        end = time.monotonic() + seconds

        async def bystander(user: int) -> None:
            while time.monotonic() < end:
                update = server.message_update(user, "/help")
                waits.append(await replies.exchange(user, update))
                await asyncio.sleep(1.5)  # a person's pace, under the one-a-second chat limit

        async def troubled() -> str:
            await asyncio.sleep(2.0)  # the bystanders are under way first
            return await trouble(server, db)

        said, *_ = await asyncio.gather(troubled(), *(bystander(100 + n) for n in range(10)))
        await bot.stop()
        await server.stop()
        unanswered = replies.exchanged - replies.answered
        print(
            f"  {name:48} bystanders' first message: median {statistics.median(waits):.2f} s, "
            f"p99 {percentile(waits, 99):.2f} s, max {max(waits):.2f} s over {len(waits)}; "
            f"{unanswered} unanswered; {said}",
            flush=True,
        )

    async def memory(self) -> None:
        """`--active` distinct users each send /start and a question."""
        server = await FakeTelegram(max_poll_seconds=10).start()
        db = self.work / "memory.sqlite3"
        shutil.copy(self.work / "stored.sqlite3", db)
        bot = await start_bot("adviser", server, db, 0, self.work / "bots.log")
        replies = Replies(server)
        users = iter(range(100_000, 100_000 + self.args.active))
        started = time.monotonic()

        async def person() -> None:
            for user in users:
                await replies.exchange(user, server.message_update(user, "/start"))
                question = self.questions[user % len(self.questions)]
                await replies.exchange(user, server.message_update(user, question))

        await asyncio.gather(*(person() for _ in range(self.args.users)))
        elapsed = time.monotonic() - started
        peak = bot.peak_rss_mb()
        await bot.stop()
        await server.stop()
        print(
            f"  {self.args.active} distinct users each sent /start and a question "
            f"({2 * self.args.active / elapsed:.0f} updates/s, "
            f"{replies.exchanged - replies.answered} without a reply): peak {peak:.0f} MB"
        )


async def run(args: argparse.Namespace) -> int:
    knowledge = load_knowledge(Paths.from_env().knowledge, Paths.from_env().seeds)
    questions = [
        example
        for topic in knowledge.topics.values()
        for lang in ("en", "fi")
        for example in topic.of(lang).examples[:2]
    ]
    with tempfile.TemporaryDirectory(prefix="bench-telegram-") as folder:
        work = Path(folder)
        fill(work / "stored.sqlite3", args.stored)
        bench = Run(args, work, knowledge, questions)
        print(
            f"{args.users} simulated users at once; {args.seconds:g} s measured after "
            f"{args.warmup:g} s warm-up, {args.rounds} rounds of each bot taking turns; "
            f"{args.stored} stored users in the adviser's database\n"
        )
        for delay in (0.0, args.api_delay):
            where = (
                f"API answering after {delay * 1000:.0f} ms (a round trip to Telegram)"
                if delay
                else "API answering at once (a local Bot API server: CPU is the limit)"
            )
            print(f"Limiter off, {where}:")
            for workload in ("questions", "answers"):
                await bench.versus_echo(workload, delay)
            # Long enough for each user to finish an assessment or two (some 25 presses each).
            plans, _, _ = await bench.measure(
                "adviser", "plans", delay=delay, seconds=3 * args.seconds
            )
            print(report("adviser, whole assessments to the plan", plans) + "\n", flush=True)
        print(f"Limiter on at {args.rate:g} messages/s, the API enforcing a limit with 429s:")
        await bench.limited(args.rate)
        await bench.limited(args.rate, "talking")  # questions between presses: calls a reply
        await bench.limited(args.rate * 0.8)  # stricter than configured: 429s must be retried
        print("\nOne chat's trouble, everyone else's wait (limiter on):")
        await bench.faults()
        print("\nMemory:")
        if args.active:
            await bench.memory()
        worst = max(bench.peaks, key=bench.peaks.__getitem__)
        print(
            f"  the highest peak in the runs above: {bench.peaks[worst]:.0f} MB ({worst}), "
            f"with {args.stored} stored users"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_telegram",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--users", type=int, default=50, help="simulated people at once")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each bot, taking turns")
    parser.add_argument("--warmup", type=float, default=3, help="seconds before measuring")
    parser.add_argument("--api-delay", type=float, default=0.05, help="seconds per API request")
    parser.add_argument("--rate", type=float, default=30, help="TELEGRAM_RATE_LIMIT when on")
    parser.add_argument("--stored", type=int, default=10_000, help="users in the database")
    parser.add_argument("--active", type=int, default=10_000, help="distinct users for memory")
    parser.add_argument("--quick", action="store_true", help="a short run to try it out")
    parser.add_argument("--echo-bot", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--echo-same-pool-bot", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.echo_bot or args.echo_same_pool_bot:
        run_echo_bot(same_pool=args.echo_same_pool_bot)
        return 0
    if args.quick:
        args.seconds, args.warmup, args.stored, args.active, args.rounds = 4, 1, 500, 500, 1
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
