"""Nynorsk lemmas mapped onto their bokmål counterparts, so one topic is one theme.

Answers in nynorsk are lemmatised with simplemma's nynorsk dictionary ("tenestene" →
"teneste", "kommunane" → "kommune"), but "teneste" and "tjeneste" are still two words to the
clustering, and a topic written about in both standards would split into two themes by written
standard ("leiing · teneste" beside "ledelse · tjeneste"). Each nynorsk lemma is therefore
replaced by its bokmål form where the two differ:

1. a curated table of common pairs (written for this project from the official spellings),
   looked up for the whole lemma and for the last part of a compound whose first part is a
   word itself, mapped in turn ("tenestebrukar" → "tjenestebruker");
2. regular suffix correspondences ("-leg" → "-lig", "-heit" → "-het", "-semd" → "-somhet",
   agent "-ar" → "-er"), accepted only when simplemma's bokmål dictionary knows the result, so
   a rule never invents a word.

A lemma that bokmål already knows is left alone unless the table names it: most content words
("kvalitet", "samarbeid", "tiltak") are spelt alike.
"""

from __future__ import annotations

from synthesis.freed_memory import word_cache

NYNORSK_TO_BOKMAL: dict[str, str] = {
    # services, leadership, people
    "teneste": "tjeneste",
    "tenesteytar": "tjenesteyter",
    "tenesteyting": "tjenesteyting",
    "leiing": "ledelse",
    "leiar": "leder",
    "leiarskap": "lederskap",
    "leiargruppe": "ledergruppe",
    "tilsett": "ansatt",
    "tilsetjing": "ansettelse",
    "medarbeidar": "medarbeider",
    "arbeidsgjevar": "arbeidsgiver",
    "arbeidstakar": "arbeidstaker",
    "brukar": "bruker",
    "forskar": "forsker",
    "lærar": "lærer",
    "rettleiar": "veileder",
    "rettleiing": "veiledning",
    "born": "barn",
    "vaksen": "voksen",
    "gut": "gutt",
    "føresett": "foresatt",
    "føresette": "foresatte",
    "verksemd": "virksomhet",
    "skule": "skole",
    "heim": "hjem",
    "sjukehus": "sykehus",
    "sjukdom": "sykdom",
    "sjuk": "syk",
    # knowledge, work, documents
    "forsking": "forskning",
    "røynsle": "erfaring",
    "medverknad": "medvirkning",
    "føresetnad": "forutsetning",
    "tilråding": "anbefaling",
    "framlegg": "forslag",
    "høyring": "høring",
    "høyringssvar": "høringssvar",
    "høyringsinnspel": "høringsinnspill",
    "innspel": "innspill",
    "innhald": "innhold",
    "omgrep": "begrep",
    "forståing": "forståelse",
    "løysing": "løsning",
    "oppgåve": "oppgave",
    "tilbod": "tilbud",
    "tryggleik": "trygghet",
    "kvardag": "hverdag",
    "haldning": "holdning",
    "meining": "mening",
    "heimel": "hjemmel",
    "midlar": "midler",
    "pengar": "penger",
    "veke": "uke",
    "veg": "vei",
    "høve": "anledning",
    "moglegheit": "mulighet",
    "løn": "lønn",
    "fråvær": "fravær",
    "busetjing": "bosetting",
    # verbs
    "vere": "være",
    "gjere": "gjøre",
    "seie": "si",
    "kome": "komme",
    "gje": "gi",
    "bu": "bo",
    "tenkje": "tenke",
    "krevje": "kreve",
    "styrkje": "styrke",
    "løyse": "løse",
    "fylgje": "følge",
    "følgje": "følge",
    "søkje": "søke",
    "byggje": "bygge",
    "dekkje": "dekke",
    "byrje": "begynne",
    "halde": "holde",
    "setje": "sette",
    "leggje": "legge",
    "sjå": "se",
    "høyre": "høre",
    "spørje": "spørre",
    "hugse": "huske",
    "gløyme": "glemme",
    "meine": "mene",
    "ynskje": "ønske",
    "ønskje": "ønske",
    "auke": "øke",
    "tilrå": "anbefale",
    "leie": "lede",
    "tene": "tjene",
    "eige": "eie",
    # adjectives and adverbs
    "mogleg": "mulig",
    "naudsynt": "nødvendig",
    "særleg": "særlig",
    "tilgjengeleg": "tilgjengelig",
    "tverrfagleg": "tverrfaglig",
    "fagleg": "faglig",
    "statleg": "statlig",
    "dårleg": "dårlig",
    "vanskeleg": "vanskelig",
    "tydeleg": "tydelig",
    "open": "åpen",
    "opne": "åpne",
    "heil": "hel",
    "heile": "hele",
    "eigen": "egen",
    "einskild": "enkelt",
    "gamal": "gammel",
    "mykje": "mye",
    "fleire": "flere",
    "betre": "bedre",
    "fyrst": "først",
}
# Compound heads worth looking for at the end of a longer lemma, longest first.
_COMPOUND_HEADS = sorted(
    (stem for stem in NYNORSK_TO_BOKMAL if len(stem) >= 5), key=len, reverse=True
)
# (nynorsk ending, bokmål ending), tried in order; the result must be a known bokmål word.
SUFFIX_RULES: tuple[tuple[str, str], ...] = (
    ("lege", "lige"),
    ("leg", "lig"),
    ("heit", "het"),
    ("semd", "somhet"),
    ("nad", "ning"),
    ("ar", "er"),
)


def _known_bokmal(word: str) -> bool:
    import simplemma

    return bool(simplemma.is_known(word, lang="nb"))


def _is_compound_part(prefix: str) -> bool:
    """Whether `prefix` is a word a compound can start with (maybe with a linking s or e), so
    "helsesjukepleiar" is not read as "helsesjukep" + "leiar"."""
    import simplemma

    if len(prefix) < 3:
        return False
    candidates = (prefix, prefix[:-1]) if prefix[-1] in "se" else (prefix,)
    return any(simplemma.is_known(word, lang=lang) for word in candidates for lang in ("nn", "nb"))


@word_cache
def bokmal_lemma(lemma: str) -> str:
    """The bokmål form of a nynorsk lemma, or the lemma itself when none is known."""
    if lemma in NYNORSK_TO_BOKMAL:
        return NYNORSK_TO_BOKMAL[lemma]
    for head in _COMPOUND_HEADS:
        if lemma.endswith(head) and _is_compound_part(lemma[: -len(head)]):
            return bokmal_lemma(lemma[: -len(head)]) + NYNORSK_TO_BOKMAL[head]
    if _known_bokmal(lemma):
        return lemma
    for ending, replacement in SUFFIX_RULES:
        if lemma.endswith(ending):
            candidate = lemma[: -len(ending)] + replacement
            if _known_bokmal(candidate):
                return candidate
    return lemma
