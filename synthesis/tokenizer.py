"""Words of a text as spaCy's blank tokenizer for its language cuts them, memoised per chunk.

spaCy's tokenizer splits a text on spaces and then cuts each whitespace-separated chunk on its
own (prefixes, suffixes, infixes, exceptions, URLs); the chunk's tokens never depend on its
neighbours. So the tokens of a chunk are asked of spaCy once and remembered: 100,000 answers
hold about seven million chunks but only some tens of thousands of distinct ones. The output is
spaCy's own tokenization (`tests/test_text.py` compares whole seed paragraphs against
`nlp.tokenizer(text)`), at the cost of a dictionary lookup per chunk instead of a `Doc` per
text; running `nlp(text)` per answer costs about as much as the whole themes stage at 100,000
answers (see the baseline in `bench/bench_synthesis.py`).

Words are the letter runs of spaCy's tokens, of at least two letters, in their written case:
the lemmatiser folds case itself, but must see "FUG" and "IT" in capitals to keep an acronym
from being read as the verb "fuge" or the pronoun "it". spaCy keeps
hyphenated compounds whole ("0–24-samarbeidet", "NAV-kontor", "mål-" before "og"), which would
make them non-alphabetic and lose them; their letter runs ("samarbeidet", "nav", "kontor",
"mål") keep the content. Tokens that look like URLs or e-mail addresses, numbers, punctuation
and one-letter remnants of PDF damage carry no theme and give no words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads only when text is tokenized, not when the web app starts
    from spacy.tokenizer import Tokenizer

_LETTER_RUN = re.compile(r"[^\W\d_]{2,}")
PIPE_BATCH_SIZE = 2_000


@cache
def _blank_tokenizer(language: str) -> Tokenizer:
    import spacy

    return spacy.blank(language).tokenizer


@cache
def _special_cases(language: str) -> frozenset[str]:
    return frozenset(_blank_tokenizer(language).rules)


class ChunkTokenizer:
    """The words of texts in one language, by spaCy's blank tokenizer, one call per chunk."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._words_of_chunk: dict[str, tuple[str, ...]] = {}

    def words(self, text: str) -> list[str]:
        """Word tokens of `text`, in order, as written."""
        chunks = text.split()
        self.learn(chunks)
        known = self._words_of_chunk
        return [word for chunk in chunks for word in known[chunk]]

    def words_of_chunks(self, chunks: Iterable[str]) -> list[tuple[str, ...]]:
        """The word tokens of each chunk (a whitespace-free string), chunks learnt as needed."""
        chunks = list(chunks)
        self.learn(chunks)
        return list(map(self._words_of_chunk.__getitem__, chunks))

    def learn(self, chunks: Iterable[str]) -> None:
        """Tokenize the chunks not seen before, in batches through `Tokenizer.pipe`.

        A chunk of letters only is one token unless it is a special case ("Cannot" → "Can",
        "not"): spaCy's prefix, suffix and infix rules all need a digit or a punctuation mark,
        and such a token is never URL- or e-mail-like. Four chunks in five are plain words, and
        skipping spaCy for them saves most of its time (and the lexemes it would keep)."""
        known = self._words_of_chunk
        new = [chunk for chunk in dict.fromkeys(chunks) if chunk not in known]
        if not new:
            return
        tokenizer = _blank_tokenizer(self.language)
        special_cases = _special_cases(self.language)
        asked = []
        for chunk in new:
            if chunk.isalpha() and chunk not in special_cases:
                known[chunk] = tuple(_LETTER_RUN.findall(chunk))
            else:
                asked.append(chunk)
        for chunk, doc in zip(
            asked, tokenizer.pipe(asked, batch_size=PIPE_BATCH_SIZE), strict=True
        ):
            known[chunk] = tuple(words_of_tokens(doc))


def spacy_words(text: str, language: str) -> list[str]:
    """Reference: the same word filter over `nlp.tokenizer(text)` of the whole text."""
    return words_of_tokens(_blank_tokenizer(language)(text))


def words_of_tokens(tokens: Iterable) -> list[str]:
    """Letter runs of spaCy tokens (Token objects), URLs and e-mails left out."""
    words: list[str] = []
    for token in tokens:
        if not (token.like_url or token.like_email):
            words += _LETTER_RUN.findall(token.text)
    return words
