"""The Telegram adapter: Telegram updates in, the engine's replies out. It only translates."""

import os

# python-telegram-bot 22 is moving time values (such as a flood limit's retry_after) from numbers
# to timedelta and warns on every use of the old form; take the new form now (our code reads both).
os.environ.setdefault("PTB_TIMEDELTA", "true")
