"""SoMe Adviser: helps small firms take social media into use, in English and Finnish."""

import re
from typing import Literal

Lang = Literal["en", "fi"]
LANGS: tuple[Lang, ...] = ("en", "fi")


def other_language(lang: Lang) -> Lang:
    """The other of the two: what "Suomeksi" / "In English" switches to."""
    return "en" if lang == "fi" else "fi"


# Control characters and escape sequences (C0 but newline and tab, DEL, C1): never echoed to a
# terminal (a typed "\x1b]0;title\x07" must not retitle it) and never kept in what is stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_control(text: str) -> str:
    return _CONTROL.sub("", text)
