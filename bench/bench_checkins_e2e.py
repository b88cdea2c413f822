"""Benchmark: 10,000 check-ins due at once, sent by the real bot process through the fake Bot API.

    .venv/bin/python -m bench.bench_checkins_e2e [--checkins 10000] [--rate 30] [--bystanders 5]

The database holds `--checkins` firms with a plan each and one check-in due now (10:00 Finnish
time, by ADVISER_CLOCK). The bot (`python -m bot telegram`) polls the fake Bot API
(tests/telegram/fake_api.py), which enforces Telegram's overall flood limit (`--rate` messages a
second, refused with a 429 beyond it). Meanwhile `--bystanders` users ask /help every two
seconds, and their waits are measured: the flood must not make anybody wait.

Measured: how long until every check-in is delivered, the busiest second, 429s, check-ins sent
to a chat more than once or not at all, the bystanders' reply times, and the bot's peak memory.
Telegram's limit makes the floor `--checkins / --rate` seconds, however fast the bot is.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bench.bench_followup import fill_with_checkins
from bench.bench_telegram import Replies, start_bot
from bench.stats import percentile
from tests.telegram.fake_api import Call, FakeTelegram

DUE = "2027-03-15T07:00:00+00:00"  # 09:00 Finnish time: due since then
NOW = datetime(2027, 3, 15, 8, 0, tzinfo=UTC)  # 10:00 Finnish time: daytime
FIRST_USER = 1_000_000  # bench_engine.fill's users are tg:1000000 and on
BYSTANDER = 5_000_000


def _prepare(db: Path, count: int) -> None:
    fill_with_checkins(db, count, 1)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE checkins SET due = ?, sent = NULL", (DUE,))


async def _bystander(
    server: FakeTelegram, replies: Replies, chat: int, until: float, waits: list[float]
) -> None:
    while time.monotonic() < until:
        waits.append(await replies.exchange(chat, server.message_update(chat, "/help")))
        await asyncio.sleep(2.0)


async def run(args: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="bench-checkins-"))
    db = folder / "adviser.sqlite3"
    print(f"filling {args.checkins} firms with a due check-in ...", flush=True)
    _prepare(db, args.checkins)

    server = await FakeTelegram().start()
    server.enforce_rate(args.rate, args.rate)
    checkins: Counter[int] = Counter()
    sent_at: list[float] = []

    def observe(call: Call) -> None:
        chat = call.chat_id
        if call.method != "sendMessage" or call.status != 200 or chat is None or chat >= BYSTANDER:
            return
        # A check-in carries the "how is it going?" buttons (kind "k"), in either language.
        markup = call.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        data = [
            b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row
        ]
        if any(d.startswith("k.") for d in data):
            checkins[chat] += 1
            sent_at.append(call.at)

    server.observers.append(observe)
    replies = Replies(server)
    os.environ["ADVISER_CLOCK"] = NOW.isoformat()  # the bot process inherits it
    started = time.monotonic()
    bot = await start_bot("adviser", server, db, args.rate, folder / "bot.log")
    waits: list[float] = []
    deadline = started + args.timeout
    watchers = [
        asyncio.create_task(_bystander(server, replies, BYSTANDER + n, deadline, waits))
        for n in range(args.bystanders)
    ]
    try:
        while len(checkins) < args.checkins and time.monotonic() < deadline:
            await asyncio.sleep(1.0)
            if int(time.monotonic() - started) % 30 == 0:
                print(f"{len(checkins)} delivered", flush=True)
        finished = time.monotonic()
    finally:
        for task in watchers:
            task.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)
        peak = bot.peak_rss_mb()
        await bot.stop()
        await server.stop()
    print()
    per_second = Counter(int(t - sent_at[0]) for t in sent_at) if sent_at else Counter()
    with sqlite3.connect(db) as conn:
        waiting = conn.execute("SELECT count(*) FROM checkins WHERE sent IS NULL").fetchone()[0]
    missing = args.checkins - len(checkins)
    doubled = sum(1 for n in checkins.values() if n > 1)
    print(f"check-ins due at once:        {args.checkins}")
    print(f"delivered:                    {len(checkins)} ({missing} not, {waiting} unclaimed)")
    print(f"sent to a chat twice:         {doubled}")
    print(
        f"all delivered after:          {finished - started:.0f} s (floor {args.checkins / args.rate:.0f} s)"
    )
    if sent_at:
        span = sent_at[-1] - sent_at[0]
        print(
            f"first to last check-in:       {span:.0f} s, {len(sent_at) / max(span, 1):.1f} a second"
        )
        print(f"busiest second:               {max(per_second.values())} messages")
    print(f"429s from the flood limit:    {server.rejected_by_rate}")
    if waits:
        print(
            f"bystanders' /help replies:    {len(waits)}, p50 {percentile(waits, 50):.2f} s,"
            f" p99 {percentile(waits, 99):.2f} s, max {max(waits):.2f} s"
        )
    print(f"bot's peak memory:            {peak:.0f} MB")
    return 0 if missing == 0 and doubled == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkins", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--bystanders", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=1800.0)
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
