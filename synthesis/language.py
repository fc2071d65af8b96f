"""Which written language an answer is in (bokmål, nynorsk or English) and its stop words.

Consultation answers arrive in both Norwegian written standards and now and then in English.
Lemmas and stop words depend on the standard ("ikkje"/"ikke", "teneste"/"tjeneste"), so each
answer is routed by a detector built from function words: they are frequent, short and differ
between the standards, so a handful of them decides even a two-line answer. simplemma's own
detector scores by lexicon coverage, which confuses nb and nn on short texts because most
content words are shared.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

import numpy as np

from synthesis.freed_memory import word_cache
from synthesis.redaction import MARKER_WORDS

Language = Literal["nb", "nn", "en"]
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text))


LANGUAGES: tuple[Language, ...] = ("nb", "nn", "en")
DEFAULT_LANGUAGE: Language = "nb"

# Words that occur in one standard and (almost) never in the others. Words shared by nb and nn
# ("og", "i", "på", "som") carry no signal and are left out on purpose.
FUNCTION_WORDS: dict[Language, frozenset[str]] = {
    "nb": _words(
        "ikke jeg hva hvordan bare fra de være noe hvis hvor hvilke hvem også mye mer "
        "enn noen ble blir vært dem deres selv kunne skulle ville disse dette hun "
        "gjennom etter uten mellom hverandre tjenester tjenestene"
    ),
    "nn": _words(
        "ikkje eg kva korleis berre frå dei vere noko kvar kven kvifor også mykje meir "
        "enn nokon vart blir vore dykk sjølv kunne skulle ville desse dette ho gjennom "
        "etter utan mellom kvarandre tenester tenestene òg me ein eit"
    ),
    "en": _words(
        "the and of is are not that this with we should have which would their there "
        "they these been was were what how"
    ),
}
# Drop words that appear in more than one list: only distinctive words vote.
_SHARED = {
    word
    for language in LANGUAGES
    for word in FUNCTION_WORDS[language]
    if sum(word in FUNCTION_WORDS[other] for other in LANGUAGES) > 1
}
DISTINCTIVE_WORDS: dict[Language, frozenset[str]] = {
    language: words - _SHARED for language, words in FUNCTION_WORDS.items()
}

# spaCy ships no nynorsk stop words, so nynorsk uses bokmål's plus the nynorsk forms below.
NYNORSK_EXTRA_STOP_WORDS = _words(
    "eg meg deg ho han dei dykk oss ikkje kva korleis kvifor kvar kven berre "
    "frå vere vore vart noko nokon ingen ein eit ei òg også mykje meir mest kunne "
    "skulle ville desse dette denne sjølv utan mellom gjennom etter kvarandre sin si "
    "sitt sine hjå medan difor derfor då no når her der opp ned inn ut vil kan må "
    "skal bør"
)
# Words that recur in every consultation answer and never name a theme.
CONSULTATION_STOP_WORDS = _words(
    "bør blant ulike ulik både dersom hvordan hva hvor vårt våre deres f.eks eks "
    "bl.a dvs etc mv osv jf pkt nr side ca mener synes viktig viktige behov "
    "hos derfor dessuten ytterligere skyld nødvendigvis spesielt særlig gjennom via ved "
    "mot uten samt forskjellig forskjellige hvert hver ellers fortsatt allerede stadig "
    "nettopp ofte alltid aldri kun enda likevel imidlertid altså dermed herunder "
    "forøvrig ifølge iht ift mht evt eventuelt"
)


@cache
def stop_words(language: Language) -> frozenset[str]:
    """Lower-case stop words for `language`: spaCy's list plus nynorsk and consultation words,
    and the words of the redaction markers ("[sladdet]" stands for words nobody may read).

    spaCy is imported here, not at module level, so the web app can use this module's types
    without loading spaCy."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
    from spacy.lang.nb.stop_words import STOP_WORDS as BOKMAL_STOP_WORDS

    if language == "en":
        return frozenset(ENGLISH_STOP_WORDS) | MARKER_WORDS
    base = frozenset(BOKMAL_STOP_WORDS) | CONSULTATION_STOP_WORDS | MARKER_WORDS
    return base | NYNORSK_EXTRA_STOP_WORDS if language == "nn" else base


LANGUAGE_OF_WORD: dict[str, Language] = {
    word: language for language, words in DISTINCTIVE_WORDS.items() for word in words
}
# One pass of the regex engine finds only the words that vote, so long answers cost little.
_DISTINCTIVE = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(sorted(LANGUAGE_OF_WORD, key=len, reverse=True))
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)


def language_votes(text: str) -> dict[Language, int]:
    """How many words of `text` are distinctive function words of each language."""
    votes: dict[Language, int] = dict.fromkeys(LANGUAGES, 0)
    for word in _DISTINCTIVE.findall(text):
        votes[LANGUAGE_OF_WORD[word.casefold()]] += 1
    return votes


def detect_language(text: str, default: Language = DEFAULT_LANGUAGE) -> Language:
    """The language with most distinctive function words in `text`; when none occur or they
    tie, the language whose dictionary alone knows most of its words; else `default`."""
    votes = language_votes(text)
    row = np.array([[votes[language] for language in LANGUAGES]])
    if undecided(row)[0]:
        words = _WORD.findall(text)
        lexical: dict[Language, int] = dict.fromkeys(LANGUAGES, 0)
        for word in words:
            known_by = lexical_language(word.casefold())
            if known_by is not None:
                lexical[known_by] += 1
        # function words still rank first; dictionary votes only break their tie
        row = row * (len(words) + 1) + np.array([[lexical[lang] for lang in LANGUAGES]])
    return LANGUAGES[int(choose_languages(row, default)[0])]


def undecided(votes: np.ndarray) -> np.ndarray:
    """Rows of `votes` (texts × `LANGUAGES`) whose function words decide nothing: none, or a
    tie between the leaders."""
    best = votes.max(axis=1, initial=0)
    return (best == 0) | ((votes == best[:, None]).sum(axis=1) > 1)


@word_cache
def lexical_language(word: str) -> Language | None:
    """The one language whose simplemma dictionary knows the lower-case `word`, or None.

    Short answers often hold no function word at all ("Betre samordning av tenestene"), but
    their content words are spelt in one standard: "tenestene" and "kommunane" are nynorsk
    forms bokmål does not know. Only consulted when function words leave the choice open, since
    a dictionary knows many rare forms of the other standard too.
    """
    import simplemma

    known = [language for language in LANGUAGES if simplemma.is_known(word, lang=language)]
    return known[0] if len(known) == 1 else None


def choose_languages(votes: np.ndarray, default: Language = DEFAULT_LANGUAGE) -> np.ndarray:
    """Per row of `votes` (texts × `LANGUAGES`), the index of the language with most votes.

    No votes gives `default`. Ties between nb and nn go to `default` when it is among the
    leaders, else to bokmål: a tie means the evidence is too thin, and bokmål is the common
    case in Norwegian consultations. Vectorised, so 100,000 answers are decided at once from
    the word counts the tokenizer already produced.
    """
    fallback = LANGUAGES.index(default)
    best = votes.max(axis=1, initial=0)
    leaders = votes == best[:, None]
    chosen = leaders.argmax(axis=1)  # the first leader in `LANGUAGES` order: bokmål first
    tied = leaders.sum(axis=1) > 1
    chosen[tied & leaders[:, fallback]] = fallback
    chosen[best == 0] = fallback
    return chosen
