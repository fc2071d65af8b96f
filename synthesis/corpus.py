"""Passages of many answers as runs of lemma ids: what theme clustering reads at scale.

Python touches each answer (to cut it into passages) and each *distinct* chunk, word and lemma,
but not each token: the seven million tokens of 100,000 answers flow as numpy arrays.

1. Answers are cut into passages (`synthesis.text.split_passages`), passages into
   whitespace-separated chunks, and every distinct chunk gets an integer code.
2. Chunks are tokenized by spaCy's tokenizer for the default language, once per distinct chunk
   (`synthesis.tokenizer`), and each answer's language is decided from its counts of
   distinctive function words among those words (`synthesis.language.choose_languages`).
3. The chunks of answers in another language are tokenized again by that language's tokenizer.
4. Each distinct word is lemmatised once per language (`synthesis.text.Lemmatizer`, stop words
   dropped), and every passage becomes a run of lemma ids in reading order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TypeVar

import numpy as np

from synthesis.language import (
    DEFAULT_LANGUAGE,
    LANGUAGE_OF_WORD,
    LANGUAGES,
    choose_languages,
    lexical_language,
    undecided,
)
from synthesis.text import Lemmatizer, Passage, passage_hash, split_passages
from synthesis.tokenizer import ChunkTokenizer

CHUNK_BATCH = 20_000  # passages split at a time, so the chunk strings of all never coexist
TAKE_BLOCK = 1 << 18  # chunks looked up at a time (`ragged_take`)
VOTE_BLOCK = 1 << 20  # words counted at a time when choosing languages (`_languages`)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class AnswerText:
    """One free-text answer and who wrote it."""

    respondent_key: str
    text: str
    category: str = ""
    sector: str = ""


@dataclass(frozen=True)
class LemmaDocs:
    """Passages as runs of lemma ids: passage i is `lemma_ids[indptr[i]:indptr[i + 1]]`."""

    indptr: np.ndarray
    lemma_ids: np.ndarray
    lemmas: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.indptr) - 1

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.indptr)

    def row_of_each(self) -> np.ndarray:
        """The passage (row) of each entry of `lemma_ids`."""
        return np.repeat(np.arange(len(self)), self.lengths)

    def take(self, rows: np.ndarray) -> LemmaDocs:
        """The passages `rows`, in that order."""
        values, lengths = ragged_take(self.indptr, self.lemma_ids, np.asarray(rows))
        return LemmaDocs(indptr_of(lengths), values, self.lemmas)

    def lemmas_of(self, row: int) -> list[str]:
        return [self.lemmas[i] for i in self.lemma_ids[self.indptr[row] : self.indptr[row + 1]]]


@dataclass(frozen=True)
class PassageCorpus:
    """The passages of some answers and, row for row, their lemma ids."""

    passages: list[Passage]
    docs: LemmaDocs


def indptr_of(lengths: np.ndarray) -> np.ndarray:
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return indptr


def ragged_take(
    indptr: np.ndarray, values: np.ndarray, picks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`values[indptr[p]:indptr[p + 1]]` for each p in `picks`, concatenated, and their lengths
    (int32).

    Everything per pick is made a block of `TAKE_BLOCK` picks at a time, in two passes (the
    lengths, then the values): the starts, lengths and ends of all twenty million chunks of a
    quarter of a million answers at once, as int64, took 470 MB, a third of the question's
    peak."""
    picks = np.asarray(picks)
    lengths = np.empty(len(picks), dtype=np.int32)
    for first in range(0, len(picks), TAKE_BLOCK):
        block = picks[first : first + TAKE_BLOCK]
        lengths[first : first + TAKE_BLOCK] = indptr[block + 1] - indptr[block]
    taken = np.empty(int(lengths.sum(dtype=np.int64)), dtype=values.dtype)
    end = 0
    for first in range(0, len(picks), TAKE_BLOCK):
        block = picks[first : first + TAKE_BLOCK]
        block_lengths = lengths[first : first + TAKE_BLOCK]
        begin, end = end, end + int(block_lengths.sum(dtype=np.int64))
        if begin == end:
            continue
        block_starts = np.cumsum(block_lengths, dtype=np.int64) - block_lengths
        shift = np.repeat(indptr[block] - block_starts, block_lengths)
        taken[begin:end] = values[shift + np.arange(end - begin)]
    return taken, lengths


def build_corpus(
    answers: Iterable[AnswerText], lemmatizer: Lemmatizer | None = None
) -> PassageCorpus:
    """Passages of `answers` (each in its answer's detected language) and their lemma ids.

    Each answer's text is read once, to cut it into passages: a caller that hands over an
    iterator it does not keep (`taken`) lets a quarter of a million answer texts go (some
    200 MB) before the arrays per word are made."""
    lemmatizer = lemmatizer or Lemmatizer()
    authors: list[tuple[str, str, str]] = []
    texts_of_answer: list[list[str]] = []
    for answer in answers:
        authors.append((answer.respondent_key, answer.category, answer.sector))
        texts_of_answer.append(split_passages(answer.text))
    texts = list(chain.from_iterable(texts_of_answer))
    answer_of_passage = np.repeat(
        np.arange(len(authors), dtype=np.int32), list(map(len, texts_of_answer))
    )
    chunks = _ChunkCodes(texts)
    words = _WordIds()
    # Tokenizers of this call's own, so that what they learnt of every distinct chunk goes
    # with them once the chunks are words (a shared lemmatizer's would keep it all).
    default_rows, default_words = chunks.words(ChunkTokenizer(DEFAULT_LANGUAGE), words)
    language_of_answer = _languages(
        answer_of_passage, default_rows, default_words, words, len(authors)
    )
    language_of_passage = language_of_answer[answer_of_passage]
    in_default = language_of_passage == LANGUAGES.index(DEFAULT_LANGUAGE)
    default_kept = None if in_default.all() else in_default[default_rows]
    # Lemma ids are given in the order of the languages (the default first), while the other
    # languages' words are read again from the chunks, which then go before the default
    # language's per-word arrays are made.
    default_table = _lemma_table(
        lemmatizer, DEFAULT_LANGUAGE, words, _distinct(default_words, default_kept)
    )
    rows_parts, lemma_parts = [], []
    for index, language in enumerate(LANGUAGES):
        in_language = language_of_passage == index
        if language == DEFAULT_LANGUAGE or not in_language.any():
            continue
        rows, word_ids = chunks.words(ChunkTokenizer(language), words, in_language)
        table = _lemma_table(lemmatizer, language, words, _distinct(word_ids))
        _add_content(rows_parts, lemma_parts, rows, table[word_ids])
        del rows, word_ids
    del chunks
    lemma_ids = default_table[default_words]
    del default_words
    if default_kept is not None:
        lemma_ids[~default_kept] = -1  # words of passages in another language
    _add_content(rows_parts, lemma_parts, default_rows, lemma_ids)
    del default_rows, default_kept, lemma_ids
    rows = _joined(rows_parts, np.int32)
    lemma_ids = _joined(lemma_parts, np.int32)
    del rows_parts, lemma_parts
    if np.any(rows[1:] < rows[:-1]):  # passage order, reading order inside a passage
        order = np.argsort(rows, kind="stable")
        rows, lemma_ids = rows[order], lemma_ids[order]
    docs = LemmaDocs(
        indptr_of(np.bincount(rows, minlength=len(texts))),
        lemma_ids,
        tuple(words.lemmas),
    )
    passages = [
        Passage(
            respondent_key=key,
            index=index,
            text=text,
            language=LANGUAGES[language],
            passage_hash=passage_hash(text, key),
            category=category,
            sector=sector,
        )
        for (key, category, sector), answer_texts, language in zip(
            authors, texts_of_answer, language_of_answer.tolist(), strict=True
        )
        for index, text in enumerate(answer_texts)
    ]
    return PassageCorpus(passages, docs)


def taken(items: list[T]) -> Iterator[T]:
    """The items of `items` in order, each removed from the list as it is given: what the
    consumer lets go of is gone, where iterating the list would keep it all."""
    items.reverse()
    while items:
        yield items.pop()


def _add_content(
    rows_parts: list[np.ndarray],
    lemma_parts: list[np.ndarray],
    rows: np.ndarray,
    lemma_ids: np.ndarray,
) -> None:
    """The entries of the words that have a lemma (stop words have -1)."""
    content = lemma_ids >= 0
    rows_parts.append(rows[content])
    lemma_parts.append(lemma_ids[content])


def _distinct(ids: np.ndarray, kept: np.ndarray | None = None) -> np.ndarray:
    """The distinct values of `ids` (of those `kept`), ascending, as `np.unique` gives them,
    counted a block at a time into a mask: no sorted copy of twenty million ids."""
    used = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=bool)
    for first in range(0, len(ids), TAKE_BLOCK):
        block = ids[first : first + TAKE_BLOCK]
        used[block if kept is None else block[kept[first : first + TAKE_BLOCK]]] = True
    return np.flatnonzero(used)


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """The parts one after the other (the only part itself, not a copy)."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


class _WordIds:
    """Integer ids of distinct words, and of distinct lemmas, shared by all languages."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.lemma_index: dict[str, int] = {}
        self.lemmas: list[str] = []

    def ids(self, words: Iterable[str]) -> list[int]:
        index = self.index
        return [index.setdefault(word, len(index)) for word in words]

    def lemma_id(self, lemma: str) -> int:
        if lemma not in self.lemma_index:
            self.lemma_index[lemma] = len(self.lemmas)
            self.lemmas.append(lemma)
        return self.lemma_index[lemma]


class _ChunkCodes:
    """Every whitespace-separated chunk of the passages as a code into `distinct`."""

    def __init__(self, texts: Sequence[str]) -> None:
        index: dict[str, int] = {}
        codes, counts = [], []
        for start in range(0, len(texts), CHUNK_BATCH):
            split = [text.split() for text in texts[start : start + CHUNK_BATCH]]
            for chunk in dict.fromkeys(chain.from_iterable(split)):
                index.setdefault(chunk, len(index))
            lengths = list(map(len, split))
            codes.append(
                np.fromiter(
                    map(index.__getitem__, chain.from_iterable(split)), np.int32, sum(lengths)
                )
            )
            counts += lengths
        self.distinct = list(index)
        self.codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32)
        # Per passage, not per chunk: a passage number for each of twenty million chunks was
        # 80 MB held through the whole corpus build.
        self.chunks_per_passage = np.array(counts, dtype=np.int64)

    def words(
        self, tokenizer: ChunkTokenizer, words: _WordIds, passages: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(passage, word id) of every word of the chunks of `passages` (a mask), in order."""
        codes, chunks_per_passage = self.codes, self.chunks_per_passage
        if passages is not None:
            codes = codes[np.repeat(passages, chunks_per_passage)]
            chunks_per_passage = np.where(passages, chunks_per_passage, 0)
        needed = _distinct(codes)
        lengths = np.zeros(len(self.distinct), dtype=np.int64)
        id_parts = []
        for first in range(0, len(needed), TAKE_BLOCK):  # a block's word lists at a time
            block = needed[first : first + TAKE_BLOCK]
            words_of_chunk = tokenizer.words_of_chunks(self.distinct[code] for code in block)
            lengths[block] = list(map(len, words_of_chunk))
            ids = words.ids(chain.from_iterable(words_of_chunk))
            id_parts.append(np.array(ids, dtype=np.int32))
        word_ids = _joined(id_parts, np.int32)
        values, counts = ragged_take(indptr_of(lengths), word_ids, codes)
        words_per_passage = _sums(counts, indptr_of(chunks_per_passage))
        rows = np.repeat(np.arange(len(chunks_per_passage), dtype=np.int32), words_per_passage)
        return rows, values


def _sums(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """The sum of `values[indptr[i]:indptr[i + 1]]` for each i (0 for an empty range)."""
    sums = np.zeros(len(indptr) - 1, dtype=np.int64)
    nonempty = np.flatnonzero(indptr[1:] > indptr[:-1])
    if len(nonempty):  # a range runs to the next non-empty one's start: empty ones add nothing
        sums[nonempty] = np.add.reduceat(values, indptr[nonempty], dtype=np.int64)
    return sums


def _languages(
    answer_of_passage: np.ndarray,
    rows: np.ndarray,
    word_ids: np.ndarray,
    words: _WordIds,
    n_answers: int,
) -> np.ndarray:
    """Index into `LANGUAGES` of each answer, from its distinctive function words (those of
    `word_ids`, in the passages `rows`).

    Counted `VOTE_BLOCK` words at a time: at a quarter of a million answers each array with
    an entry per word is 20 to 160 MB, and several of them at once made the corpus's peak."""

    def blocks() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for first in range(0, len(word_ids), VOTE_BLOCK):
            block = slice(first, first + VOTE_BLOCK)
            yield answer_of_passage[rows[block]], word_ids[block]

    vote_of_word = np.full(len(words.index), -1, dtype=np.int8)
    for word, word_id in words.index.items():
        language = LANGUAGE_OF_WORD.get(word.casefold())
        if language is not None:
            vote_of_word[word_id] = LANGUAGES.index(language)
    counts = np.zeros((n_answers, len(LANGUAGES)), dtype=np.int64)
    for answers, ids in blocks():
        counts += _tally(answers, vote_of_word[ids], n_answers)
    open_answers = undecided(counts)
    if open_answers.any():  # as `detect_language`: dictionaries break the function words' tie
        asked_words = np.zeros(len(words.index), dtype=bool)
        for answers, ids in blocks():
            asked_words[ids[open_answers[answers]]] = True
        spelled = list(words.index)
        lexical = np.full(len(words.index), -1, dtype=np.int8)
        for word_id in np.flatnonzero(asked_words).tolist():
            known_by = lexical_language(spelled[word_id].casefold())
            if known_by is not None:
                lexical[word_id] = LANGUAGES.index(known_by)
        lexical_counts = np.zeros_like(counts)
        words_per_answer = np.zeros(n_answers, dtype=np.int64)
        for answers, ids in blocks():
            asked = open_answers[answers]
            lexical_counts += _tally(answers[asked], lexical[ids[asked]], n_answers)
            words_per_answer += np.bincount(answers, minlength=n_answers)
        counts = counts * (words_per_answer + 1)[:, None] + lexical_counts
    return choose_languages(counts)


def _tally(answers: np.ndarray, votes: np.ndarray, n_answers: int) -> np.ndarray:
    """Answers × languages: how many of `votes` (a language index each, -1 for none) each
    answer got."""
    voting = votes >= 0
    return np.bincount(
        answers[voting].astype(np.int64) * len(LANGUAGES) + votes[voting],
        minlength=n_answers * len(LANGUAGES),
    ).reshape(n_answers, len(LANGUAGES))


def _lemma_table(
    lemmatizer: Lemmatizer, language: str, words: _WordIds, used: np.ndarray
) -> np.ndarray:
    """Lemma id of each word id in `language` (-1 for stop words), for the word ids `used`."""
    table = np.full(len(words.index), -1, dtype=np.int32)
    spelled = list(words.index)
    for word_id in used.tolist():
        lemma = lemmatizer.lemma(spelled[word_id], language)
        if lemma is not None:
            table[word_id] = words.lemma_id(lemma)
    return table
