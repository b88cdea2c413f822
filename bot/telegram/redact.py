"""Keeping the bot token out of the logs, whoever writes them.

python-telegram-bot names a token Telegram refused in its error ("The token `123:AA...` was
rejected"), and a URL in a traceback can hold it too. A filter on the log handlers replaces it
wherever it appears: in the message, its arguments and the traceback.
"""

from __future__ import annotations

import logging

HIDDEN = "[bot token]"


class TokenRedactor(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, HIDDEN), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, HIDDEN)
        if record.stack_info and self.token in record.stack_info:
            record.stack_info = record.stack_info.replace(self.token, HIDDEN)
        return True


def hide_token_in_logs(token: str) -> None:
    """Put the redactor on every handler of the root logger (records of all loggers pass there)."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(TokenRedactor(token))
