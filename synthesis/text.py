"""Free-text answers made ready for analysis: cleaned, cut into passages, reduced to lemmas.

Answers come from web forms but also from PDFs and scanned letters, so the cleaning undoes what
PDF extraction does to prose: words hyphenated across line breaks, bullets from symbol fonts,
page numbers between lines, lines broken mid-sentence. Long answers often touch several themes,
so they are cut into passages (a sentence, or a few short ones) that are clustered one by one.

Words come from spaCy's blank tokenizer for the answer's language, memoised per
whitespace-separated chunk (`synthesis.tokenizer`), and lemmas from simplemma, asked once per
distinct word and language, with spaCy's stop-word lists (see `synthesis.language`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from synthesis.freed_memory import word_cache
from synthesis.language import Language, detect_language, stop_words
from synthesis.tokenizer import ChunkTokenizer

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Checked first, so clean web text (single plain spaces) is not rebuilt by `_SPACES.sub`.
_ODD_SPACE = re.compile(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
# A word hyphenated at a line end continues in lower case on the next line; "mål- og
# resultatstyring" keeps its hyphen because the next word is a conjunction.
_HYPHENATED_BREAK = re.compile(
    r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?!(?:og|eller|samt|and|or)\b)(?=[a-zæøåäöüé])"
)
# "rus-\nMidt-Norge": a capitalised continuation is a hyphenated name; keep the hyphen.
_HYPHENATED_NAME_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[A-ZÆØÅ])")
_BULLET = re.compile(r"^(?:[•·▪●◦○■□➢➤►✓\ue000-\uf8ff]\s*|[*\-–—]\s+|\d{1,2}[.)]\s+)")
_PAGE_NUMBER = re.compile(
    r"^(?:\d{1,3}|-\s*\d{1,3}\s*-|(?:side|page|s\.)\s*\d{1,3}(?:\s*(?:av|of|/)\s*\d{1,3})?)$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"»”’)]*\s+(?=[«\"“(]?[A-ZÆØÅ0-9])")
_ABBREVIATIONS = frozenset(
    {"f.eks", "bl.a", "dvs", "pkt", "nr", "jf", "jfr", "ca", "mht", "evt", "ift", "iht", "mv"}
    | {"osv", "etc", "kap", "st.meld", "prop", "e.g", "i.e", "vs", "dr", "fig", "ref", "nou"}
)
_TOKEN = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
MAX_HEADING_WORDS = 4


def clean_text(text: str) -> str:
    """Undo PDF line breaking: paragraphs joined into lines, separated by blank lines.

    Blank lines and bullets start a new paragraph; a line ending in ":" ends one, and a short one
    (a heading such as "Svakheter:") starts one too; lines that are only a page number are dropped.
    """
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\n" not in text:  # web answers: one line, nothing to re-join
        line = _squeeze_spaces(text).strip()
        bullet = _BULLET.match(line)
        return line[bullet.end() :] if bullet and bullet.end() < len(line) else line
    text = _HYPHENATED_BREAK.sub("", _squeeze_spaces(text))
    text = _HYPHENATED_NAME_BREAK.sub("-", text)
    paragraphs: list[list[str]] = [[]]
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if _PAGE_NUMBER.match(line):
            continue
        if not line:
            paragraphs.append([])
            continue
        bullet = _BULLET.match(line)
        if bullet and bullet.end() < len(line):
            paragraphs.append([])
            line = line[bullet.end() :]
        elif line.endswith(":") and len(line.split()) <= MAX_HEADING_WORDS:
            paragraphs.append([])
        paragraphs[-1].append(line)
        if line.endswith(":"):
            paragraphs.append([])
    joined = (" ".join(lines) for lines in paragraphs if lines)
    return "\n\n".join(_squeeze_spaces(paragraph).strip() for paragraph in joined)


def _squeeze_spaces(text: str) -> str:
    if "  " in text or _ODD_SPACE.search(text):
        return _SPACES.sub(" ", text)
    return text


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one cleaned paragraph; a full stop after "f.eks", "pkt" etc. ends none."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        words = paragraph[start : match.start() + 1].rsplit(maxsplit=1)
        last_word = words[-1].rstrip(".").casefold() if words else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        sentences.append(paragraph[start : match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def split_passages(text: str, min_chars: int = 60) -> list[str]:
    """Cut an answer into passages: sentences, short ones joined to reach `min_chars`.

    A passage never spans a paragraph break unless it is a heading (ends in ":") or shorter than
    a third of `min_chars`; a short tail is added to the passage before it.
    """
    passages: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            passages.append(" ".join(buffer))
            buffer.clear()

    for paragraph in clean_text(text).split("\n\n"):
        for sentence in split_sentences(paragraph):
            buffer.append(sentence)
            if sum(len(part) + 1 for part in buffer) >= min_chars:
                flush()
        pending = " ".join(buffer)
        if buffer and not pending.endswith(":") and len(pending) >= min_chars // 3:
            flush()
    if buffer:
        if passages and len(" ".join(buffer)) < min_chars // 3:
            passages[-1] = f"{passages[-1]} {' '.join(buffer)}"
        else:
            flush()
    return [passage for passage in passages if _TOKEN.search(passage)]


def normalise_for_hash(text: str) -> str:
    """Case- and whitespace-insensitive form, so re-extracted text hashes the same."""
    return " ".join(text.casefold().split())


def passage_hash(text: str, respondent_key: str) -> str:
    """Stable identity of a passage: sha1 of its normalised text and its respondent's key."""
    payload = f"{normalise_for_hash(text)}\x1f{respondent_key}".encode()
    return hashlib.sha1(payload).hexdigest()


@dataclass(frozen=True, slots=True)
class Passage:
    """One passage of one answer, with what the themes need to say who wrote it."""

    respondent_key: str
    index: int
    text: str
    language: Language
    passage_hash: str
    category: str = ""
    sector: str = ""


def passages_of_answer(
    respondent_key: str,
    text: str,
    *,
    category: str = "",
    sector: str = "",
    language: Language | None = None,
) -> list[Passage]:
    """The passages of one answer, all in the answer's detected language."""
    answer_language = language or detect_language(text)
    return [
        Passage(
            respondent_key=respondent_key,
            index=index,
            text=passage,
            language=answer_language,
            passage_hash=passage_hash(passage, respondent_key),
            category=category,
            sector=sector,
        )
        for index, passage in enumerate(split_passages(text))
    ]


class Lemmatizer:
    """Content lemmas of texts: spaCy words, simplemma lemmas, stop words removed.

    simplemma looks every word up in its dictionaries; answers repeat the same few tens of
    thousands of words, so each word is lemmatised once per language and remembered. Stop
    words are removed both as written and as lemma ("tjenestene" → "tjeneste" stays, "ble" →
    "bli" goes). Acronyms keep their capitals and are never lemmatised ("FUG" is not the verb
    "fuge", "IT" not the pronoun); nynorsk lemmas are mapped to bokmål ones
    (`synthesis.nynorsk`), so one topic is one theme whichever standard it is written in.
    """

    def __init__(self) -> None:
        self._lemma_of: dict[Language, dict[str, str | None]] = {}
        self._tokenizers: dict[Language, ChunkTokenizer] = {}

    def tokenizer(self, language: Language) -> ChunkTokenizer:
        if language not in self._tokenizers:
            self._tokenizers[language] = ChunkTokenizer(language)
        return self._tokenizers[language]

    def lemma(self, word: str, language: Language) -> str | None:
        """The lemma of `word` (as written), or None for a stop word."""
        known = self._lemma_of.setdefault(language, {})
        if word not in known:
            folded = word if is_acronym(word) else word.casefold()
            if folded not in known:  # "Tjenestene" and "tjenestene" are looked up once
                known[folded] = _lemma_or_none(folded, language)
            known[word] = known[folded]
        return known[word]

    def lemmas(self, text: str, language: Language) -> list[str]:
        lemmas = (self.lemma(word, language) for word in self.tokenizer(language).words(text))
        return [lemma for lemma in lemmas if lemma is not None]


@word_cache
def shared_lemmatizer() -> Lemmatizer:
    """One `Lemmatizer` for a process's small lookups (keywords, labels, the background), so
    each word is lemmatised once; what it remembers goes between tasks (`word_cache`)."""
    return Lemmatizer()


MAX_ACRONYM_LETTERS = 5
# simplemma's nb dictionary reads some frequent consultation words as other parts of speech:
# "utsatt" (vulnerable) as the verb "utsette", "samarbeidet" as the verb "samarbeide".
LEMMA_OVERRIDES: dict[str, str] = {
    "utsatt": "utsatt",
    "utsatte": "utsatt",
    "samarbeidet": "samarbeid",
    "samarbeidene": "samarbeid",
    "ledd": "ledd",
    "leddene": "ledd",
}


def is_acronym(word: str) -> bool:
    """ "FUG", "NAV", "IT": a short word written in capitals only."""
    return 2 <= len(word) <= MAX_ACRONYM_LETTERS and word.isupper()


def _lemma_or_none(word: str, language: Language) -> str | None:
    stops = stop_words(language)
    folded = word.casefold()
    if folded in stops:
        return None
    if is_acronym(word):
        return word
    lemma = LEMMA_OVERRIDES.get(folded) or _dictionary_lemma(folded, language)
    if language == "nn":
        from synthesis.nynorsk import bokmal_lemma

        lemma = bokmal_lemma(lemma)
        stops = stops | stop_words("nb")
    if lemma in stops or len(lemma) < 2:
        return None
    return lemma


def _dictionary_lemma(word: str, language: Language) -> str:
    """simplemma's lemma of a lower-case word, with three of its misreadings undone.

    A lemma of one or two letters from a longer word is a lookup gone astray ("ledd" → "le",
    the verb "to laugh"): the word is kept. A plural noun in "-er" read as the imperative of a
    verb in "-ere" ("prosesser" → "prosessere") becomes the noun when the dictionary has it. A
    Norwegian genitive the dictionary does not list ("unges") is the lemma of its stem.
    """
    import simplemma  # here, not at module level: the web app imports `Passage` from this module

    lemma = simplemma.lemmatize(word, lang=language).casefold()
    if len(lemma) <= 2 < len(word) - 1:
        return word
    if (
        lemma == word
        and language != "en"
        and word.endswith("s")
        and len(word) > 4
        and not simplemma.is_known(word, lang=language)
        and simplemma.is_known(word[:-1], lang=language)
    ):  # a genitive the dictionary lacks: "unges" → "unge" → "ung"
        return simplemma.lemmatize(word[:-1], lang=language).casefold()
    if lemma == f"{word}e" and word.endswith("er"):
        noun = word[:-2]
        if simplemma.lemmatize(noun, lang=language).casefold() == noun and simplemma.is_known(
            noun, lang=language
        ):
            return noun
    return lemma
