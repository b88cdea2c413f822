"""Normalisation: Finnish inflection and compounds, English forms, and typos meet their base forms."""

from bot.answering.text import TermMapper, stem, stems, words


def test_words_are_lower_case_and_split_on_punctuation() -> None:
    assert words("Facebook-sivu, KAHVILA!") == ["facebook", "sivu", "kahvila"]


def test_finnish_inflected_forms_share_a_stem() -> None:
    assert stem("instagramissa", "fi") == stem("instagram", "fi")
    assert stem("facebookissa", "fi") == stem("facebook", "fi")
    assert stem("markkinointiin", "fi") == stem("markkinointi", "fi")


def test_english_forms_share_a_stem() -> None:
    assert stems("training trainings trained", "en") == [stem("train", "en")] * 3


def test_compound_is_split_into_known_parts() -> None:
    vocabulary = stems("some markkinointi yritys kanava", "fi")
    mapper = TermMapper("fi", vocabulary)
    assert mapper.terms("somemarkkinointiin") == [stem("some", "fi"), stem("markkinointi", "fi")]


def test_inflected_form_the_stemmer_misses_still_meets_its_base_form() -> None:
    # Snowball leaves the -ks- of "pienyrityksille" (base "pienyritys"); the mapper bridges it.
    mapper = TermMapper("fi", stems("pienyritys some", "fi"))
    assert mapper.terms("pienyrityksille") == [stem("pienyritys", "fi")]


def test_three_part_compound() -> None:
    mapper = TermMapper("fi", stems("some kanava valinta", "fi"))
    assert mapper.terms("somekanavavalinta") == stems("some kanava valinta", "fi")


def test_typo_is_repaired_to_a_known_stem() -> None:
    mapper = TermMapper("en", stems("facebook linkedin podcast", "en"))
    assert mapper.terms("facebok") == [stem("facebook", "en")]
    assert mapper.terms("linkdin") == [stem("linkedin", "en")]


def test_unknown_word_stays_unknown() -> None:
    mapper = TermMapper("en", stems("facebook linkedin", "en"))
    assert mapper.terms("weather") == [stem("weather", "en")]
    assert not mapper.knows_word("weather")
