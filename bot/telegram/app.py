"""The Telegram bot's composition: the python-telegram-bot Application, built from the settings.

Long polling by default; a webhook when TELEGRAM_WEBHOOK_URL is set. The database is the only
state that matters, so there is no PTB persistence and no conversation handler: one handler
hands every update to the engine (see handlers.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, TypeHandler

from bot import LANGS, Lang
from bot.app import Adviser
from bot.config import retention_days
from bot.render import Renderer
from bot.telegram.checkins import CHECKINS_EVERY, CheckinSender
from bot.telegram.handlers import BUSY_AFTER, TYPING_AFTER, Handled, UpdateHandler, on_error
from bot.telegram.pacing import Pacing
from bot.telegram.retry import RetryPolicy
from bot.telegram.send import Sender
from bot.telegram.settings import TelegramSettings

log = logging.getLogger(__name__)

TelegramApp = Application[Any, Any, Any, Any, Any, Any]

# The command menu, in this order; each description comes from bot/templates/labels.yaml.
MENU_COMMANDS = ("start", "assess", "plan", "language", "help", "mydata", "privacy", "delete")
DEFAULT_MENU_LANG: Lang = "en"  # the menu for every client language without its own
# All the bot reads; my_chat_member says a user blocked the bot or let it in again.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
# Updates the library hands out at once. The handler only queues each behind its chat's
# (handlers.py), so this bounds nothing that matters; it just lets chats start side by side.
CONCURRENT_UPDATES = 64
# Telegram unreachable at start (the network not up yet, a blip): try again a few times, with
# the library's growing pauses, before giving up; the container's restart policy does the rest.
BOOTSTRAP_RETRIES = 5
POLL_TIMEOUT = 10.0  # seconds a long poll waits for updates
# Connections to the Bot API kept open. Few on purpose: httpcore checks every pooled connection
# on each request, so a pool of hundreds costs more CPU than the waits it saves.
CONNECTIONS = 16


def build_application(
    settings: TelegramSettings,
    adviser: Adviser,
    *,
    policy: RetryPolicy | None = None,
    typing_after: float = TYPING_AFTER,
    busy_after: float = BUSY_AFTER,
    handled: Handled | None = None,
    checkins_every: float = CHECKINS_EVERY,
) -> TelegramApp:
    """The application; `handled` is told each update id once its replies are out (tests)."""
    set_menu = _announce_and_set_menu(adviser.renderer, settings)
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token(settings.token)
        .concurrent_updates(CONCURRENT_UPDATES)
        .job_queue(None)
        # Generous timeouts: under load a request may queue for a connection a while.
        .connect_timeout(10.0)
        .read_timeout(15.0)
        .write_timeout(15.0)
        .pool_timeout(15.0)
        .connection_pool_size(CONNECTIONS)
        .media_write_timeout(30.0)
    )
    if settings.base_url:
        builder = builder.base_url(settings.base_url)
    pacing = Pacing(settings.rate_limit) if settings.rate_limit > 0 else None
    if pacing is not None:
        builder = builder.rate_limiter(pacing)
    handler: UpdateHandler | None = None
    checkins: CheckinSender | None = None

    async def started(application: TelegramApp) -> None:
        await set_menu(application)
        if checkins is not None:
            checkins.start()

    async def finish_queued(application: TelegramApp) -> None:
        # After the library stopped taking updates, before it closes its connections: what
        # was queued is still answered.
        if checkins is not None:
            await checkins.stop()
        if handler is not None:
            await handler.close()

    async def stopped(application: TelegramApp) -> None:
        log.info("Telegram bot stopped")

    application: TelegramApp = (
        builder.post_init(started).post_stop(finish_queued).post_shutdown(stopped).build()
    )
    sender = Sender(application.bot, adviser.renderer, policy, pacing)
    handler = UpdateHandler(
        adviser.engine, sender, typing_after=typing_after, busy_after=busy_after, handled=handled
    )
    days = retention_days()
    checkins = CheckinSender(
        adviser.engine,
        sender,
        handler.chats,
        handler.in_engine_thread,
        checkins_every,
        timedelta(days=days) if days > 0 else None,
    )
    application.add_handler(TypeHandler(Update, handler))
    application.add_error_handler(on_error)
    return application


def run(settings: TelegramSettings, adviser: Adviser) -> None:
    """Run until stopped (Ctrl-C, SIGTERM from `docker stop`); updates sent meanwhile wait."""
    application = build_application(settings, adviser)
    webhook = settings.webhook
    if webhook is None:
        application.run_polling(
            timeout=timedelta(seconds=POLL_TIMEOUT),
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
            bootstrap_retries=BOOTSTRAP_RETRIES,
        )
        return
    application.run_webhook(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook.path,
        webhook_url=webhook.url,
        secret_token=webhook.secret,
        allowed_updates=ALLOWED_UPDATES,
        drop_pending_updates=False,
        bootstrap_retries=BOOTSTRAP_RETRIES,
    )


def menu_commands(renderer: Renderer, lang: Lang) -> list[BotCommand]:
    return [BotCommand(name, renderer.labels.command(name, lang)) for name in MENU_COMMANDS]


def _announce_and_set_menu(
    renderer: Renderer, settings: TelegramSettings
) -> Callable[[TelegramApp], Coroutine[Any, Any, None]]:
    announcing: set[asyncio.Task[None]] = set()

    async def announce_when_running(application: TelegramApp) -> None:
        # post_init runs before the webhook is set (or polling starts): "started" waits until
        # the application really takes updates, so the log never claims more than is true.
        while not application.running:
            await asyncio.sleep(0.05)
        mode = "webhook" if settings.webhook else "long polling"
        rate = f"{settings.rate_limit:g}/s" if settings.rate_limit > 0 else "off"
        log.info(
            "Telegram bot @%s started (%s, rate limit %s)", application.bot.username, mode, rate
        )

    async def post_init(application: TelegramApp) -> None:
        for lang in LANGS:
            # The default menu (no language code) is English; Finnish clients get their own.
            code = None if lang == DEFAULT_MENU_LANG else lang
            try:
                await application.bot.set_my_commands(
                    menu_commands(renderer, lang), language_code=code
                )
            except TelegramError as exc:  # the bot works without a menu: carry on
                log.warning("could not set the %s command menu: %s", lang, type(exc).__name__)
        task = asyncio.create_task(announce_when_running(application))
        announcing.add(task)
        task.add_done_callback(announcing.discard)

    return post_init
