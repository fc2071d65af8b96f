"""What a reader sees of a theme: a short label phrase and quotes that say something.

A label is what an analyst would write above the theme: a few words of the theme's own text.
It is a phrase from one of the theme's most central sentences in which two or more of its most
distinctive keywords follow each other, joined only by function words ("samarbeid på tvers",
"definisjonen av utsatte barn", "psykisk helse"). When no sentence has such a phrase, the label
is the keywords themselves ("prosjektmidler · drift"). Keywords are
ranked beforehand (`synthesis.themes`) by how much more often the theme's passages use them
than the rest of the question, muted where the consultation's own texts make them common, and
never function words (`LABEL_STOP_WORDS`).

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

LABEL_SEPARATOR = " · "
MAX_LABEL_WORDS = 6
MAX_LABEL_GAP = 2
LABEL_KEYWORD_POOL = 6
MIN_QUOTE_WORDS = 7
MIN_UNFINISHED_QUOTE_WORDS = 8
MAX_QUOTE_WORDS = 60
NEAR_DUPLICATE_OVERLAP = 0.6
CENTRAL_PASSAGES_FOR_LABEL = 12
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
    "form vekt fokus jobbe arbeide tilby skape gjelde knytte bidra sørge dag år rett rette "
    "to tre fire fem seks sju syv åtte ni ti første andre heller ses omhandle "
    "it one also would could people thing things way lot really get make go "
    "think say use well much many like just even"
)
LABEL_STOP_WORDS = frozenset(_LABEL_STOP_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_WORD_OR_BREAK = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[^\w\s]")
_BREAK = "\x00"
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


def label_phrase(
    passages: Sequence[Passage],
    order: Iterable[int],
    keywords: Sequence[str],
    lemmas_of_words: Callable[[Sequence[str], Language], list[str | None]],
) -> str | None:
    """A run of the theme's own words that joins two or more of its top keywords.

    The keywords must follow each other in a sentence with at most `MAX_LABEL_GAP` function
    words between them ("samarbeid på tvers", "definisjonen av utsatte barn", "psykisk
    helse"), which makes the run a phrase rather than a stretch of a sentence. Runs are
    searched in the `CENTRAL_PASSAGES_FOR_LABEL` first passages of `order`; more keywords win,
    then better-ranked ones, then a more central passage, then a shorter run.
    `lemmas_of_words` gives the lemma (None for a function word) of each written word.
    """
    wanted = [keyword for keyword in keywords[:LABEL_KEYWORD_POOL] if " " not in keyword]
    if len(wanted) < 2:
        return None
    rank = {keyword: index for index, keyword in enumerate(wanted)}
    best: tuple[int, int, int, int, str] | None = None
    for centrality, position in enumerate(list(order)[:CENTRAL_PASSAGES_FOR_LABEL]):
        passage = passages[position]
        for sentence in sentences_of(passage.text):
            words, lemmas = _words_and_lemmas(sentence, passage.language, lemmas_of_words)
            for start, end in _keyword_runs(lemmas, rank):
                found = sorted({rank[lemma] for lemma in lemmas[start:end] if lemma in rank})
                if len(found) < 2 or end - start > MAX_LABEL_WORDS:
                    continue
                phrase = " ".join(words[start:end])
                candidate = (-min(len(found), 3), sum(found[:2]), centrality, end - start, phrase)
                if best is None or candidate < best:
                    best = candidate
    if best is None:
        return None
    phrase = best[-1]
    return phrase[:1].upper() + phrase[1:]


def _words_and_lemmas(
    sentence: str,
    language: Language,
    lemmas_of_words: Callable[[Sequence[str], Language], list[str | None]],
) -> tuple[list[str], list[str | None]]:
    """The words of `sentence` and their lemmas, with a `_BREAK` (lemma "") for every
    punctuation mark between words, so that no label runs across a comma or a bracket."""
    words: list[str] = []
    for match in _WORD_OR_BREAK.finditer(sentence):
        words.append(match.group() if match.group()[0].isalpha() else _BREAK)
    lemmas = lemmas_of_words([word for word in words if word != _BREAK], language)
    lemma_iter = iter(lemmas)
    return words, ["" if word == _BREAK else next(lemma_iter) for word in words]


def _keyword_runs(lemmas: Sequence[str | None], rank: dict[str, int]) -> Iterable[tuple[int, int]]:
    """(start, end) of each maximal run of keywords joined by at most `MAX_LABEL_GAP`
    function words (lemma None); any other word ends the run."""
    start = end = None
    gap = 0
    seen: set[str] = set()
    for position, lemma in enumerate(lemmas):
        if lemma in rank and lemma not in seen:
            if start is None:
                start = position
            end, gap = position + 1, 0
            seen.add(lemma)
        elif lemma is None and start is not None and gap < MAX_LABEL_GAP:
            gap += 1
        else:
            if start is not None and end is not None:
                yield start, end
            start = end = None
            gap = 0
            seen = set()
            if lemma in rank:  # a repeated keyword starts the next run
                start, end = position, position + 1
                seen.add(lemma)
    if start is not None and end is not None:
        yield start, end


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


def keyword_label(keywords: Sequence[str], count: int = 3) -> str:
    """The fallback label: the first keywords, joined."""
    return LABEL_SEPARATOR.join(keywords[:count])
