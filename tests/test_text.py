"""Normalisation: Finnish inflection and compounds, English forms, and typos meet their base forms."""

import pytest

from bot import Lang
from bot.answering.answerer import Answerer
from bot.answering.spoken import SpokenWords
from bot.answering.stemming import stem, words
from bot.answering.text import TermMapper
from bot.content.models import SpokenLanguage


def stems(text: str, lang: Lang) -> list[str]:
    return [stem(w, lang) for w in words(text)]


def mapper_for(lang: Lang, vocabulary: str, spoken: SpokenWords | None = None) -> TermMapper:
    """A mapper that knows these words, as a topic would write them."""
    return TermMapper(lang, stems(vocabulary, lang), spoken or SpokenWords(), words(vocabulary))


def test_words_are_lower_case_and_split_on_punctuation() -> None:
    assert words("Facebook-sivu, KAHVILA!") == ["facebook", "sivu", "kahvila"]


def test_finnish_inflected_forms_share_a_stem() -> None:
    assert stem("instagramissa", "fi") == stem("instagram", "fi")
    assert stem("facebookissa", "fi") == stem("facebook", "fi")
    assert stem("markkinointiin", "fi") == stem("markkinointi", "fi")


def test_english_forms_share_a_stem() -> None:
    assert stems("training trainings trained", "en") == [stem("train", "en")] * 3


def test_compound_is_split_into_known_parts() -> None:
    mapper = mapper_for("fi", "some markkinointi yritys kanava")
    assert mapper.terms("somemarkkinointiin") == [stem("some", "fi"), stem("markkinointi", "fi")]


def test_inflected_form_the_stemmer_misses_still_meets_its_base_form() -> None:
    # Snowball leaves the -ks- of "pienyrityksille" (base "pienyritys"); the mapper bridges it.
    mapper = mapper_for("fi", "pienyritys some")
    assert mapper.terms("pienyrityksille") == [stem("pienyritys", "fi")]


def test_three_part_compound() -> None:
    mapper = mapper_for("fi", "some kanava valinta")
    assert mapper.terms("somekanavavalinta") == stems("some kanava valinta", "fi")


def test_typo_is_repaired_to_a_known_stem() -> None:
    mapper = mapper_for("en", "facebook linkedin podcast")
    assert mapper.terms("facebok") == [stem("facebook", "en")]
    assert mapper.terms("linkdin") == [stem("linkedin", "en")]


def test_swapped_letters_are_repaired_but_a_changed_letter_is_another_word() -> None:
    mapper = mapper_for("en", "business posting purpose")
    assert mapper.terms("buisness") == [stem("business", "en")]  # two letters swapped
    assert mapper.terms("purpse") == [stem("purpose", "en")]  # a letter short
    assert mapper.terms("hosting") == [stem("hosting", "en")]  # a real word, not "posting"


def test_unknown_word_stays_unknown() -> None:
    mapper = mapper_for("en", "facebook linkedin")
    assert mapper.terms("weather") == [stem("weather", "en")]
    assert not mapper.knows_word("weather")


SPOKEN_FI = SpokenLanguage(
    words={"mun": "minun", "oo": "ole", "mitää": "mitään"},
    nicknames={"linkkari": "linkedin"},
    endings={"is": "isi", "isko": "isiko", "ny": "nyt"},
)


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("mun", ("minun",)),  # a listed word
        ("vois", ("voisi",)),  # a spoken ending after a vowel
        ("kannattaisko", ("kannattaisiko",)),  # the longest ending that fits
        ("pitäny", ("pitänyt",)),
        ("kallis", ("kallis",)),  # "-is" after a consonant is written Finnish already
        ("is", ("is",)),  # the ending alone is not a word with that ending
        ("linkkarissa", ("linkedin",)),  # a nickname inflected
        ("mitä", ("mitä",)),  # shares its stem with "mitää", but only nicknames go by stem
    ],
)
def test_spoken_finnish_is_read_in_its_written_form(said: str, written: tuple[str, ...]) -> None:
    assert SpokenWords(SPOKEN_FI, "fi").written(said) == written


def test_spoken_and_written_forms_meet_the_same_terms() -> None:
    mapper = mapper_for("fi", "voisiko minun yritys ole somessa", SpokenWords(SPOKEN_FI, "fi"))
    assert mapper.terms("vois mun firma oo somessa")[:2] == mapper.terms("voisi minun")
    assert mapper.knows_word("mun")


def test_a_question_typed_as_spoken_gets_the_answer_of_its_written_form(
    answerer: Answerer,
) -> None:
    spoken = "mun pitäis opetella tekee videoita, mistä vois alottaa"
    written = "minun pitäisi opetella tekee videoita, mistä voisi alottaa"
    said, meant = answerer.answer(spoken, "fi"), answerer.answer(written, "fi")
    assert said.topic is not None and said.topic.id == "video"
    assert (said.outcome, said.confidence) == (meant.outcome, meant.confidence)


def test_a_channel_by_its_nickname(answerer: Answerer) -> None:
    answer = answerer.answer("kannattaako meidän olla linkkarissa", "fi")
    assert answer.topic is not None and answer.topic.id == "linkedin"


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        # a fan page and a wall are the firm's Facebook page, its fans its followers
        ("en", "how do we get more people to like our fan page?", "growing-reach"),
        ("en", "what should we post on our wall?", "facebook"),
        # a staff wiki is an internal network
        ("fi", "kannattaako meidän tehdä wiki henkilöstölle?", "internal-sns-tools"),
        # to tweet is to post, on Twitter
        ("fi", "kuinka usein kannattaa twiitata?", "posting-frequency"),
        # the newer channels are a question of choosing channels
        ("en", "should we be on bluesky?", "choosing-channels"),
        ("fi", "kannattaako meidän olla threadsissa?", "choosing-channels"),
        # posts nobody sees are a question of reach
        ("fi", "Miksi meidän julkaisut eivät näy kenellekään?", "growing-reach"),
        # "mitä pitää huomioida" asks, it names nothing; switching to Teams is its roll-out
        ("fi", "mitä pitää huomioida kun vaihdetaan teamsiin", "teams-rollout"),
    ],
)
def test_the_words_owners_use_for_a_channel_or_a_tool(
    answerer: Answerer, lang: Lang, question: str, topic: str
) -> None:
    answer = answerer.answer(question, lang)
    assert answer.outcome == "answer" and answer.topic is not None, answer
    assert answer.topic.id == topic
