"""The Telegram bot's settings, read once from the environment at start.

Only the token is required. Everything else has a default that suits the public Bot API; a local
Bot API server (TELEGRAM_BASE_URL) usually goes with TELEGRAM_RATE_LIMIT=0.
"""

from __future__ import annotations

import math
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DEFAULT_RATE_LIMIT = 30.0  # messages a second: what Telegram allows a bot overall
DEFAULT_WEBHOOK_PORT = 8443
DEFAULT_WEBHOOK_LISTEN = "0.0.0.0"  # inside a container the port must be reachable from outside
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a webhook secret


class SettingsError(ValueError):
    """A setting that cannot work; the message is one line naming the variable."""


@dataclass(frozen=True)
class Webhook:
    url: str  # the public HTTPS address Telegram posts updates to
    port: int  # where this process listens (a proxy in front maps the public address to it)
    secret: str  # Telegram sends it in a header with every update; others are refused
    listen: str = DEFAULT_WEBHOOK_LISTEN

    @property
    def path(self) -> str:
        """Listen on the same path as the public address, so a plain reverse proxy suffices."""
        return urlsplit(self.url).path.strip("/")


@dataclass(frozen=True)
class TelegramSettings:
    token: str = field(repr=False)  # never printed, never logged
    base_url: str | None = None
    rate_limit: float = DEFAULT_RATE_LIMIT  # 0: no limiter (a local Bot API server)
    webhook: Webhook | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> TelegramSettings:
        """The settings; SettingsError when the token is missing or a value makes no sense."""
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: in Telegram, message @BotFather, send /newbot, "
                "and set TELEGRAM_BOT_TOKEN to the token it gives you"
            )
        return cls(
            token=token,
            base_url=env.get("TELEGRAM_BASE_URL", "").strip() or None,
            rate_limit=_rate(env.get("TELEGRAM_RATE_LIMIT", "")),
            webhook=_webhook(env),
        )


def _rate(raw: str) -> float:
    if not raw.strip():
        return DEFAULT_RATE_LIMIT
    try:
        rate = float(raw)
    except ValueError:
        rate = -1.0
    if not math.isfinite(rate) or rate < 0:
        raise SettingsError(
            f"TELEGRAM_RATE_LIMIT must be messages a second, 0 or more (got {raw!r})"
        )
    return rate


def _webhook(env: Mapping[str, str]) -> Webhook | None:
    url = env.get("TELEGRAM_WEBHOOK_URL", "").strip()
    if not url:
        return None
    if (
        urlsplit(url).scheme != "https" or not urlsplit(url).hostname
    ):  # Telegram posts to https only
        raise SettingsError(f"TELEGRAM_WEBHOOK_URL must be an https:// address (got {url!r})")
    raw_port = env.get("TELEGRAM_WEBHOOK_PORT", "").strip() or str(DEFAULT_WEBHOOK_PORT)
    if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
        raise SettingsError(f"TELEGRAM_WEBHOOK_PORT must be a port number (got {raw_port!r})")
    # Without a secret of its own, each start makes one: Telegram learns it with setWebhook.
    secret = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip() or secrets.token_urlsafe(32)
    if not _SECRET.match(secret):
        raise SettingsError(
            "TELEGRAM_WEBHOOK_SECRET may hold only letters, digits, '_' and '-' (1 to 256)"
        )
    listen = env.get("TELEGRAM_WEBHOOK_LISTEN", "").strip() or DEFAULT_WEBHOOK_LISTEN
    return Webhook(url=url, port=int(raw_port), secret=secret, listen=listen)
