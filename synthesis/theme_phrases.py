"""Theme labels as an analyst writes them: a short noun phrase taken from the theme's sentences.

An analyst names a theme with a noun phrase ("Samarbeid på tvers av tjenestene", "Psykisk
helse", "Styringen av statlige virksomheter", "Forskning og praksis"), not with a list of
keywords ("forskning · praksis · kunnskap") and not with a stretch of a sentence that ends on a
verb, an adjective or an article ("Kommenterer rapporten", "Risikofaktorene i et barns").

Without a tagger for Norwegian, each word gets a rough part of speech from what is around it
and how it is inflected (`word_kinds`): a function word either links two phrases ("av", "på",
"og", "of") or ends a phrase; a content word after "å", a modal verb or "to", one of the
question's verbal lemmas (`theme_labels.verbal_lemmas`), a passive ("beskrives"), a present
tense ("trenger" of "trenge") or a Norwegian lemma in "-ere" ("implementere") is a verb; an
adjective has an adjective ending ("-ig", "-lig", "-isk", "-ende", "-ive", "-ous", …), is a
comparative ("tettere" of "tett"), or stands right before a noun in Norwegian, which writes
its compounds as one word ("utsatte barn"); anything else, names and acronyms included, is a
noun. Within a theme, a lemma keeps the part of speech most of its uses show, so a sentence
that begins "Måle effekten …" does not make "måle" a noun. A label is a run of words that
reads as a noun phrase (`phrase_pattern`): adjectives before a noun, up to two more such
phrases joined by a linking word, never across punctuation.

Among the phrases of the theme's most central sentences, the label is the one that carries most
of the theme's distinctive keywords (ranked against the whole question and muted where the
consultation's title and document use them, `synthesis.theme_background`), weighted by the
share of the theme's authors who use them, with a small cost per extra word. A one-keyword
phrase is joined with the next keyword that is a noun in most of its uses and that a fair share
of the authors use ("Tilskudd og prosjektmidler"). Keywords are always written as the answers
write them, never as a bare lemma, so a lemmatiser's slip ("ledd" → "le") or a lower-cased
acronym ("FUG" → "fug") cannot reach a label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from synthesis.language import Language
from synthesis.text import Passage, is_acronym
from synthesis.theme_labels import sentences_of

LemmasOfWords = Callable[[Sequence[str], Language], list[str | None]]

MAX_LABEL_WORDS = 6
LABEL_KEYWORD_POOL = 8
CENTRAL_PASSAGES_FOR_LABEL = 12
SUPPORT_SAMPLE = 200  # passages read for who uses a keyword, how and in which form
EXTRA_WORD_COST = 0.04
UNNAMED_WORD_COST = 0.08
# A second keyword joins a one-keyword phrase ("X og Y") when this share of the theme's authors
# uses it: with fewer, it names a side remark of a few members.
MIN_COORDINATED_SUPPORT = 0.3
MIN_NOUN_SHARE = 0.5
MODIFIER_WEIGHT = 0.5  # a keyword that only describes the phrase's noun ("tverrfaglig")

NOUN, ADJECTIVE, VERB, LINK, AND, STOP, BREAK = "N", "A", "V", "L", "O", "S", "."

_AND_WORDS = frozenset({"og", "and"})
_LINK_WORDS = frozenset(
    {
        *("i", "av", "for", "på", "til", "om", "med", "mellom", "fra", "frå", "hos", "ved"),
        *("blant", "under", "etter", "uten", "utan", "mot", "rundt", "gjennom", "innen"),
        *("overfor", "innenfor", "utenfor", "hjå", "ifølge"),
        *("of", "in", "on", "to", "with", "between", "from", "by", "among", "within"),
    }
)
_VERB_MARKERS = frozenset(
    {
        *("å", "må", "skal", "kan", "bør", "vil", "kunne", "skulle", "ville", "burde"),
        *("måtte", "får", "fikk", "to", "should", "must", "can", "will", "would", "could"),
        *("may", "might", "do", "does", "did"),
    }
)
# Adverbs and particles that are no stop words but end a noun phrase ("frem", "sammen").
_ADVERBS = frozenset(
    {
        *("frem", "fram", "inn", "ut", "opp", "ned", "bort", "tilbake", "sammen", "videre"),
        *("hjem", "nok", "gjerne", "dessverre", "tidligere", "senere", "snarest"),
        *("better", "worse", "best", "worst", "rather", "instead"),
    }
)
_SUBJECTS = frozenset(
    {"it", "he", "she", "this", "that", "which", "who", "they", "we", "you", "i", "one"}
)
_ADJECTIVE_ENDINGS = (
    *(
        stem + inflection
        for stem in ("ig", "lig", "isk", "ende", "bar", "som", "ell", "iv", "ert", "al", "ær")
        for inflection in ("", "e", "t")
    ),
    *("ive", "ous", "ful", "less", "able", "ible", "ic", "ical", "ed"),
)
# Nouns that end like the adjectives "nasjonal", "primær" or the verbs "implementere".
_NOUN_EXCEPTIONS = frozenset(
    {
        *("signal", "kanal", "personal", "materiale", "potensial", "journal", "areal"),
        *("kapital", "festival", "arsenal", "tribunal", "rival", "proposal", "approval"),
        *("barriere", "karriere", "premiere", "funksjonær", "milliardær", "animal"),
        *("individual", "criminal", "arrival", "survival", "refusal", "trial", "signal"),
    }
)
_WORD_OR_BREAK = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[^\w\s]")


@cache
def phrase_pattern(language: Language) -> re.Pattern[str]:
    """Kinds (`word_kinds`) that read as a noun phrase: adjectives (two may be joined by
    "og") before a noun, and up to two more of these joined by a linking word. English puts
    nouns together ("death penalty"); Norwegian writes them as one word, so there two nouns in
    a row are two phrases."""
    nouns = f"{NOUN}+" if language == "en" else NOUN
    noun_phrase = f"(?:{ADJECTIVE}(?:{AND}{ADJECTIVE})?)*{nouns}"
    return re.compile(f"{noun_phrase}(?:[{LINK}{AND}]{noun_phrase}){{0,2}}")


def word_kinds(
    words: Sequence[str],
    lemmas: Sequence[str | None],
    language: Language,
    verbal: frozenset[str] = frozenset(),
) -> str:
    """One letter per word: NOUN, ADJECTIVE, VERB, LINK, AND, STOP (any other function word) or
    BREAK (a punctuation mark, lemma ""), from the word, its lemma and its neighbours."""
    kinds: list[str] = []
    previous = ""
    for word, lemma in zip(words, lemmas, strict=True):
        folded = word.casefold()
        if lemma == "":
            kinds.append(BREAK)
        elif (
            lemma is None
            or folded in _ADVERBS
            or (len(word) <= 2 and not is_acronym(word))  # "pa" for "på" in text typed in ASCII
            or (language == "en" and folded.endswith("ly"))
        ):
            kinds.append(AND if folded in _AND_WORDS else LINK if folded in _LINK_WORDS else STOP)
        elif is_acronym(word) or (word[:1].isupper() and previous not in ("", ".")):
            kinds.append(NOUN)  # an acronym or a name: "FUG", "NAV", "Bergen"
        elif (
            previous in _VERB_MARKERS
            or lemma in verbal
            or _verb_form(folded, lemma, language, previous)
        ):
            kinds.append(VERB)
        elif _adjective_form(folded, lemma):
            kinds.append(ADJECTIVE)
        else:
            kinds.append(NOUN)
        previous = "." if lemma == "" else folded
    if language != "en":  # inflected like an adjective, right before a noun: "utsatte barn"
        for at in range(len(kinds) - 1):
            if kinds[at] == kinds[at + 1] == NOUN and _inflected_as_adjective(
                words[at], lemmas[at]
            ):
                kinds[at] = ADJECTIVE
    return "".join(kinds)


def _inflected_as_adjective(word: str, lemma: str | None) -> bool:
    """A Norwegian adjective's plural, definite or neuter form: "utsatte", "stort"."""
    return word.casefold() in (f"{lemma}e", f"{lemma}t") and not is_acronym(word)


def _verb_form(word: str, lemma: str, language: Language, previous: str) -> bool:
    """A Norwegian verb by its form: present "trenger", passive "beskrives" (also when the
    dictionary does not know it: "oppleves"), an infinitive in "-ere"; an English one after a
    pronoun ("it helps")."""
    if language == "en":
        return previous in _SUBJECTS
    if lemma.endswith("ere") and len(lemma) > 5 and lemma not in _NOUN_EXCEPTIONS:
        return True
    if word == lemma and word.endswith("es") and len(word) > 5:
        return True
    return lemma.endswith("e") and word in (f"{lemma}r", f"{lemma}s", f"{lemma[:-1]}es")


def _adjective_form(word: str, lemma: str) -> bool:
    if lemma in _NOUN_EXCEPTIONS:
        return False
    if word.endswith(_ADJECTIVE_ENDINGS) or lemma.endswith(_ADJECTIVE_ENDINGS):
        return True
    return word in (f"{lemma}ere", f"{lemma}est", f"{lemma}este")  # "tettere", "sterkest"


@dataclass
class _Reading:
    """What the sampled passages say about each keyword: who uses it, as which part of
    speech, written how."""

    authors: set[object] = field(default_factory=set)
    users: dict[str, set[object]] = field(default_factory=dict)
    kinds: dict[str, Counter[str]] = field(default_factory=dict)
    forms: dict[str, Counter[str]] = field(default_factory=dict)

    def support(self, lemma: str) -> float:
        return len(self.users.get(lemma, ())) / max(len(self.authors), 1)

    def usual_kind(self, lemma: str) -> str:
        counts = self.kinds.get(lemma)
        return counts.most_common(1)[0][0] if counts else NOUN

    def is_noun(self, lemma: str) -> bool:
        """A noun in most of its uses, and not shaped like an adjective ("Nasjonalt" begins
        a name now and then)."""
        counts = self.kinds.get(lemma, Counter())
        mostly = counts[NOUN] > MIN_NOUN_SHARE * sum(counts.values())
        return mostly and not _adjective_form(lemma, lemma)

    def written(self, lemma: str) -> str:
        forms = self.forms.get(lemma)
        return forms.most_common(1)[0][0] if forms else lemma


@dataclass(frozen=True)
class _Sentence:
    words: list[str]
    lemmas: list[str | None]
    kinds: str
    language: Language


def theme_label(
    passages: Sequence[Passage],
    order: Iterable[int],
    keywords: Sequence[str],
    lemmas_of_words: LemmasOfWords,
    *,
    author_of: Callable[[str], object] = lambda key: key,
    verbal: frozenset[str] = frozenset(),
) -> str:
    """The label of a theme whose passages are `passages`, most central first in `order`,
    described by `keywords` (best first); "" when it has no keyword."""
    wanted = [keyword for keyword in keywords if " " not in keyword][:LABEL_KEYWORD_POOL]
    if not wanted:
        return ""
    ranked = list(order)[:SUPPORT_SAMPLE]
    reading = _Reading()
    central: list[_Sentence] = []
    for rank, position in enumerate(ranked):
        passage = passages[position]
        sentences = _read(passage, set(wanted), reading, author_of, lemmas_of_words, verbal)
        if rank < CENTRAL_PASSAGES_FOR_LABEL:
            central += sentences
    weight = {keyword: 1.0 / (1 + rank) for rank, keyword in enumerate(wanted)}
    best = _best(central, weight, reading)
    nouns = [keyword for keyword in wanted if reading.is_noun(keyword)]
    if best is None or not nouns:  # no phrase holds a keyword, or none is a noun
        shared = {lemma: reading.support(lemma) for lemma in reading.users if lemma not in weight}
        best = _best(central, weight | shared, reading) or best
    if best is None:
        return _capitalised(reading.written((nouns or wanted)[0]))
    phrase, named = best
    if len(named) == 1 and len(phrase.split()) < MAX_LABEL_WORDS:
        partner = next(
            (
                keyword
                for keyword in nouns
                if keyword not in named and reading.support(keyword) >= MIN_COORDINATED_SUPPORT
            ),
            None,
        )
        if partner is not None:
            conjunction = "and" if central[0].language == "en" else "og"
            phrase = f"{phrase} {conjunction} {reading.written(partner)}"
    return _capitalised(phrase)


def _best(
    sentences: Sequence[_Sentence], weight: dict[str, float], reading: _Reading
) -> tuple[str, frozenset[str]] | None:
    """(phrase, weighted lemmas in it) of the best candidate; the most central of equals."""
    best = max(
        (
            candidate
            for sentence in sentences
            for candidate in _candidates(sentence, weight, reading)
        ),
        key=lambda candidate: candidate[0],
        default=None,
    )
    return None if best is None else (best[1], best[2])


def _read(
    passage: Passage,
    wanted: set[str],
    reading: _Reading,
    author_of: Callable[[str], object],
    lemmas_of_words: LemmasOfWords,
    verbal: frozenset[str],
) -> list[_Sentence]:
    """The passage's sentences with their words' kinds; what they say of the keywords is
    added to `reading`."""
    author = author_of(passage.respondent_key)
    reading.authors.add(author)
    sentences = []
    for text in sentences_of(passage.text):
        words, lemmas = _words_and_lemmas(text, passage.language, lemmas_of_words)
        kinds = word_kinds(words, lemmas, passage.language, verbal)
        for word, lemma, kind in zip(words, lemmas, kinds, strict=True):
            if lemma and kind == NOUN:  # who uses which nouns: the fallback's weights
                reading.users.setdefault(lemma, set()).add(author)
            if lemma in wanted:
                reading.users.setdefault(lemma, set()).add(author)
                reading.kinds.setdefault(lemma, Counter())[kind] += 1
                written = word if is_acronym(word) else word.casefold()
                reading.forms.setdefault(lemma, Counter())[written] += 1
        sentences.append(_Sentence(words, lemmas, kinds, passage.language))
    return sentences


def _candidates(
    sentence: _Sentence, weight: dict[str, float], reading: _Reading
) -> Iterable[tuple[float, str, frozenset[str]]]:
    """(score, phrase, keywords it holds) of every noun phrase of `sentence` with a keyword."""
    words, lemmas = sentence.words, sentence.lemmas
    kinds = "".join(
        reading.usual_kind(lemma) if lemma in weight and kind in (NOUN, VERB) else kind
        for lemma, kind in zip(lemmas, sentence.kinds, strict=True)
    )
    pattern = phrase_pattern(sentence.language)
    for start in range(len(words)):
        for end in range(start + 1, min(start + MAX_LABEL_WORDS, len(words)) + 1):
            if not pattern.fullmatch(kinds, start, end):
                continue
            content = [lemma for lemma in lemmas[start:end] if lemma]
            named = frozenset(lemma for lemma in content if lemma in weight)
            if not named:
                continue
            nouns = {lemmas[at] for at in range(start, end) if kinds[at] == NOUN}
            share = min(reading.support(lemma) for lemma in named)
            score = (
                sum(weight[lemma] * (1.0 if lemma in nouns else MODIFIER_WEIGHT) for lemma in named)
                * (0.5 + share)
                - EXTRA_WORD_COST * (end - start - 1)
                - UNNAMED_WORD_COST * (len(content) - len(named))
            )
            yield score, " ".join(words[start:end]), named


def _words_and_lemmas(
    sentence: str, language: Language, lemmas_of_words: LemmasOfWords
) -> tuple[list[str], list[str | None]]:
    """The words and punctuation marks of `sentence`, and the lemma of each ("" for a mark,
    None for a function word)."""
    tokens = _WORD_OR_BREAK.findall(sentence)
    words = [token for token in tokens if token[0].isalpha()]
    lemma_iter = iter(lemmas_of_words(words, language))
    return tokens, [next(lemma_iter) if token[0].isalpha() else "" for token in tokens]


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]
