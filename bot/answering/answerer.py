"""The decision: answer with one topic, offer two or three ("did you mean"), or say it is not our field.

A confident wrong answer is the worst outcome for a business owner, so the adviser answers only
when the best topic is both a good match and clearly ahead of the next one; when two are close it
asks; when the question's words are mostly foreign to the knowledge base it says so politely.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from bot import LANGS, Lang
from bot.answering.answer import Answer
from bot.answering.focus import AskingPart
from bot.answering.index import Match, TopicIndex
from bot.answering.referral import ReferralSigns
from bot.answering.scope import ScopeWords
from bot.answering.signs import SaidWords, Sequences, Signs, said_words
from bot.answering.smalltalk import SmallTalkPhrases
from bot.answering.spoken import SpokenWords
from bot.answering.stemming import after_words, words
from bot.content.loader import Knowledge

# Longer messages are not answered (the engine says so): nobody asks a question this long, and
# Telegram alone allows 4,096. The answerer cuts anything longer, for callers like `ask`.
MAX_QUESTION_CHARS = 1000
FOLLOW_UP_WORDS = 8  # a follow-up is short: "what about internal stuff?", "entä LinkedIn?"
# Where a clause ends: what a phrase sets aside ("besides marketing,") reaches no further, and a
# follow-up's subject ("entä tiktok?") is what stands before it.
_CLAUSE = re.compile(r"[,.;:!?()–—]|\s-\s")


@dataclass(frozen=True)
class Thresholds:
    """Where the three outcomes meet, per language: Finnish questions score lower than English
    ones because more of their word forms are new to the index. Calibrated on the held-out
    questions in tests/data (never on the shared dev questions); see bench/qa_quality.py.
    """

    answer_score: Mapping[Lang, float] = field(default_factory=lambda: {"en": 0.16, "fi": 0.11})
    # When the second topic scores this share of the best or more, the two are too close to
    # tell apart: "did you mean" instead of an answer. A share rather than a fixed gap, because
    # a gap of 0.01 is decisive between two weak matches and noise between two strong ones.
    too_close: float = 0.98
    # Below the answer score, topics scoring at least this share of it are offered as a menu.
    nearby_share: float = 0.7
    suggest_band: float = 0.04  # topics this close to the best are offered as suggestions
    # A question naming nothing of the adviser's field (knowledge/scope.yaml) must score this
    # many times the answer score: sharing one everyday word with a topic is not enough.
    without_scope_word: float = 1.6
    # A topic is "named" when the question uses one of its keywords (the words that point to
    # it); one that is not named must score this much more. So must one that the three ways of
    # comparing (the topic as a whole, its closest example, its letters) do not all put first:
    # on questions real people asked, a best topic that is neither named nor agreed on was
    # wrong far more often than right.
    not_named: float = 1.2
    not_agreed: float = 1.2
    # In a long message, how much the asking part (focus.py) weighs against the whole message.
    asking_part: float = 0.6
    # A topic whose match with a question of several words rests this much on one shared word
    # ("many times" -> time-effects, "help" -> where-to-get-help) needs the higher score too.
    one_word: float = 0.6
    one_word_min_words: int = 5


class Answerer:
    def __init__(self, knowledge: Knowledge, thresholds: Thresholds | None = None) -> None:
        self.knowledge = knowledge
        self.thresholds = thresholds or Thresholds()
        self.smalltalk = SmallTalkPhrases(knowledge.smalltalk)
        topics = list(knowledge.topics.values())
        self.indexes = {
            lang: TopicIndex(lang, topics, SpokenWords(knowledge.spoken.of(lang), lang))
            for lang in LANGS
        }
        self.scope = {
            lang: ScopeWords(
                lang,
                knowledge.scope.of(lang),
                self.indexes[lang].mapper,
                knowledge.scope.exact.of(lang),
            )
            for lang in LANGS
        }
        self.referrals = {lang: ReferralSigns(lang, knowledge.referrals) for lang in LANGS}
        spoken = {lang: knowledge.spoken.of(lang) for lang in LANGS}
        self.follow_ups = {lang: Sequences(spoken[lang].follow_ups) for lang in LANGS}
        self.fillers = {lang: Sequences(spoken[lang].fillers) for lang in LANGS}
        self.doubts = {lang: Signs(lang, spoken[lang].doubts) for lang in LANGS}
        self.excluding = {lang: Sequences(spoken[lang].excluding) for lang in LANGS}
        self.asking = {lang: AskingPart(lang, spoken[lang].asking) for lang in LANGS}
        self.keywords = {
            lang: {topic.id: Signs(lang, topic.of(lang).keywords) for topic in topics}
            for lang in LANGS
        }
        # Topics answered only when the question uses one of their words (`requires:`).
        self.requires = {
            lang: {
                topic.id: Signs(lang, topic.requires.of(lang))
                for topic in topics
                if topic.requires is not None
            }
            for lang in LANGS
        }

    def detect_language(self, text: str) -> Lang:
        """Finnish or English, by which language's vocabulary the words belong to."""
        clear = self.clear_language(text)
        if clear is not None:
            return clear
        best = {lang: self._best_score(text, lang) for lang in LANGS}
        return "fi" if best["fi"] > best["en"] else "en"

    def clear_language(self, text: str) -> Lang | None:
        """The language most of the words belong to, or None when the words do not tell
        ("facebook?", "ok")."""
        votes = dict.fromkeys(LANGS, 0.0)
        for word in words(text):
            for lang in LANGS:
                if self.indexes[lang].mapper.knows_word(word):
                    votes[lang] += 1
        if any(ch in text.casefold() for ch in "äö"):
            votes["fi"] += 1.5
        if votes["fi"] == votes["en"]:
            return None
        return "fi" if votes["fi"] > votes["en"] else "en"

    def _best_score(self, text: str, lang: Lang) -> float:
        matches = self.indexes[lang].search(text, limit=1)
        return matches[0].score if matches else 0.0

    def answer(
        self, question: str, lang: Lang | None = None, *, thread: str | None = None
    ) -> Answer:
        """`thread`: the topic the user was just answered with, if any, for follow-ups."""
        question = question.strip()[:MAX_QUESTION_CHARS]
        question = self.smalltalk.without_opening(question)  # "hi, ..." is not part of it
        lang = lang or self.detect_language(question)
        if thread is not None and thread in self.knowledge.topics:
            followed = self._follow_up(question, lang, thread)
            if followed is not None:
                return followed
        question = self._without_follow_up_opening(question, lang)
        return self.decide(question, lang, self.matches(question, lang))

    def _follow_up_opening(self, said: list[str], lang: Lang) -> tuple[str, ...] | None:
        """How a short question opens as a follow-up ("what about", "entä"), if it does."""
        if len(said) > FOLLOW_UP_WORDS:
            return None
        return self.follow_ups[lang].at(said, shorter_than=len(said))

    def _without_follow_up_opening(self, question: str, lang: Lang) -> str:
        """ "what about instagram?" with no answer before it to follow is "instagram?": the
        opening says nothing of the subject, and its words would count against every match."""
        opening = self._follow_up_opening(words(question), lang)
        return question if opening is None else after_words(question, len(opening))

    def _follow_up(self, question: str, lang: Lang, thread: str) -> Answer | None:
        """ "what about internal stuff?" right after an answer on channels: what the rest of the
        question names, answered with another topic than the one just given, or with the same
        one where the follow-up goes deeper into it."""
        said = words(question)
        opening = self._follow_up_opening(said, lang)
        if opening is None:
            return None
        if self.referrals[lang].referral_for(question) is not None:  # "entä alv?": the accountant's
            return None
        rest_as_written = after_words(question, len(opening))
        said_rest = self._without_fillers(rest_as_written, lang)
        t = self.thresholds
        deeper = self.matches(said_rest, lang) if said_rest else []
        # Deeper into the same subject ("entä jos arvostelija valehtelee?" after the answer on bad
        # reviews): the thread confirms a weaker match.
        if (
            deeper
            and deeper[0].topic_id == thread
            and deeper[0].score >= t.answer_score[lang] * t.nearby_share
        ):
            topic = self.knowledge.topics[thread]
            return Answer(said_rest, lang, "answer", topic, topic.related[:3], 0.5)
        # What the follow-up names: first what stands right after its opening, up to the first
        # punctuation ("entä tiktok? nuoret pelaajat on siellä" names TikTok; the rest says why),
        # then all of it.
        subject = self._without_fillers(_CLAUSE.split(rest_as_written)[0], lang)
        for named in dict.fromkeys((subject, said_rest)):
            answer = self._follow_up_naming(named, lang, thread)
            if answer is not None:
                return answer
        return None

    def _follow_up_naming(self, named: str, lang: Lang, thread: str) -> Answer | None:
        """A follow-up's words answered with another topic than the thread's, if they name one.
        Without the filler it leans on the thread for ("stuff", "jutut"): words the knowledge base
        never uses would count against it."""
        mapper = self.indexes[lang].mapper
        rest = " ".join(w for w in named.split() if mapper.knows_word(w))
        if not rest:
            return None
        matches = [m for m in self.matches(rest, lang) if m.topic_id != thread]
        if not matches:
            return None
        # The thread is the adviser's field and the follow-up names its own subject in a word or
        # two, so it is held to the plain answer score.
        answer = self.decide(rest, lang, matches, follow_up=True)
        return answer if answer.outcome != "out_of_scope" else None

    def matches(self, question: str, lang: Lang, limit: int = 5) -> list[Match]:
        """The topics that could answer the question, best first."""
        index = self.indexes[lang]
        plain = self._without_fillers(question, lang)
        scores = index.scores(plain)
        asking = self.asking[lang].of(question)
        if asking is not None:  # the question after the story weighs more than the story
            share = self.thresholds.asking_part
            asking_scores = index.scores(self._without_fillers(asking, lang))
            scores = share * asking_scores + (1 - share) * scores
        said = said_words(plain, lang)
        for position, topic_id in enumerate(index.topic_ids):
            required = self.requires[lang].get(topic_id)
            if required is not None and not required.found_in(said):
                scores[position] = 0.0
        return index.best(np.asarray(scores), limit)

    def _without_fillers(self, text: str, lang: Lang) -> str:
        """The words of the text without phrases that say nothing of it ("many times")."""
        return " ".join(self.fillers[lang].removed_from(words(text)))

    def _asks_us(self, asking: str, lang: Lang) -> bool:
        """Whether the asking part of a long message is the adviser's own question whatever its
        story says: it names one of our topics by keyword and none of the signs of someone else's.
        An accounting firm that does "bookkeeping and VAT" and asks what to post on LinkedIn asks
        the adviser; "We have files in OneDrive and Teams. Where do we put what?" does not."""
        if self.referrals[lang].referral_for(asking) is not None:
            return False
        said = said_words(asking, lang)
        return any(signs.found_in(said) for signs in self.keywords[lang].values())

    def _naming(self, question: str, lang: Lang) -> SaidWords:
        """The question's words that can name a topic: without those it sets aside ("Besides
        marketing, what can social media do inside a firm?" does not name marketing)."""
        clauses = [words(clause) for clause in _CLAUSE.split(question)]
        kept = [self.excluding[lang].before_first(said) for said in clauses]
        if kept == clauses:  # nothing set aside: the question's own words, looked up once
            return said_words(question, lang)
        return said_words(" ".join(w for said in kept for w in said), lang)

    def _named_alone(self, naming: SaidWords, lang: Lang, matches: list[Match]) -> Match | None:
        """In a near tie, the one of the close topics that the question names by one of its
        keywords, when it names none of the others: "kannattaako leipomon olla facebookissa" is
        about Facebook, though choosing a channel scores almost the same, and "should we be on
        LinkedIn?" about LinkedIn whichever of the two is a hair ahead."""
        close = [m for m in matches if m.score >= matches[0].score * self.thresholds.too_close]
        named = [m for m in close if self.keywords[lang][m.topic_id].found_in(naming)]
        return named[0] if len(named) == 1 else None

    def _needed(
        self,
        question: str,
        lang: Lang,
        matches: list[Match],
        naming: SaidWords,
        *,
        names_field: bool,
        follow_up: bool,
    ) -> float:
        """The score the best topic needs for an answer rather than a choice of topics. Words the
        question sets aside (`naming`) neither name its topic nor its runners-up."""
        t = self.thresholds
        index = self.indexes[lang]
        topic_id = matches[0].topic_id
        needed = t.answer_score[lang]
        if follow_up:
            return needed
        named = self.keywords[lang][topic_id].found_in(naming)
        agreed = index.agreed_on(self._without_fillers(question, lang), topic_id)
        # Every sign at once: the question names the field and this topic by one of its
        # keywords, none of the runners-up by theirs, and all three comparisons put it first.
        # Then a low score only says the message has many other words, and the one shared word
        # is the topic's own ("social media effect on marketing" -> marketing-effects).
        # On the calibration sets such questions were never answered wrong.
        if (
            names_field
            and named
            and agreed
            and not any(self.keywords[lang][m.topic_id].found_in(naming) for m in matches[1:3])
        ):
            return t.answer_score[lang] * t.nearby_share
        if not names_field:
            needed *= t.without_scope_word
        if not named:
            needed *= t.not_named
        if not agreed:
            needed *= t.not_agreed
        if (
            len(words(question)) >= t.one_word_min_words
            and index.one_word_share(question, topic_id) >= t.one_word
        ):
            needed = max(needed, t.answer_score[lang] * t.without_scope_word)
        return needed

    def decide(
        self, question: str, lang: Lang, matches: list[Match], *, follow_up: bool = False
    ) -> Answer:
        t = self.thresholds
        asking = self.asking[lang].questions(question)
        question = " ".join(question.split())
        referral = self.referrals[lang].referral_for(question)
        if referral is not None and asking is not None and self._asks_us(asking, lang):
            referral = None
        if referral is not None:
            nearby = tuple(
                m.topic_id for m in matches[:2] if m.score >= t.answer_score[lang] * t.nearby_share
            )
            return Answer(
                question, lang, "out_of_scope", None, nearby, 0.0, referral=referral.pointer
            )
        if not matches:
            return Answer(question, lang, "out_of_scope", None, (), 0.0)
        best = matches[0]
        second = matches[1].score if len(matches) > 1 else 0.0
        answer_score = t.answer_score[lang]
        floor = answer_score * t.nearby_share
        nearby = tuple(m.topic_id for m in matches[:3] if m.score >= floor)
        # Naming nothing of the field, a question needs a much closer match to be answered;
        # in between, the adviser offers the topics instead of guessing.
        names_field = (
            follow_up
            or self.scope[lang].mentioned_in(question)
            or self.doubts[lang].found_in(said_words(question, lang))
        )
        naming = self._naming(question, lang)
        needed = self._needed(
            question, lang, matches, naming, names_field=names_field, follow_up=follow_up
        )
        confidence = _confidence(best, second, needed)
        if best.score < min(answer_score, needed):
            return Answer(question, lang, "out_of_scope", None, nearby, confidence)
        if best.score < needed:
            return Answer(
                question, lang, "suggest", None, nearby, confidence, outside_field=not names_field
            )
        chosen = (
            best if second < best.score * t.too_close else self._named_alone(naming, lang, matches)
        )
        if chosen is not None:
            topic = self.knowledge.topics[chosen.topic_id]
            return Answer(question, lang, "answer", topic, topic.related[:3], confidence)
        close = tuple(m.topic_id for m in matches[:3] if best.score - m.score <= t.suggest_band)
        return Answer(question, lang, "suggest", None, close, confidence)


def _confidence(best: Match, second: float, answer_score: float) -> float:
    """0..1: under 0.5 below the answer threshold; above it, rising with the score and the lead."""
    if best.score < answer_score:
        return round(0.49 * best.score / answer_score, 3)
    above = (best.score - answer_score) / answer_score
    lead = (best.score - second) / answer_score
    return round(0.5 + 0.5 * min(1.0, 0.5 * above + 0.5 * min(1.0, lead)), 3)
