"""SoMe Adviser: helps small firms take social media into use, in English and Finnish."""

from typing import Literal

Lang = Literal["en", "fi"]
LANGS: tuple[Lang, ...] = ("en", "fi")


def other_language(lang: Lang) -> Lang:
    """The other of the two: what "Suomeksi" / "In English" switches to."""
    return "en" if lang == "fi" else "fi"
