"""Words the answers share because the consultation itself uses them, and how far to mute them.

Answers to a consultation on "Ledelse for kunnskapsbasert, samordnet og brukerrettet praksis"
say "kunnskap", "praksis" and "ledelse" whatever their point is; answers to "Har du forslag til
tiltak?" say "tiltak". Clustered as they are, such words pull most answers into one theme and
label it with the document's title ("forskning · praksis · kunnskap" holding 18 of 19
answers). Their weight in the theme features is therefore lowered by how salient they are in
three backgrounds:

- the consulted document (`ConsultationSnapshot.document`): the share of its paragraphs that
  use the word, counted as fully salient from `DOCUMENT_SHARE_FULL` of them on (half: the
  words of its subject; seed 004 with seed 000 as its document lost themes when words in a
  sixth of the paragraphs were muted fully, best-match F1 0.586 at a half against 0.535);
- the consultation's title and the question's text: their words count as fully salient;
- the whole consultation: the share of respondents who use the word in any of their answers
  (a sample of at most `RESPONDENT_SAMPLE`), which, unlike the per-question idf, is estimated
  from every question and so stays reliable on a question with twenty answers.

A word's weight is `(1 - salience) ** STEEPNESS`, floored at `MIN_WEIGHT`: muted, never
removed, because what the answers *say about* the document's subject is the theme ("forskning
og praksis tettere sammen"), and its other words carry it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from synthesis.corpus import AnswerText, build_corpus
from synthesis.language import detect_language
from synthesis.snapshot import ConsultationSnapshot
from synthesis.text import Lemmatizer, clean_text, shared_lemmatizer

DOCUMENT_SHARE_FULL = 0.5
RESPONDENT_SAMPLE = 2_000
MIN_RESPONDENTS = 10  # below this, shares of respondents say nothing about a word
STEEPNESS = 1.0
MIN_WEIGHT = 0.1
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class TermBackground:
    """Salience (0–1) of the lemmas the consultation's own texts and respondents use widely."""

    salience: dict[str, float]

    def weights(self, lemmas: Sequence[str]) -> np.ndarray:
        """Feature weight of each lemma: 1 for a lemma with no salience."""
        salience = np.array([self.salience.get(lemma, 0.0) for lemma in lemmas])
        return np.maximum((1.0 - salience) ** STEEPNESS, MIN_WEIGHT)

    def with_text(self, text: str) -> TermBackground:
        """This background with the words of `text` (a title, a question) fully salient."""
        return TermBackground(_raised(self.salience, dict.fromkeys(_lemmas(text), 1.0)))

    @classmethod
    def empty(cls) -> TermBackground:
        return cls({})


def consultation_background(
    snapshot: ConsultationSnapshot, *, random_state: int = 0
) -> TermBackground:
    """The background shared by all questions of `snapshot`: its document, its title and the
    words its respondents use; `TermBackground.with_text` adds a question's own words."""
    lemmatizer = shared_lemmatizer()
    salience = _raised(
        _respondent_shares(snapshot, random_state, lemmatizer),
        _document_shares(snapshot.document, lemmatizer),
    )
    return TermBackground(salience).with_text(snapshot.title)


def _raised(salience: dict[str, float], more: dict[str, float]) -> dict[str, float]:
    raised = dict(salience)
    for lemma, value in more.items():
        raised[lemma] = max(raised.get(lemma, 0.0), value)
    return raised


def _lemmas(text: str) -> set[str]:
    return set(shared_lemmatizer().lemmas(text, detect_language(text))) if text.strip() else set()


def _document_shares(document: str, lemmatizer: Lemmatizer) -> dict[str, float]:
    """Per lemma, the share of the document's paragraphs using it, scaled so that
    `DOCUMENT_SHARE_FULL` of them is full salience."""
    paragraphs = [
        paragraph
        for paragraph in _PARAGRAPH_BREAK.split(clean_text(document))
        if len(paragraph.split()) >= 5
    ]
    if not paragraphs:
        return {}
    language = detect_language(" ".join(paragraphs[:50]))
    counts: dict[str, int] = {}
    for paragraph in paragraphs:
        for lemma in set(lemmatizer.lemmas(paragraph, language)):
            counts[lemma] = counts.get(lemma, 0) + 1
    full = max(1.0, DOCUMENT_SHARE_FULL * len(paragraphs))
    return {lemma: min(1.0, count / full) for lemma, count in counts.items() if count >= 2}


def _respondent_shares(
    snapshot: ConsultationSnapshot, random_state: int, lemmatizer: Lemmatizer
) -> dict[str, float]:
    """Per lemma, the share of (a sample of) respondents who use it in any text answer."""
    texts = [
        "\n\n".join(answer.text for answer in respondent.answers.values() if answer.text)
        for respondent in snapshot.respondents
        if not respondent.hidden
    ]
    texts = [text for text in texts if text.strip()]
    if len(texts) < MIN_RESPONDENTS:
        return {}
    if len(texts) > RESPONDENT_SAMPLE:
        rng = np.random.default_rng(random_state)
        chosen = np.sort(rng.choice(len(texts), size=RESPONDENT_SAMPLE, replace=False))
        texts = [texts[i] for i in chosen.tolist()]
    corpus = build_corpus(
        [AnswerText(str(i), text) for i, text in enumerate(texts)], lemmatizer=lemmatizer
    )
    docs = corpus.docs
    respondent_of_row = np.array([int(p.respondent_key) for p in corpus.passages], dtype=np.int64)
    pairs = np.unique(
        respondent_of_row[docs.row_of_each()].astype(np.int64) * len(docs.lemmas) + docs.lemma_ids
    )
    users = np.bincount(pairs % len(docs.lemmas), minlength=len(docs.lemmas))
    return {lemma: users[i] / len(texts) for i, lemma in enumerate(docs.lemmas) if users[i] >= 2}
