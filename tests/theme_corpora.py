"""Generated consultation answers with a known number of topics, for testing theme numbers.

Each topic has its own content words; every answer is written in the consultation's own words
(the consulted document's subject, which every answer shares) plus two or three sentences on
one topic built from that topic's words in varying order, and an aside on nothing in
particular. A few answers are one-off remarks on nothing the others say. A clustering that
follows the content finds one theme per topic and leaves the one-off remarks out.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

DOCUMENT_WORDS = ("kunnskapsbasert", "praksis", "ledelse", "barn", "unge", "tjenestene")
_TOPIC_WORDS = (
    (
        "finansiering tilskudd prosjektmidler drift budsjett øremerkede rammetilskudd "
        "søknadsfrister egenandel kostnader midler bevilgninger"
    ),
    (
        "lederutdanning lederkompetanse implementering opplæring ledere kurs mellomledere "
        "lederstøtte veiledning lederskifte programmer endringsledelse"
    ),
    (
        "medvirkning tilbakemeldinger brukerstemmen involvering foreldre elever brukerråd "
        "erfaringskonsulenter dialog barnesamtaler brukerundersøkelser ungdomsråd"
    ),
    (
        "lovverk samarbeidsplikt lovfesting forskrift regelverk hjemmel særlover "
        "opplæringsloven barnevernsloven lovendring rundskriv taushetsplikt"
    ),
    (
        "rapporten fragmentert uklar lang struktur gjentakelser språket oppbygging "
        "sammendrag leservennlig kapitlene definisjoner"
    ),
    (
        "digitalisering journalsystem datadeling personvern registre statistikk fagsystemer "
        "plattform integrasjon innsyn datakvalitet dokumentasjon"
    ),
    (
        "rekruttering bemanning turnover stillinger arbeidsmiljø lønn sykefravær "
        "vikarer årsverk kompetansekrav stillingsandeler arbeidsbelastning"
    ),
    (
        "forebygging helsestasjon tidlig innsats barnehage oppdagelse kartlegging "
        "screening hjemmebesøk lavterskel småbarn foreldreveiledning"
    ),
)
TOPICS: tuple[list[str], ...] = tuple(words.split() for words in _TOPIC_WORDS)
# Sentence frames of mostly function words, so that a topic's words carry each sentence.
TEMPLATES = (
    "Vi mener at {a} og {b} er det vi må se på.",
    "Det er for lite {a} når det gjelder {b}.",
    "{A} henger sammen med {b} og {c}.",
    "Det står for lite om {a}, og om {b}.",
    "Uten {a} blir det vanskelig med {b}.",
    "Vi savner {a} og {b}.",
    "For oss er {a} og {b} det viktigste.",
    "{A} må ses sammen med {b} og {c}.",
    "Hos oss har {a} gitt mer {b}.",
    "Vi vil peke på {a} i lys av {b}.",
)
# Asides on nothing in particular, as real answers have, put together from parts so that no
# two answers share one word for word: they make answers on one topic differ as much as two
# people's answers do, without being a topic of their own.
ASIDE_SUBJECTS = (
    "Vår kommune",
    "Fylket",
    "Ledergruppen",
    "Styret",
    "Arbeidsgruppen",
    "Bydelen",
    "Regionen",
    "Nettverket",
)
ASIDE_VERBS = ("har drøftet", "har lenge sett", "har erfart", "har diskutert", "kjenner")
ASIDE_OBJECTS = (
    "dette i mange år",
    "saken med tillitsvalgte",
    "lignende spørsmål tidligere",
    "flere sider av saken",
    "dette fra egen praksis",
    "utfordringene i hverdagen",
)
OPENING_STARTS = ("Vi støtter", "Vi er glade for", "Vi har lest", "Vi stiller oss bak")
OPENING_ENDS = (
    "arbeidet med {a} og {b}.",
    "dokumentet om {a} og {b}.",
    "strategien for {a}.",
    "satsingen på {a} og {b}.",
)
ONE_OFF = (
    "Høringsfristen var for kort for vår organisasjon.",
    "Takk for muligheten til å gi innspill.",
    "Vi har ingen ytterligere kommentarer utover dette.",
    "Kontaktperson for saken er vår rådgiver.",
)


def topic_sentence(rng: random.Random, topic: Sequence[str]) -> str:
    a, b, c = rng.sample(topic, 3)
    return rng.choice(TEMPLATES).format(a=a, A=a.capitalize(), b=b, c=c)


def generated_answers(
    n_topics: int, answers_per_topic: int = 12, one_offs: int = 3, seed: int = 0
) -> tuple[list[str], list[int]]:
    """Answer texts and, for each, its topic (-1 for a one-off remark)."""
    rng = random.Random(seed)
    texts: list[str] = []
    topics: list[int] = []
    for topic in range(n_topics):
        for _ in range(answers_per_topic):
            a, b = rng.sample(DOCUMENT_WORDS, 2)
            opening = f"{rng.choice(OPENING_STARTS)} {rng.choice(OPENING_ENDS).format(a=a, b=b)}"
            sentences = [topic_sentence(rng, TOPICS[topic]) for _ in range(rng.randint(2, 3))]
            aside = (
                f"{rng.choice(ASIDE_SUBJECTS)} {rng.choice(ASIDE_VERBS)} "
                f"{rng.choice(ASIDE_OBJECTS)}."
            )
            sentences.insert(rng.randint(0, len(sentences)), aside)
            texts.append(" ".join([opening, *sentences]))
            topics.append(topic)
    for index in range(one_offs):
        texts.append(ONE_OFF[index % len(ONE_OFF)])
        topics.append(-1)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [topics[i] for i in order]
