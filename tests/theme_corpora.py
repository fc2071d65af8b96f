"""Generated consultation answers with a known number of topics, for testing theme numbers.

Each topic has its own content words; every answer is written in the consultation's own words
(the consulted document's subject, which every answer shares) plus two or three sentences on
one topic built from that topic's words in varying order and inflection. A few answers are
one-off remarks on nothing the others say. A clustering that follows the content finds one
theme per topic and leaves the one-off remarks out.
"""

from __future__ import annotations

import random

DOCUMENT_WORDS = ("kunnskapsbasert", "praksis", "ledelse", "barn", "unge", "tjenestene")
TOPICS: tuple[tuple[str, ...], ...] = (
    ("finansiering", "tilskudd", "prosjektmidler", "drift", "budsjett", "øremerkede"),
    ("lederutdanning", "lederkompetanse", "implementering", "opplæring", "ledere", "kurs"),
    ("medvirkning", "tilbakemeldinger", "brukerstemmen", "involvering", "foreldre", "elever"),
    ("lovverk", "samarbeidsplikt", "lovfesting", "forskrift", "regelverk", "hjemmel"),
    ("rapporten", "fragmentert", "uklar", "lang", "struktur", "gjentakelser"),
    ("digitalisering", "journalsystem", "datadeling", "personvern", "registre", "statistikk"),
    ("rekruttering", "bemanning", "turnover", "stillinger", "arbeidsmiljø", "lønn"),
    ("forebygging", "helsestasjon", "tidlig", "innsats", "barnehage", "oppdagelse"),
)
TEMPLATES = (
    "Vi mener {a} og {b} må prioriteres høyere.",
    "Det er behov for mer {a} knyttet til {b}.",
    "{A} henger tett sammen med {b} og {c}.",
    "Rapporten sier for lite om {a}, særlig {b}.",
    "Uten {a} blir det vanskelig å få til {b}.",
    "Vi savner {a} og {b} i arbeidet videre.",
)
ONE_OFF = (
    "Høringsfristen var for kort for vår organisasjon.",
    "Takk for muligheten til å gi innspill.",
    "Vi har ingen ytterligere kommentarer utover dette.",
    "Kontaktperson for saken er vår rådgiver.",
)


def topic_sentence(rng: random.Random, topic: tuple[str, ...]) -> str:
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
            opening = (
                f"Vi støtter arbeidet med {rng.choice(DOCUMENT_WORDS)} "
                f"og {rng.choice(DOCUMENT_WORDS)} for alle."
            )
            sentences = [topic_sentence(rng, TOPICS[topic]) for _ in range(rng.randint(2, 3))]
            texts.append(" ".join([opening, *sentences]))
            topics.append(topic)
    for index in range(one_offs):
        texts.append(ONE_OFF[index % len(ONE_OFF)])
        topics.append(-1)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [topics[i] for i in order]
