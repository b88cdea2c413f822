"""Questions as real people ask them: long stories, doubts, help-desk questions, single words that
used to trigger a confident wrong answer, follow-ups, and the new general-practice topics.

The quality bar is measured on tests/data/real.yaml (questions real people asked in public,
labelled twice, independently); the untuned half is never tuned on and its misses are never
printed, here or anywhere.
"""

from __future__ import annotations

import pytest
import yaml

from bench.qa_quality import DATA, Case, real_cases, score
from bench.ranking_ceiling import ceilings
from bench.real_set import build, relabelled
from bot import Lang
from bot.answering.answer import Answer
from bot.answering.answerer import Answerer
from bot.content.loader import Knowledge
from bot.engine.answers import answer_message
from bot.render import Renderer

# --- single words that used to decide the answer ------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "question", "not_topic"),
    [
        # "time" in "many times" is not a question about time use
        (
            "en",
            "I have asked many times whether we should be on Facebook. Is it worth it?",
            "time-effects",
        ),
        (
            "fi",
            "Olen miettinyt monta kertaa, kannattaako meidän olla Facebookissa?",
            "time-effects",
        ),
        # "help" as a verb is not "where to get help"
        ("en", "does social media help a small business at all?", "where-to-get-help"),
        ("fi", "auttaako some oikeasti pientä yritystä ollenkaan?", "where-to-get-help"),
        # "Teams" in a help-desk question is not the Teams roll-out
        ("en", "how do I add guests to a team in Teams", "teams-rollout"),
        ("fi", "miten lisään vieraan käyttäjän teamsiin", "teams-rollout"),
        # "is stored" about Teams is not the adviser's own privacy notice
        ("en", "where does Teams store our files", "privacy-and-data"),
        ("fi", "mihin teamsissa tiedostot tallennetaan", "privacy-and-data"),
        (
            "fi",
            "miten gdpr vaikuttaa kun jaetaan asiakkaiden papereita teamsissa?",
            "privacy-and-data",
        ),
        # a boss following staff is not "leaders taking part in the internal network"
        ("en", "is it ok for my boss to follow me on Instagram?", "leadership-example"),
        ("fi", "saako pomo seurata mua instassa", "leadership-example"),
        # a licence price is not what social media costs in time
        ("en", "how much does a Teams licence cost per user?", "time-effects"),
        ("fi", "paljonko teams-lisenssi maksaa per käyttäjä", "time-effects"),
    ],
)
def test_one_shared_word_does_not_decide_the_answer(
    answerer: Answerer, lang: str, question: str, not_topic: str
) -> None:
    answer = answerer.answer(question, lang)  # type: ignore[arg-type]
    assert answer.topic is None or answer.topic.id != not_topic
    assert not_topic not in answer.suggestions or not_topic not in {
        "privacy-and-data",
        "about-sources",
    }


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "We boosted a post for 5 euros. Can I stop it any time?"),
        ("fi", "Tehostimme julkaisua viidellä eurolla. Voiko sen lopettaa milloin tahansa?"),
    ],
)
def test_any_time_is_not_a_question_about_time(
    answerer: Answerer, lang: Lang, question: str
) -> None:
    assert "time-effects" not in [m.topic_id for m in answerer.matches(question, lang, limit=3)]


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        ("en", "is it ok for my boss to follow me on Instagram?", "staff-own-accounts"),
        ("fi", "saako pomo seurata mua instassa", "staff-own-accounts"),
        (
            "fi",
            "saako meidän työntekijät kertoa asiakkaista linkkarissa? meillä on vaitiolovelvollisuus",
            "client-confidentiality",
        ),
    ],
)
def test_staff_and_confidentiality_questions_get_their_own_topics(
    answerer: Answerer, lang: str, question: str, topic: str
) -> None:
    answer = answerer.answer(question, lang)  # type: ignore[arg-type]
    assert answer.topic is not None and answer.topic.id == topic


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "what data do you store about me"),
        ("fi", "mitä tietoja sinä tallennat minusta"),
    ],
)
def test_the_privacy_notice_still_answers_questions_about_the_adviser(
    answerer: Answerer, lang: str, question: str
) -> None:
    answer = answerer.answer(question, lang)  # type: ignore[arg-type]
    assert answer.topic is not None and answer.topic.id == "privacy-and-data"


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        # "marketing" is the one word shared, and it is the topic's own
        ("en", "the effect of social media on marketing work", "marketing-effects"),
        ("fi", "somen vaikutus markkinointiin pienessä yrityksessä", "marketing-effects"),
    ],
)
def test_a_question_naming_its_topic_and_the_field_is_answered(
    answerer: Answerer, lang: Lang, question: str, topic: str
) -> None:
    answer = answerer.answer(question, lang)
    assert answer.outcome == "answer" and answer.topic is not None, answer
    assert answer.topic.id == topic


# --- long messages, with the question at the end ------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        (
            "en",
            "We are a 20-person engineering firm. Last year we set up an internal network and a "
            "handful of people in the design team post there every day. Everybody else ignores it "
            "and keeps sending email. How can we get the rest of the staff to use it?",
            {"why-adoption-fails", "cliques", "change-resistance", "pilot-first"},
        ),
        (
            "fi",
            "Meillä on 12 hengen tilitoimisto. Otimme Teamsin käyttöön keväällä, mutta vain pari "
            "nuorempaa käyttää sitä ja muut lähettävät edelleen sähköpostia. Miten saisimme kaikki "
            "käyttämään sitä?",
            {"why-adoption-fails", "cliques", "change-resistance", "teams-rollout", "pilot-first"},
        ),
    ],
)
def test_a_long_message_is_answered_by_its_question(
    answerer: Answerer, lang: str, question: str, topic: set[str]
) -> None:
    answer = answerer.answer(question, lang)  # type: ignore[arg-type]
    offered = {answer.topic.id} if answer.topic else set(answer.suggestions)
    assert offered & topic, (answer.outcome, answer.suggestions)
    assert answer.topic is None or answer.topic.id in topic


# --- doubts instead of questions -----------------------------------------------------------------


FLOWER_SHOP = (
    "We have run a small flower shop for ten years and most customers are regulars from the "
    "neighbourhood, but young people walk past. Our accountant keeps telling us to do more "
    "online. Should we be on Instagram?"
)


@pytest.mark.parametrize("greeting", ["Hi! ", "Hello everyone, "])
def test_a_greeting_before_a_long_message_leaves_its_question_found(
    answerer: Answerer, greeting: str
) -> None:
    """The greeting is left out, but not the punctuation that tells the story from the question:
    "Hi! ..." had been declined as outside the field."""
    alone, greeted = (
        answerer.answer(FLOWER_SHOP, "en"),
        answerer.answer(greeting + FLOWER_SHOP, "en"),
    )
    assert alone.topic is not None and alone.topic.id == "instagram"
    assert (greeted.outcome, greeted.topic) == (alone.outcome, alone.topic)


@pytest.mark.parametrize(
    ("lang", "doubt", "topics"),
    [
        ("en", "is it even worth it for a small firm like mine?", {"why-social-media"}),
        (
            "en",
            "social media is a waste of time for a plumber",
            {"time-effects", "why-social-media"},
        ),
        ("fi", "onko tässä mitään järkeä pienelle firmalle", {"why-social-media"}),
        ("fi", "ajanhukkaa koko some", {"time-effects", "why-social-media"}),
    ],
)
def test_a_doubt_is_answered_as_the_question_it_is(
    answerer: Answerer, lang: str, doubt: str, topics: set[str]
) -> None:
    """Said to a social media adviser, "is it even worth it?" is about social media."""
    answer = answerer.answer(doubt, lang)  # type: ignore[arg-type]
    assert answer.topic is not None and answer.topic.id in topics


@pytest.mark.parametrize(
    ("lang", "claim"),
    [("en", "about social media"), ("fi", "liittyykö tämä")],
)
def test_an_unclear_question_is_not_said_to_be_outside_social_media(
    knowledge: Knowledge, lang: Lang, claim: str
) -> None:
    unclear = Answer(
        "kauanko aikaa viikossa", lang, "suggest", None, ("time-effects",), 0.3, outside_field=True
    )
    text = Renderer().text(answer_message(knowledge, unclear, list_related=True))
    assert claim not in text
    assert knowledge.topics["time-effects"].of(lang).title in text


@pytest.mark.parametrize(
    ("lang", "outside"),
    [("en", "outside what I can help with"), ("fi", "en osaa auttaa tässä")],
)
def test_no_answer_near_a_topic_is_not_called_outside_the_field(
    knowledge: Knowledge, lang: Lang, outside: str
) -> None:
    near = Answer("olen vaihtamassa teamsiin", lang, "out_of_scope", None, ("teams-rollout",), 0.3)
    far = Answer("lasagne", lang, "out_of_scope", None, (), 0.0)
    near_text = Renderer().text(answer_message(knowledge, near, list_related=True))
    assert outside not in near_text
    assert knowledge.topics["teams-rollout"].of(lang).title in near_text
    assert outside in Renderer().text(answer_message(knowledge, far))


@pytest.mark.parametrize(
    ("lang", "one", "several"),
    [
        ("en", "Is this what you mean?", "Is it one of these?"),
        ("fi", "Tarkoitatko tätä?", "Onko se jokin näistä?"),
    ],
)
def test_one_topic_offered_is_asked_about_not_offered_as_a_choice(
    knowledge: Knowledge, lang: Lang, one: str, several: str
) -> None:
    """A tester: "a choice with one option should just be the answer"; the adviser is not sure,
    so it asks, but not as if there were several to choose from, in the terminal's list or on
    Telegram's buttons alike."""
    single = Answer("1 star review, reply?", lang, "suggest", None, ("negative-feedback",), 0.4)
    double = Answer("reviews?", lang, "suggest", None, ("negative-feedback", "pitfalls"), 0.4)
    for answer, wanted, unwanted in ((single, one, several), (double, several, one)):
        listed = Renderer().text(answer_message(knowledge, answer, list_related=True))
        buttons = Renderer().text(answer_message(knowledge, answer, topic_token=lambda t: t))
        for text in (listed, buttons):
            assert wanted in text and unwanted not in text


@pytest.mark.parametrize(
    ("lang", "question", "topic", "says"),
    [
        # a third tester's owners: asking for reviews is not answering bad ones, and a Page's cost
        # is not an ad budget's
        (
            "en",
            "what about getting more google reviews, we have like 6",
            "negative-feedback",
            "review link",
        ),
        (
            "fi",
            "pitäiskö mun kysyä asiakkailta arvosteluja googleen, miten sen tekis ettei oo tyrkky",
            "negative-feedback",
            "arvostelulinkki",
        ),
        ("fi", "paljonko maksaa perustaa facebook-sivu yritykselle", "facebook", "ilmaista"),
        ("fi", "kuinka kauan pilotin pitäis kestää?", "pilot-first", "kolme kuukautta"),
        ("en", "what should I post?", "content-ideas", "behind"),
        ("en", "how long should our pilot run", "pilot-first", "three months"),
        # a fourth tester's: a customer's home needs their yes; an agency's duty is its NDA
        (
            "fi",
            "mitä jos asiakas kieltää kuvaamisen kokonaan, voiko silti laittaa kuvan pelkästä keittiöstä?",
            "photos-and-consent",
            "asiakkaan kotia kuvaa vain luvalla",
        ),
        (
            "en",
            "we work for clients under NDA sometimes. can I post about a project if i dont name the client?",
            "client-confidentiality",
            "NDA",
        ),
        ("en", "how much does a facebook page cost for my shop?", "facebook", "is free"),
        (
            "fi",
            "jos joku postaus menee päin honkia ja kommentteihin tulee paskamyrsky, mitä sit tehdään",
            "negative-feedback",
            "rauhallisesti",
        ),
    ],
)
def test_owners_everyday_needs_get_the_answer_that_says_it(
    answerer: Answerer, lang: str, question: str, topic: str, says: str
) -> None:
    answer = answerer.answer(question, lang)  # type: ignore[arg-type]
    assert answer.topic is not None and answer.topic.id == topic
    assert says in answer.topic.of(answer.lang).answer


# --- help-desk and other questions someone else answers -----------------------------------------


@pytest.mark.parametrize(
    ("lang", "question", "pointer"),
    [
        ("en", "how do I add guests to a team in Teams", "Microsoft Support"),
        ("en", "how do I move a card in trello", "Trello"),
        ("en", "how much does a Teams licence cost per user?", "help pages"),
        ("en", "are social media ads tax deductible?", "accountant"),
        ("en", "can I be fired for what I post on Facebook?", "employment law"),
        ("fi", "miten kirjataan somemainonnan kulut kirjanpitoon", "kirjanpitäjä"),
        ("fi", "pitääkö tästä neuvotella luottamusmiehen kanssa", "työoikeuden"),
        ("fi", "miten lisään vieraan käyttäjän teamsiin", "Microsoftin tuki"),
        ("fi", "saako facebookissa järjestää arvonnan", "arpajais"),
        # "kirjataan" into a contract is not bookkeeping
        ("fi", "Miten työsopimukseen kirjataan etätyö?", "työoikeuden"),
        ("fi", "saanko korvausta jos teen markkinointia omalla ajalla", "työoikeuden"),
        ("fi", "mulla on teams mut en löydä mistä vaihdetaan profiilikuva", "Microsoftin tuki"),
        ("fi", "Miten Teamsissa luodaan uusi kanava tiimille?", "Microsoftin tuki"),
        ("en", "how do I create a channel in Teams", "Microsoft Support"),
        ("en", "I tried to add a guest in Teams and it failed, what now?", "Microsoft Support"),
        ("fi", "miten kirjataan somemainonnan kulut", "kirjanpitäjä"),
        ("en", "a customer posted a photo of our staff, are we liable?", "lawyer"),
        ("fi", "olemmeko korvausvastuussa jos asiakas jakaa kuvan", "juristi"),
        # a second tester's: the app's buttons are its help pages' business
        ("en", "how do I add a link in my instagram bio", "Help Centre"),
        ("fi", "miten instagramissa saa linkin bioon, en löydä mistä painetaan", "ohjekeskus"),
        ("en", "how do i leave a whatsapp group without everyone seeing", "help pages"),
        # an employer reading staff's email is privacy in working life, not their own accounts
        ("fi", "Saako työnantaja tarkastaa työpaikan kaikki sähköpostit?", "työoikeuden"),
        ("en", "can my boss read my work emails", "employment law"),
        # a channel only part of the team can see is a private channel: Microsoft's help pages
        (
            "fi",
            "Teamsissa miten saa tehtyä kanavan jonne vain osa porukasta pääsee?",
            "Microsoftin tuki",
        ),
        ("en", "walk me through setting up instagram ads, where do i click", "Help Centre"),
        ("fi", "Miten Teamsissa tehdään uusi kanava?", "Microsoftin tuki"),
    ],
)
def test_help_desk_and_other_fields_are_declined_with_who_answers(
    answerer: Answerer, knowledge: Knowledge, lang: str, question: str, pointer: str
) -> None:
    answer = answerer.answer(question, lang)  # type: ignore[arg-type]
    assert answer.topic is None
    assert answer.referral is not None and pointer in answer.referral
    text = Renderer().text(answer_message(knowledge, answer))
    assert pointer in text
    assert "privacy" not in text.casefold() and "tietosuoja" not in answer.suggestions


def test_reading_email_is_someone_elses_question_only_when_the_employer_reads_it(
    answerer: Answerer,
) -> None:
    """Where a firm keeps its customers' email is the adviser's question, not employment law."""
    for question, lang in (
        ("should we read customer emails in Teams or Outlook", "en"),
        ("As an employer, how do I get staff to read Teams instead of email?", "en"),
        ("Työnantajana haluan, että työntekijät lukevat Teamsia eikä sähköpostia", "fi"),
    ):
        assert answerer.answer(question, lang).referral is None, question  # type: ignore[arg-type]


def test_only_the_asking_part_makes_a_long_message_someone_elses_question(
    answerer: Answerer,
) -> None:
    """An accounting firm that says it does bookkeeping and VAT, then asks what to post, asks the
    adviser; one that asks how to book its ad costs asks its accountant."""
    story = (
        "We are a 15-person accounting firm and most of our work is bookkeeping, payroll and VAT."
    )
    ours = answerer.answer(f"{story} What should our firm post on LinkedIn?", "en")
    assert ours.referral is None
    offered = {ours.topic.id} if ours.topic else set(ours.suggestions)
    assert offered & {"linkedin", "content-ideas", "client-confidentiality"}
    theirs = answerer.answer(f"{story} How do we book the cost of our Facebook ads?", "en")
    assert theirs.referral is not None and "accountant" in theirs.referral


def test_a_follow_up_someone_else_answers_is_not_read_in_the_thread(answerer: Answerer) -> None:
    answer = answerer.answer("entä alv? facebook laskuttaa irlannista", "fi", thread="facebook")
    assert answer.topic is None and answer.referral is not None


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        # a tool that died out is why internal networks fail, not its help pages
        ("en", "We tried Yammer a few years ago and it died after a month. why does that happen"),
        # "can't find", "add a channel", "how do we switch" are asked within the field too
        ("fi", "en löydä aikaa somelle"),
        ("en", "I cannot find the time to post"),
        ("fi", "miten vaihdetaan sähköpostista teamsiin"),
        ("en", "should we add another channel, like instagram?"),
        ("fi", "pitäisikö meidän luoda uusi kanava asiakkaille"),
        ("fi", "meillä ei ole varaa maksaa palkkaa somettajalle"),
        # a reviewer's: planning channels, a profile picture as branding, "a liability", consumers
        ("en", "How many channels do we create in Teams?"),
        ("fi", "Montako kanavaa Teamsiin kannattaa luoda?"),
        ("fi", "Pitäisikö vaihtaa Facebook-sivun profiilikuva logoksi?"),
        ("en", "Is social media a liability for a small firm?"),
        ("fi", "Pitäisikö kirjata ylös, mitä kuluttajat kysyvät somessa?"),
        # what a tool is good for is choosing one, not its help pages
        ("fi", "mihin viestintään slack sopii meidän firmassa"),
        ("en", "what is trello good for in a small team"),
    ],
)
def test_questions_of_the_field_are_not_sent_elsewhere(
    answerer: Answerer, lang: Lang, question: str
) -> None:
    assert answerer.answer(question, lang).referral is None


def test_a_tool_that_died_out_is_answered_as_a_failed_roll_out(answerer: Answerer) -> None:
    answer = answerer.answer(
        "We tried Yammer a few years ago and it died after a month. why does that happen", "en"
    )
    assert answer.topic is not None and answer.topic.id == "why-adoption-fails"


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        # how big a pilot should be is a question of starting one, not of a stalled one
        ("fi", "Kuinka pieni pilotti kannattaisi järjestää?", "pilot-first"),
        ("en", "how big should our pilot group be?", "pilot-first"),
        ("fi", "pilotti on jumissa, mitä nyt", "pilot-stalled"),
        ("en", "our pilot stalled after two weeks, what now?", "pilot-stalled"),
    ],
)
def test_a_stalled_pilot_only_when_it_stalled(
    answerer: Answerer, lang: Lang, question: str, topic: str
) -> None:
    answer = answerer.answer(question, lang)
    assert answer.topic is not None and answer.topic.id == topic


def test_getting_people_to_use_a_channel_without_teams_is_not_the_teams_roll_out(
    answerer: Answerer,
) -> None:
    answer = answerer.answer("miten saan porukan käyttämään sisäistä kanavaa?", "fi")
    assert answer.topic is not None and answer.topic.id == "change-resistance"


def test_taking_a_tool_into_use_is_not_product_help(answerer: Answerer) -> None:
    answer = answerer.answer("how do we get our staff to actually use Teams?", "en")
    assert answer.referral is None
    offered = {answer.topic.id} if answer.topic else set(answer.suggestions)
    assert offered & {"teams-rollout", "why-adoption-fails", "change-resistance"}


# --- the new topics, general practice and said so -----------------------------------------------


NEW_TOPICS = {
    "instagram": ("is instagram worth it for a hair salon", "kannattaako kampaamon olla instassa"),
    "tiktok-youtube": (
        "is tiktok worth it for a small bakery",
        "kannattaako leipomon tehdä tiktokkia",
    ),
    "growing-reach": ("how do we get more followers on our page", "miten saadaan lisää seuraajia"),
    "ads-budget": (
        "how much do facebook ads cost for a small shop",
        "paljonko facebook-mainonta maksaa",
    ),
    "posting-frequency": (
        "how often should a cafe post",
        "kuinka usein yrityksen kannattaa julkaista",
    ),
    "content-ideas": (
        "content ideas for a plumber's page",
        "mitä kahvilan kannattaa julkaista",
    ),
    "negative-feedback": (
        "what do i do if someone leaves a nasty review",
        "asiakas haukkui meidät facebookissa, mitä teen",
    ),
    "staff-own-accounts": (
        "can I make my staff share our posts on their own accounts",
        "voinko vaatia työntekijöitä jakamaan firman päivityksiä",
    ),
    "photos-and-consent": (
        "do I need permission to post a photo of a customer",
        "tarvitaanko lupa asiakkaan kuvan julkaisemiseen",
    ),
    "client-confidentiality": (
        "we are an accounting firm, can we post about our clients",
        "tilitoimisto ja vaitiolovelvollisuus somessa",
    ),
    # what real questions asked and no topic covered: work chats, influencers, outside help
    "work-chats": (
        "our team has far too many whatsapp groups, how do we sort it out",
        "meillä on töissä liikaa whatsapp-ryhmiä, miten saadaan järjestykseen",
    ),
    "influencers": (
        "should our flower shop work with a local influencer",
        "kannattaako kukkakaupan tehdä yhteistyötä vaikuttajan kanssa",
    ),
    "outside-help": (
        "should I pay a freelancer to run our instagram",
        "voiko tekoälyllä kirjoittaa yrityksen somepäivitykset",
    ),
}


@pytest.mark.parametrize("topic_id", sorted(NEW_TOPICS))
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_each_new_topic_is_answered_and_labelled_general_practice(
    answerer: Answerer, knowledge: Knowledge, topic_id: str, lang: str
) -> None:
    question = NEW_TOPICS[topic_id][0 if lang == "en" else 1]
    answer = answerer.answer(question, lang)  # type: ignore[arg-type]
    assert answer.topic is not None and answer.topic.id == topic_id
    topic = knowledge.topics[topic_id]
    assert all(source.file is None for source in topic.sources), "never under a report's name"
    text = Renderer().text(answer_message(knowledge, answer))
    label = knowledge.general_practice.en if lang == "en" else knowledge.general_practice.fi
    assert label in text
    for seed in knowledge.seeds.values():
        assert seed.cite.en not in text and seed.cite.fi not in text


@pytest.mark.parametrize(
    ("topic_id", "lang", "named"),
    [
        ("influencers", "en", "the Consumer Ombudsman's guidance on influencer marketing (kkv.fi)"),
        ("influencers", "fi", "kuluttaja-asiamiehen linjaus vaikuttajamarkkinoinnista (kkv.fi)"),
        ("photos-and-consent", "en", "the Data Protection Ombudsman (tietosuoja.fi)"),
        ("photos-and-consent", "fi", "tietosuojavaltuutettu (tietosuoja.fi)"),
    ],
)
def test_a_public_source_is_named_in_the_source_line_beside_general_practice(
    answerer: Answerer, knowledge: Knowledge, topic_id: str, lang: Lang, named: str
) -> None:
    """The answer says what it rests on: the authority whose rule it states, and general practice
    for the rest, never a report."""
    question = NEW_TOPICS[topic_id][0 if lang == "en" else 1]
    text = Renderer().text(answer_message(knowledge, answerer.answer(question, lang)))
    source_line = next(
        line for line in text.splitlines() if line.startswith(("Source", "Lähde", "Lähteet"))
    )
    assert named in source_line
    assert knowledge.general_practice.of(lang) in source_line


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_the_influencer_answer_names_the_consumer_ombudsmans_guidance(
    answerer: Answerer, knowledge: Knowledge, lang: Lang
) -> None:
    """A rule stated in a general-practice answer names its public source."""
    question = NEW_TOPICS["influencers"][0 if lang == "en" else 1]
    text = Renderer().text(answer_message(knowledge, answerer.answer(question, lang)))
    advice = [line for line in text.splitlines() if not line.startswith(("Source", "Lähte"))]
    assert any("kkv.fi" in line and "Mainos" in line for line in advice)


@pytest.mark.parametrize(
    ("lang", "question", "not_topic"),
    [
        # the new topics' words in questions of older topics
        ("en", "our staff post memes on their own instagram about work", "work-chats"),
        ("fi", "kannattaako meidän julkaista viikonloppuna vai arkena", "work-chats"),
        ("en", "a blogger wrote a bad review of our restaurant, what do we do", "influencers"),
        ("fi", "olemme tilitoimisto, mitä voimme julkaista linkkarissa", "outside-help"),
        ("en", "can the regional business services help us get started", "outside-help"),
    ],
)
def test_a_new_topic_does_not_take_older_topics_questions(
    answerer: Answerer, lang: Lang, question: str, not_topic: str
) -> None:
    answer = answerer.answer(question, lang)
    assert answer.topic is None or answer.topic.id != not_topic


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        ("en", "Besides marketing, what could social media do inside our firm?", "internal-uses"),
        ("fi", "Muuhun kuin mainontaan, mihin somea voi käyttää firman sisällä?", "internal-uses"),
    ],
)
def test_what_a_question_sets_aside_does_not_name_the_answer(
    answerer: Answerer, lang: Lang, question: str, topic: str
) -> None:
    answer = answerer.answer(question, lang)
    assert answer.topic is not None and answer.topic.id == topic


def test_what_an_owner_rules_out_is_not_answered_as_asked(answerer: Answerer) -> None:
    """A fourth tester: "im not paying for ads" got the ad-budget answer; the adviser now asks."""
    answer = answerer.answer("what does it cost? im not paying for ads", "en")
    assert answer.topic is None and "ads-budget" in answer.suggestions


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("fi", "voiko whatsappia käyttää sisäisenä verkostona yammerin sijaan"),
        ("en", "can we use slack instead of yammer for internal communication"),
    ],
)
def test_choosing_a_tool_for_internal_use_is_not_product_help(
    answerer: Answerer, lang: Lang, question: str
) -> None:
    answer = answerer.answer(question, lang)
    assert answer.referral is None
    assert answer.topic is not None and answer.topic.id == "internal-sns-tools"


# --- keeping the thread -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "first", "follow_up", "expected"),
    [
        (
            "en",
            "choosing-channels",
            "what about internal stuff?",
            {"internal-uses", "internal-sns-tools"},
        ),
        (
            "fi",
            "choosing-channels",
            "entä sisäinen viestintä?",
            {"internal-uses", "internal-sns-tools"},
        ),
        (
            "en",
            "facebook",
            "and for a b2b firm?",
            {"linkedin", "b2b-international", "choosing-channels"},
        ),
        ("fi", "facebook", "entä instagram?", {"instagram"}),
        ("fi", "negative-feedback", "no entä jos arvostelija valehtelee", {"negative-feedback"}),
        # what stands right after the opening is the subject; the rest says why
        ("fi", "instagram", "entä tiktok? nuoret pelaajat on siellä", {"tiktok-youtube"}),
    ],
)
def test_a_follow_up_keeps_the_thread(
    answerer: Answerer, lang: str, first: str, follow_up: str, expected: set[str]
) -> None:
    answer = answerer.answer(follow_up, lang, thread=first)  # type: ignore[arg-type]
    assert answer.topic is not None and answer.topic.id in expected


def test_without_the_thread_a_follow_up_is_not_answered(answerer: Answerer) -> None:
    """The thread is what makes "what about internal stuff?" answerable at all."""
    assert answerer.answer("what about internal stuff?", "en").outcome != "answer"


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [("en", "what about instagram", "instagram"), ("fi", "entäs instagram?", "instagram")],
)
def test_a_follow_up_opening_with_nothing_to_follow_asks_of_what_it_names(
    answerer: Answerer, lang: Lang, question: str, topic: str
) -> None:
    answer = answerer.answer(question, lang)
    assert answer.topic is not None and answer.topic.id == topic


def test_a_question_that_is_not_a_follow_up_ignores_the_thread(answerer: Answerer) -> None:
    with_thread = answerer.answer("should a plumber have a facebook page", "en", thread="linkedin")
    assert with_thread.topic is not None and with_thread.topic.id == "facebook"


# --- quality on real questions ------------------------------------------------------------------

# (half, in-scope floor, out-of-scope floor, wrong-answer ceiling), a little under what each half
# measured (README "Answer quality"). The bar is 85% / 90% / 3% on the untuned half; the
# calibration half meets the out-of-scope part of it, the untuned half that part too in session 11,
# neither half the rest (the fourth and fifth batches are harder than the first three): these
# floors keep what was gained.
REAL = [
    pytest.param("calibration", 0.16, 0.92, 0.05, id="calibration"),
    pytest.param("untuned", 0.2, 0.88, 0.09, id="untuned"),
]


def test_each_real_question_is_one_line() -> None:
    """The shared scorer gives the adviser one question a line: a question with line breaks in
    it would be answered as several."""
    questions = [c.question for half in ("calibration", "untuned") for c in real_cases(half)]
    assert all("\n" not in q and "\r" not in q for q in questions)


def _case(topic: str | None, accept: list[str] | None = None) -> dict[str, object]:
    return {"q": "?", "agreed": True, "topic": topic, "accept": accept or []}


def test_a_topic_added_later_answers_a_question_only_when_both_labellers_say_so() -> None:
    both = relabelled(_case(None), {"topic": "influencers"}, {"topic": "influencers"})
    assert both["topic"] == "influencers" and both["agreed"]
    one = relabelled(_case(None), {"topic": "influencers"}, {"topic": None})
    assert not one["agreed"], "one labeller's word is not enough: the question is not scored"
    older = relabelled(_case("facebook"), {"topic": "influencers"}, {"topic": "influencers"})
    assert older["topic"] == "facebook" and older["accept"] == ["influencers"]
    neither = relabelled(_case(None), {"topic": None}, {"topic": None})
    assert neither["topic"] is None and neither["agreed"]
    apart = relabelled(_case(None), {"topic": "influencers"}, {"topic": "work-chats"})
    assert not apart["agreed"]
    kept = relabelled(_case("facebook"), {"topic": "influencers"}, {"topic": None})
    assert kept["topic"] == "facebook" and kept["accept"] == [] and kept["agreed"]
    disagreed = {**_case(None), "agreed": False}
    never = relabelled(disagreed, {"topic": "influencers"}, {"topic": "influencers"})
    assert never["topic"] is None and not never["agreed"]


def test_the_real_set_is_what_its_sources_and_labels_make() -> None:
    """tests/data/real.yaml is rebuilt from the questions as gathered and both labellings, the
    later pass included: nobody edited a label by hand."""
    sources = DATA / "real_sources"
    labels = sources / "labels"
    batches = [
        (
            sources / f"raw_{name}.yaml",
            labels / f"labels_{name}_A.yaml",
            labels / f"labels_{name}_B.yaml",
        )
        for name in ("en", "fi", "en_2", "fi_2", "en_3", "fi_3", "en_4", "fi_4", "en_5", "fi_5")
    ]
    built = build(batches, (labels / "new_topics_A.yaml", labels / "new_topics_B.yaml"))
    stored = yaml.safe_load((DATA / "real.yaml").read_text(encoding="utf-8"))
    assert [c for c in built if c["agreed"]] == stored["cases"]
    assert [c for c in built if not c["agreed"]] == stored["disagreed"]


def test_the_ranking_ceiling_counts_a_topic_first_by_either_ranker_once() -> None:
    """bench.ranking_ceiling's figures back the README's claim about how far any decision could
    go: a case counts when either ranker has an accepted topic first, an empty ranking counts as
    a miss, and questions no topic answers are not counted."""
    cases = [
        Case("en", "nothing shared", "facebook"),
        Case("en", "accepted", "linkedin", frozenset({"facebook"})),
        Case("en", "no topic answers it", None),
    ]
    rankers = {
        "a": lambda question, lang: [] if question == "nothing shared" else ["facebook", "video"],
        "b": lambda question, lang: ["linkedin"],
    }
    counts = ceilings(cases, rankers)
    assert counts["en n"] == 2
    assert counts["en a first"] == 1 and counts["en b first"] == 1
    assert counts["en either first"] == 1 and counts["en either's top three"] == 1


@pytest.mark.parametrize(("half", "in_floor", "out_floor", "wrong_ceiling"), REAL)
def test_real_questions_stay_at_their_floors(
    answerer: Answerer, half: str, in_floor: float, out_floor: float, wrong_ceiling: float
) -> None:
    result = score(answerer, real_cases(half))
    for lang in ("en", "fi"):
        assert result.rate("in", lang) >= in_floor, result.summary()
        assert result.rate("out", lang) >= out_floor, result.summary()
    assert result.wrong_rate <= wrong_ceiling, result.summary()
