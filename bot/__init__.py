"""SoMe Adviser: helps small firms take social media into use, in English and Finnish."""

from typing import Literal

Lang = Literal["en", "fi"]
LANGS: tuple[Lang, ...] = ("en", "fi")
