"""What a reader sees of a theme besides its label: quotes that say something, and the words
that may not name it.

The label itself is a noun phrase from the theme's sentences (`synthesis.theme_phrases`).
Keywords are ranked beforehand (`synthesis.theme_assignment`) by how much more often the
theme's passages use them than the rest of the question, muted where the consultation's own
texts make them common, and never function words or the vague words of `LABEL_STOP_WORDS`.
Words the answers mostly use as verbs (`verbal_lemmas`) name no theme when other keywords can.

Quotes are whole sentences from different respondents, most central first, and must inform:
not a literature reference ("Fafo-notat 2019:19; Glavin, K. og Erdal, B. (2018)"), not a
heading ending in a colon, not a one-liner of a few words, and not the same (or nearly the
same) wording as a quote already chosen, so two submissions of one text are quoted once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from synthesis.language import Language
from synthesis.text import Passage, clean_text, split_sentences

MIN_QUOTE_WORDS = 7
MIN_UNFINISHED_QUOTE_WORDS = 8
MAX_QUOTE_WORDS = 60
NEAR_DUPLICATE_OVERLAP = 0.6
# Words that may sit in a theme but never name one: vague verbs, quantities, pronoun-like
# determiners and evaluative adjectives, in both standards and English.
_LABEL_STOP_TEXT = (
    "hvilken hvilke kva kvifor én ein eit per liten lita lite stor store god godt gode "
    "mye mange flere fleire annen anna egen eigen ny nye del måte gang grad rekke hel "
    "heil tenke tenkje gjøre gjere få ta gi gje komme kome se sjå si seie bruke finne "
    "legge leggje sette setje holde halde bli ha være vere kunne måtte skulle ville "
    "ønske meine mene sak ting tilfelle forhold fordi eksempel viktig sentral behov "
    "mulig mogleg aktuell aktuelle generell generelt høring høringsinnspill innspill "
    "kommentar spørsmål svar punkt side tema slik slikt fungere virke henvise vise føre "
    "bra lett enkel enkelt form vekt fokus jobbe arbeide tilby skape gjelde knytte bidra "
    "sørge dag år rett rette "
    "to tre fire fem seks sju syv åtte ni ti første andre heller ses omhandle "
    "it one also would could people thing things way lot really get make go "
    "think say use well much many like just even"
)
LABEL_STOP_WORDS = frozenset(_LABEL_STOP_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_WHOLE_SENTENCE = re.compile(r"^[«\"“'(]?[A-ZÆØÅ].*$", re.DOTALL)
_SENTENCE_END = re.compile(r"[.!?…][»\"”')]*$")
_GREETING = re.compile(r"\b(?:med vennlig hilsen|vennlig hilsen|mvh|kind regards)\b", re.I)
# Literature references: "2019:19", "(2018)", "et al.", "K. og", "s. 12", "Fafo-notat".
_REFERENCE = re.compile(
    r"\b\d{4}\s*:\s*\d+|\(\s*\d{4}[a-z]?\s*\)|\bet al\b|\b[A-ZÆØÅ]\.\s*(?:og|and|&|,)"
    r"|\bs\.\s*\d+|\bnotat\b|\bISBN\b|https?://|www\.",
    re.IGNORECASE,
)


def sentences_of(text: str) -> list[str]:
    return [
        sentence
        for paragraph in clean_text(text).split("\n\n")
        for sentence in split_sentences(paragraph)
    ]


def is_informative(sentence: str) -> bool:
    """Whether a sentence can be quoted: a whole statement (a capital letter or a quotation
    mark first, a full stop last or else at least `MIN_UNFINISHED_QUOTE_WORDS` words, as
    bullet points are written), not a heading, a reference, a greeting or a fragment."""
    words = _WORD.findall(sentence)
    stripped = sentence.strip()
    if len(words) < MIN_QUOTE_WORDS or not _WHOLE_SENTENCE.match(stripped):
        return False
    if stripped.endswith(":"):
        return False
    if not _SENTENCE_END.search(stripped) and len(words) < MIN_UNFINISHED_QUOTE_WORDS:
        return False  # a bullet without a full stop is a sentence; a short one, a heading
    if _REFERENCE.search(sentence) or _GREETING.search(sentence):
        return False
    letters = sum(character.isalpha() for character in sentence)
    return letters >= 0.6 * len(sentence)


def _is_quotable(sentence: str) -> bool:
    """The fallback: three words or more, and still no heading, reference or greeting."""
    return (
        len(_WORD.findall(sentence)) >= 3
        and not sentence.rstrip().endswith(":")
        and not _REFERENCE.search(sentence)
        and not _GREETING.search(sentence)
    )


def _word_set(text: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(text) if len(word) > 2}


def _overlap(first: set[str], second: set[str]) -> float:
    return len(first & second) / min(len(first), len(second)) if first and second else 0.0


def choose_quotes(
    passages: Sequence[Passage],
    order: Iterable[int],
    keyword_hits: Callable[[str, Language], int],
    *,
    quotes: int,
    author_of: Callable[[str], object] = lambda key: key,
) -> list[tuple[str, str]]:
    """(respondent key, sentence) of up to `quotes` quotes, from passages in `order`.

    From each passage the informative sentence with most theme keywords is taken. Quotes come
    from different authors, never a repeat; a theme without one informative sentence gets its
    most central sentence of at least three words, so that it is never shown without a quote.
    """
    ranked = list(order)
    chosen: list[tuple[str, str]] = []
    chosen_words: list[set[str]] = []
    used_authors: set[object] = set()
    for strict in (True, False):
        if not strict and chosen:
            break
        for position in ranked:
            if len(chosen) == (quotes if strict else 1):
                return chosen
            passage = passages[position]
            author = author_of(passage.respondent_key)
            if author in used_authors:
                continue
            sentence = _best_sentence(passage, keyword_hits, strict)
            if sentence is None:
                continue
            words = _word_set(sentence)
            if any(_overlap(words, other) >= NEAR_DUPLICATE_OVERLAP for other in chosen_words):
                continue
            chosen.append((passage.respondent_key, sentence))
            chosen_words.append(words)
            used_authors.add(author)
    return chosen


def _best_sentence(
    passage: Passage, keyword_hits: Callable[[str, Language], int], strict: bool
) -> str | None:
    candidates = [
        sentence
        for sentence in sentences_of(passage.text)
        if (is_informative(sentence) if strict else _is_quotable(sentence))
        and len(_WORD.findall(sentence)) <= MAX_QUOTE_WORDS
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (keyword_hits(s, passage.language), -abs(len(s) - 160)))


# Words after which a word is a verb: the infinitive mark and modal verbs, both standards.
_VERB_CONTEXT = frozenset(
    {"å", "må", "skal", "kan", "bør", "vil", "kunne", "skulle", "ville", "burde", "måtte"}
)
VERBAL_SHARE = 0.5
VERB_SAMPLE_PASSAGES = 2_000


def verbal_lemmas(
    passages: Sequence[Passage],
    lemmas_of_words: Callable[[Sequence[str], Language], list[str | None]],
) -> frozenset[str]:
    """Lemmas the answers mostly use as verbs: after "å" or a modal verb ("må beskrive",
    "å bygge"), or in the passive ("beskrives"). Such words ("beskrive", "bygge",
    "tydeliggjøre") say what someone should do, not what the theme is about, so they do not
    name a theme when other keywords can; counted over at most `VERB_SAMPLE_PASSAGES`
    passages of the question."""
    verbal: dict[str, int] = {}
    total: dict[str, int] = {}
    for passage in passages[:VERB_SAMPLE_PASSAGES]:
        words = _WORD.findall(passage.text)
        lemmas = lemmas_of_words(words, passage.language)
        previous = ""
        for word, lemma in zip(words, lemmas, strict=True):
            folded = word.casefold()
            if lemma is not None:
                total[lemma] = total.get(lemma, 0) + 1
                is_passive = folded.endswith("es") and lemma.endswith("e") and len(folded) > 4
                if previous in _VERB_CONTEXT or is_passive:
                    verbal[lemma] = verbal.get(lemma, 0) + 1
            previous = folded
    return frozenset(
        lemma
        for lemma, count in verbal.items()
        if count >= 2 and count >= VERBAL_SHARE * total[lemma]
    )
