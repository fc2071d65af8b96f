"""Text processing: PDF noise, passages, language detection, lemmas and cross-references."""

from pathlib import Path

import numpy as np
import pytest

from synthesis import corpus as corpus_module
from synthesis.corpus import AnswerText, build_corpus, ragged_take, taken
from synthesis.crossref import GENERAL, find_cross_reference
from synthesis.language import detect_language, stop_words
from synthesis.text import (
    Lemmatizer,
    clean_text,
    passage_hash,
    passages_of_answer,
    split_passages,
    split_sentences,
)
from synthesis.tokenizer import ChunkTokenizer, spacy_words

SEED_004 = Path("/work/shared/seeds/004_49cc0d095eb0c7e2.txt")
DEMO_COMPILED = Path(__file__).parents[1] / "hearing" / "demo_data" / "compiled_responses.txt"
CODES = ("1", "1.a", "1.b", "2", "3", "4")


def test_clean_text_undoes_pdf_line_breaking():
    raw = (
        "Det er behov for kompetanse-\nutvikling i mål- \nog resultatstyring i\n"
        "tjenestene.\n12\n\uf0b7 Første  punkt\nfortsetter her\n• Andre punkt\nSvakheter:\n"
        "For lite\u00a0tid."
    )
    assert clean_text(raw).split("\n\n") == [
        "Det er behov for kompetanseutvikling i mål- og resultatstyring i tjenestene.",
        "Første punkt fortsetter her",
        "Andre punkt",
        "Svakheter:",
        "For lite tid.",
    ]


def test_capitalised_continuation_keeps_its_hyphen():
    assert clean_text("Kompetansesenter rus-\nMidt-Norge") == "Kompetansesenter rus-Midt-Norge"


def test_sentences_do_not_end_at_abbreviations():
    text = "Vi viser til pkt. 4 i rapporten, f.eks. tiltak 2. Dette er viktig. Ja."
    assert split_sentences(text) == [
        "Vi viser til pkt. 4 i rapporten, f.eks. tiltak 2.",
        "Dette er viktig.",
        "Ja.",
    ]


def test_long_answer_is_cut_into_several_passages_and_headings_join_what_follows():
    text = (
        "Styrker:\nDet finnes mange kompetansesentre som driver praksisnær forskning i dag. "
        "De er godt rigget til å gi implementeringsstøtte til tjenestene.\n\n"
        "Svakheter:\nDet er få insentiver til bruk av kunnskapsbasert praksis i tjenestene."
    )
    passages = split_passages(text)
    assert len(passages) == 3
    assert passages[0].startswith("Styrker: Det finnes")
    assert passages[2].startswith("Svakheter: Det er få insentiver")


def test_passage_hash_ignores_case_and_whitespace_but_not_the_respondent():
    assert passage_hash("Mer  samarbeid", "r1") == passage_hash("mer samarbeid\n", "r1")
    assert passage_hash("Mer samarbeid", "r1") != passage_hash("Mer samarbeid", "r2")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Vi mener at tjenestene ikke samarbeider godt nok, og hva som skal gjøres er uklart.",
            "nb",
        ),
        (
            "Eg meiner at tenestene ikkje samarbeider godt nok, og kva som skal gjerast er uklart.",
            "nn",
        ),
        ("Dei tilsette må få meir tid til kvarandre, berre slik kan ein lukkast.", "nn"),
        ("We think that the services should cooperate more and this is not done today.", "en"),
        ("Barnevern.", "nb"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_bokmal_seed_paragraphs_are_detected_as_bokmal():
    paragraphs = [p for p in SEED_004.read_text().split("\n\n") if len(p.split()) >= 8]
    detected = [detect_language(p) for p in paragraphs]
    assert detected.count("nb") / len(detected) > 0.98


def test_nynorsk_stop_words_extend_bokmal():
    assert {"ikkje", "kva", "ikke"} <= stop_words("nn")
    assert "ikkje" not in stop_words("nb")
    assert "the" in stop_words("en")


def test_lemmatizer_drops_stop_words_urls_and_numbers():
    lemmas = Lemmatizer().lemmas("Tjenestene ble ikke samordnet i 2020, se www.bufdir.no", "nb")
    assert lemmas == ["tjeneste", "samordne"]


def test_passages_of_answer_carry_language_and_hash():
    passages = passages_of_answer("r7", "Eg meiner tenestene må samarbeide betre på tvers.")
    assert [p.language for p in passages] == ["nn"]
    assert passages[0].passage_hash == passage_hash(passages[0].text, "r7")


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Se kommentarer under punkt 4. ", "4"),
        ("se generelle kommentarer ", GENERAL),
        ("Se 1b ", "1.b"),
        ("Viser til svar under spørsmål 2", "2"),
        ("Vi viser til våre kommentarer under pkt. 1.a)", "1.a"),
        ("Sjå svaret på spørsmål 1a.", "1.a"),
        ("See answer to 3", "3"),
        ("Please see our general comments.", GENERAL),
    ],
)
def test_cross_references_are_linked_to_their_target(text, target):
    reference = find_cross_reference(text, CODES)
    assert reference is not None
    assert reference.target == target


@pytest.mark.parametrize(
    "text",
    [
        "Se over: I tillegg til potensialet for motstridende målsetninger kommer to faktorer.",
        "Se proposisjonen 73L som også omhandler forslag til kvalitets- og tilsynsordninger.",
        "Vi henviser til Kompetansesenter for kriminalitetsforebygging sin hjemmeside.",
        "Se punkt 9.",
        "Rapporten har et godt kunnskapsgrunnlag (se kommentar til delrapport 1).",
    ],
)
def test_answers_with_content_or_unknown_targets_are_not_cross_references(text):
    assert find_cross_reference(text, CODES) is None


def test_cross_references_in_the_compiled_seed_are_found():
    lines = DEMO_COMPILED.read_text().splitlines()
    found = [find_cross_reference(line, CODES) for line in lines]
    targets = [reference.target for reference in found if reference is not None]
    assert targets.count("4") == 4
    assert targets.count(GENERAL) == 2
    assert "1.b" in targets


def test_chunk_tokenizer_follows_spacy_on_seed_paragraphs():
    """The per-chunk memo gives spaCy's own words for whole paragraphs of seed 004."""
    paragraphs = [clean_text(p) for p in SEED_004.read_text().split("\n\n") if p.strip()]
    tokenizer = ChunkTokenizer("nb")
    same = [tokenizer.words(p) == spacy_words(p, "nb") for p in paragraphs]
    assert len(same) > 100
    assert sum(same) / len(same) >= 0.98


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_letter_only_chunks_skip_spacy_but_match_it(language):
    chunks = ["Tjenestene", "Cannot", "gonna", "Straße", "İstanbul", "ﬁnn", "Ⅻ", "ǅemal", "a"]
    tokenizer = ChunkTokenizer(language)
    assert tokenizer.words_of_chunks(chunks) == [
        tuple(spacy_words(chunk, language)) for chunk in chunks
    ]


def test_words_keep_letters_of_hyphenated_compounds_and_drop_urls():
    words = ChunkTokenizer("nb").words("0–24-samarbeidet og e-post, mål- og se www.bufdir.no.")
    assert words == ["samarbeidet", "og", "post", "mål", "og", "se"]


MIXED_ANSWERS = [
    AnswerText(
        "a",
        "Tjenestene samarbeider ikke godt nok på tvers av sektorene i dag. "
        "Barnevernet må få mer tid og bedre kompetanse til oppfølging av familiene.",
    ),
    AnswerText("b", "Eg meiner at tenestene ikkje samarbeider godt nok, og kva som skal gjerast."),
    AnswerText("c", "We think that the services should cooperate more and this is not done."),
    AnswerText("d", "2020"),
]


def test_corpus_matches_the_lemmatizer_and_detects_language_per_answer():
    corpus = build_corpus(MIXED_ANSWERS)
    lemmatizer = Lemmatizer()
    assert [p.language for p in corpus.passages] == ["nb", "nb", "nn", "en"]
    for row, passage in enumerate(corpus.passages):
        assert corpus.docs.lemmas_of(row) == lemmatizer.lemmas(passage.text, passage.language)
    assert [p.index for p in corpus.passages] == [0, 1, 0, 0]  # "2020" has no passage
    taken = corpus.docs.take(np.array([2, 0]))
    assert taken.lemmas_of(0) == corpus.docs.lemmas_of(2)
    assert taken.lemmas_of(1) == corpus.docs.lemmas_of(0)


@pytest.mark.parametrize("block", [1, 3, 1 << 18])
def test_ragged_take_equals_slicing_each_pick_whatever_the_block(monkeypatch, block):
    """Picks in any order, repeated, empty rows among them, across block boundaries."""
    monkeypatch.setattr(corpus_module, "TAKE_BLOCK", block)
    rng = np.random.default_rng(0)
    lengths = rng.integers(0, 5, size=40)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    values = rng.integers(0, 1000, size=int(indptr[-1])).astype(np.int32)
    picks = rng.integers(0, 40, size=97)
    taken, taken_lengths = ragged_take(indptr, values, picks)
    expected = [values[indptr[p] : indptr[p + 1]] for p in picks]
    assert taken.tolist() == np.concatenate(expected).tolist()
    assert taken_lengths.tolist() == [len(part) for part in expected]
    assert taken.dtype == values.dtype
    empty, no_lengths = ragged_take(indptr, values, np.zeros(0, dtype=np.int64))
    assert len(empty) == 0 and len(no_lengths) == 0


@pytest.mark.parametrize("block", [1, 3, 7])
def test_corpus_is_the_same_whatever_the_blocks_its_arrays_are_made_in(monkeypatch, block):
    """Chunks looked up, distinct ids found and language votes counted a block at a time
    give the corpus of one block, in every language and with repeated answers."""
    answers = MIXED_ANSWERS * 3 + [AnswerText("e", "Tenestene må samarbeide betre.")]
    whole = build_corpus(answers)
    monkeypatch.setattr(corpus_module, "TAKE_BLOCK", block)
    monkeypatch.setattr(corpus_module, "VOTE_BLOCK", block)
    parted = build_corpus(answers)
    assert parted.passages == whole.passages
    assert parted.docs.lemmas == whole.docs.lemmas
    assert parted.docs.indptr.tolist() == whole.docs.indptr.tolist()
    assert parted.docs.lemma_ids.tolist() == whole.docs.lemma_ids.tolist()
    assert {p.language for p in parted.passages} == {"nb", "nn", "en"}


def test_a_corpus_of_answers_handed_over_lets_their_texts_go():
    """`taken` empties the caller's list as the corpus reads it, and the corpus is the one
    the list itself gives."""
    answers = list(MIXED_ANSWERS)
    seen_left: list[int] = []

    def watched():
        for answer in taken(answers):
            seen_left.append(len(answers))
            yield answer

    corpus = build_corpus(watched())
    assert answers == [] and seen_left == [3, 2, 1, 0]
    assert corpus.passages == build_corpus(MIXED_ANSWERS).passages
