"""Typed, read-only knowledge objects. Only the loader builds them; everything else just reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot import Lang

MAX_ANSWER_CHARS = 700

# A phone shows about 30 characters on a button; Telegram cuts longer ones. Aim for 30, and 40
# is the most a label may have (checked at load, so an editor hears of it as path:line).
BUTTON_LABEL_MAX = 40
TopicId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


T = TypeVar("T")


class Bilingual(Frozen, Generic[T]):
    """The same thing in English and Finnish (`en:` and `fi:` in the YAML); `of` picks one.

    Every piece of content that comes in both languages is one of these, or a subclass that adds
    fields of its own (a topic: its id, sources and related topics beside the two texts).
    """

    en: T
    fi: T

    def of(self, lang: Lang) -> T:
        return self.en if lang == "en" else self.fi


class Source(Frozen):
    """Where an entry's facts come from: a report in seeds/, or general practice said as such."""

    file: str | None = None
    section: Line | None = None
    general: Line | None = None
    # A general source that is a public one (an authority's guidance, a platform's help pages):
    # how the answer names it to the reader, instead of "general practice, not from the reports"
    # (which the topic's other, uncited general sources still bring to its source line).
    cite: Bilingual[Line] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        if (self.file is None) == (self.general is None):
            raise ValueError("a source names either `file` (a report in seeds/) or `general`")
        if self.cite is not None and self.general is None:
            raise ValueError(
                "`cite` names a public source of a `general` entry; a report is named by seeds/index.yaml"
            )
        return self


class TopicText(Frozen):
    # Also the label of the topic's button under related answers: a button's length at most.
    title: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=2, max_length=BUTTON_LABEL_MAX)
    ]
    # The adviser's own answer: the direct answer and the steps. Advice, not a finding: a number
    # of our own in it is said to be a rule of thumb, never put in a report's name.
    answer: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=40, max_length=MAX_ANSWER_CHARS)
    ]
    # What the topic's reports found, and only that: the one part printed with a report's name.
    # Every figure in it must occur in a report the topic cites (checked by the loader).
    finding: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20)] | None = None
    examples: Annotated[tuple[Line, ...], Field(min_length=8)]
    keywords: tuple[Line, ...] = ()

    @model_validator(mode="after")
    def _short_enough(self) -> TopicText:
        length = len(self.answer) + len(self.finding or "")
        if length > MAX_ANSWER_CHARS:
            raise ValueError(
                f"the answer and the finding are {length} characters together;"
                f" at most {MAX_ANSWER_CHARS} fit a phone screen"
            )
        return self


# Words one of which a question must use for a topic to be answered or offered at all.
RequiredWords = Bilingual[Annotated[tuple[Line, ...], Field(min_length=1)]]


class Topic(Bilingual[TopicText]):
    id: TopicId
    related: Annotated[tuple[TopicId, ...], Field(max_length=6)] = ()
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]
    # The adviser's own privacy notice answers "what do you store about me", never "where does
    # Teams store files": such a topic lists the words that show the question is about it.
    requires: RequiredWords | None = None


# One word as written in a content list: letters and digits, no spaces.
Word = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[^\W_]+$", max_length=40),
]


class ExactWords(Bilingual[tuple[Word, ...]]):
    """Words that count only in exactly this form ("teams" is the tool, "team" is not)."""

    en: tuple[Word, ...] = ()
    fi: tuple[Word, ...] = ()


class Scope(Bilingual[Annotated[tuple[Word, ...], Field(min_length=1)]]):
    """The adviser's field: words that show a question is about what it knows (scope.yaml)."""

    exact: ExactWords = ExactWords()


Citation = Bilingual[Line]


class Seed(Frozen):
    """One source report, as listed in seeds/index.yaml."""

    file: Line
    title: Line
    place: Line
    years: Line
    funder: Line
    language: Line
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    cite: Citation


class SeedIndex(Frozen):
    seeds: Annotated[tuple[Seed, ...], Field(min_length=1)]
    # How an answer names advice that rests on general practice rather than on a report.
    general_practice: Citation


WrittenForm = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, pattern=r"^[^\W_]+( [^\W_]+)*$", max_length=80
    ),
]


class SpokenLanguage(Frozen):
    # "mun" -> "minun": a whole word as typed, and how it is written.
    words: Mapping[Word, WrittenForm] = {}
    # "linkkari" -> "linkedin": like `words`, and also found inflected ("linkkarissa").
    nicknames: Mapping[Word, Word] = {}
    # "is" -> "isi" ("vois" -> "voisi"): a spoken ending after a vowel, and the written one.
    endings: Mapping[Word, Word] = {}
    # Words that open a question ("how", "should", "miten"): in a long message, the sentences
    # they open are the asking part, and weigh more than the story before them.
    asking: tuple[Word, ...] = ()
    # Openings of a follow-up ("what about", "entä"): a short question opening so, right after
    # an answer, is read in that answer's thread ("what about internal stuff?").
    follow_ups: tuple[WrittenForm, ...] = ()
    # Phrases that say nothing of what is asked ("many times", "any help", "thanks in advance"):
    # left out before the question is compared, so that "time" or "help" in them is not read as
    # the subject.
    fillers: tuple[WrittenForm, ...] = ()
    # Doubts ("waste of time", "is it even worth it", "turhaa"): said to a social media adviser,
    # they are about social media even when they do not name it.
    doubts: tuple[WrittenForm, ...] = ()
    # Phrases that set aside what follows them, up to the next punctuation ("besides marketing,",
    # "other than ads?", "muuhun kuin mainontaan"): a topic the set-aside words name is not what
    # the question names.
    excluding: tuple[WrittenForm, ...] = ()


class SpokenForms(Bilingual[SpokenLanguage]):
    """How people type in a chat, read as the written forms the topics use (spoken.yaml)."""

    en: SpokenLanguage = SpokenLanguage()
    fi: SpokenLanguage = SpokenLanguage()


Phrase = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"\w", max_length=60),
]


class Phrases(Bilingual[tuple[Phrase, ...]]):
    en: tuple[Phrase, ...] = ()
    fi: tuple[Phrase, ...] = ()


class SmallTalk(Frozen):
    """What people say that is not a question: greetings, thanks, goodbyes (smalltalk.yaml)."""

    greeting: Phrases
    about: Phrases  # "what can you do?"
    thanks: Phrases
    goodbye: Phrases
    unsure: Phrases  # "I don't know", "why do you ask?" about an assessment question
    resume: Phrases  # "continue", "jatketaan": carry on with a paused assessment

    def kinds(self) -> dict[str, Phrases]:
        return {
            "greeting": self.greeting,
            "about": self.about,
            "thanks": self.thanks,
            "goodbye": self.goodbye,
            "unsure": self.unsure,
            "resume": self.resume,
        }


class ReferralText(Frozen):
    # Words or phrases (all of a phrase's words, in any order) that mark such a question.
    signs: Annotated[tuple[Phrase, ...], Field(min_length=1)]
    # Words that take a question back into the adviser's field: "how do we get staff to use
    # Teams" is about taking a tool into use, not product help.
    unless: tuple[Phrase, ...] = ()
    # Who does answer it, in one friendly sentence.
    pointer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=300)]


Referral = Bilingual[ReferralText]


class Referrals(Frozen):
    """Questions next to the adviser's field that someone else answers (referrals.yaml)."""

    kinds: Annotated[Mapping[TopicId, Referral], Field(min_length=1)]
