"""Campaigns by containment: members who add text of their own, and stock phrases that are not
a campaign."""

from __future__ import annotations

from itertools import pairwise

import pytest

from synthesis.duplicates import DuplicateDetector
from synthesis.minhash import words, words_of_many

TEMPLATE = (
    "Vi mener at tjenestene for barn og unge må samordnes bedre, og at kommunene trenger "
    "forpliktende samarbeid med spesialisthelsetjenesten for å lykkes med tidlig innsats. "
    "Det må settes av øremerkede midler til koordinatorer i hver kommune. "
    "Barn og familier skal ikke måtte fortelle historien sin på nytt til hver ny tjeneste. "
    "Vi ber derfor departementet om å lovfeste retten til en fast kontaktperson."
)
OWN = [
    "Som forelder til et barn med sammensatte behov har jeg opplevd dette selv gjennom flere år "
    "med møter der ingen hadde ansvaret og alle ventet på hverandre.",
    "I vår bydel har helsestasjonen gjort en fantastisk jobb, men skolen og barnevernet snakker "
    "fortsatt ikke sammen før det er for sent og saken har vokst seg stor.",
    "Jeg jobber selv som lærer og ser hver uke elever som faller mellom to stoler fordi "
    "skjemaene og rutinene ikke henger sammen på tvers av etatene.",
    "Vårt idrettslag tar imot mange ungdommer som trenger en voksen å snakke med, og vi "
    "skulle gjerne hatt et telefonnummer å ringe når vi blir bekymret for noen av dem.",
    "Min sønn ventet i to år på utredning, og i mellomtiden mistet han nesten hele "
    "ungdomsskolen fordi ingen kunne gi ham den hjelpen han trengte.",
    "Som nabo til et bofellesskap ser jeg hvor mye det betyr at noen faktisk følger opp "
    "ungdommene etter at de har flyttet hjemmefra og står alene.",
    "Vi er en liten frivillig forening med femti medlemmer, og vi har ikke ressurser til å "
    "delta i alle møtene kommunen inviterer til på dagtid.",
    "Etter tretti år i barnehage vet jeg at de første tegnene på at noe er galt ofte kommer "
    "lenge før noen andre tjenester er koblet på saken.",
]
UNRELATED = [
    "Rapporten er for lang og vanskelig å lese, og den mangler en tydelig oppsummering av "
    "anbefalingene som en travel leder kan bruke i sitt daglige arbeid med planlegging.",
    "Kapittel fire om kompetanse i kommunene bør utvides med erfaringer fra de minste "
    "kommunene, der én ansatt ofte har mange roller samtidig og lite tid til opplæring.",
    "Vi savner en drøfting av hvordan digitale verktøy kan støtte samhandlingen, og hvilke "
    "krav til personvern som gjelder når opplysninger deles mellom tjenestene.",
    "Forskningsrådet bør prioritere langsiktige programmer framfor korte prosjekter, fordi "
    "kunnskap om implementering tar mange år å bygge opp i praksisfeltet.",
    "Det er positivt at rapporten løfter fram brukermedvirkning, men ungdommene selv må "
    "involveres allerede når tiltakene planlegges og ikke bare når de evalueres.",
    "Fylkeskommunens rolle i videregående opplæring er nesten ikke nevnt, selv om mange av de "
    "mest utsatte ungdommene nettopp faller ut i overgangen fra ungdomsskolen.",
]
STOCK = "Vi viser til høringsbrev av 14. juni 2023 og takker for muligheten til å gi innspill."


def members_with_additions() -> list[tuple[str, str]]:
    """Two bare copies and four members who each add two sentences of their own (two fifths
    of their text), before, after or around the template; one retypes it in lower case."""
    return [
        ("bare1", TEMPLATE),
        ("bare2", TEMPLATE.replace("øremerkede", "egne")),
        ("own1", f"{TEMPLATE} {OWN[0]} {OWN[1]}"),
        ("own2", f"{OWN[2]} {OWN[3]} {TEMPLATE}"),
        ("own3", f"{OWN[4]} {TEMPLATE} {OWN[5]}".lower()),
        ("own4", f"{TEMPLATE.replace('. ', '! ')} {OWN[6]} {OWN[7]}"),
    ]


def test_members_who_add_their_own_sentences_join_the_campaign():
    items = members_with_additions() + [(f"u{i}", text) for i, text in enumerate(UNRELATED)]
    campaigns = [g for g in DuplicateDetector().fit_texts(items).groups_ if g.kind == "campaign"]
    assert [set(g.member_keys) for g in campaigns] == [
        {"bare1", "bare2", "own1", "own2", "own3", "own4"}
    ]
    (campaign,) = campaigns
    assert campaign.template == TEMPLATE
    assert campaign.additions["own1"] == f"{OWN[0]} {OWN[1]}".rstrip(".")
    assert campaign.additions["own2"] == f"{OWN[2]} {OWN[3]}".rstrip(".")


def test_whole_text_jaccard_alone_misses_them():
    """The baseline the containment step is measured against (bench/campaign_quality.py)."""
    groups = DuplicateDetector(containment=False).fit_texts(members_with_additions()).groups_
    grouped = {key for group in groups for key in group.member_keys}
    assert not grouped >= {"own1", "own2", "own3", "own4"}


def test_a_shared_stock_phrase_is_not_a_campaign():
    items = [(f"d{i}", f"{STOCK} {text}") for i, text in enumerate(UNRELATED)]
    items += [(f"e{i}", f"{text} {STOCK}") for i, text in enumerate(OWN[:4])]
    assert DuplicateDetector().fit_texts(items).groups_ == []


def test_a_member_who_adds_more_than_the_template_joins_through_it(monkeypatch):
    """Whatever a member adds: one who wrote six sentences of their own around the template
    shares too little with any one member to be linked pairwise, but holds the template."""
    verbose = ("verbose", " ".join(OWN[2:5]) + " " + TEMPLATE + " " + " ".join(OWN[5:8]))
    items = [*members_with_additions()[:3], verbose]
    items += [(f"u{i}", text) for i, text in enumerate(UNRELATED)]
    (campaign,) = DuplicateDetector().fit_texts(items).groups_
    assert set(campaign.member_keys) == {"bare1", "bare2", "own1", "verbose"}

    monkeypatch.setattr("synthesis.duplicates.template_links", lambda *args: [])
    (pairwise,) = DuplicateDetector().fit_texts(items).groups_
    assert "verbose" not in pairwise.member_keys


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Idéen er å samle «TJENESTENE»!", "ideen er å samle tjenestene"),
        ("Über-komplekse søknader", "uber komplekse søknader"),
    ],
)
def test_case_punctuation_and_accents_are_normalised(first, second):
    assert words(first) == words(second)
    assert words_of_many([first, second]) == [words(first), words(second)]


def test_nordic_letters_are_kept_and_numbers_compare_equal():
    assert words("På ÆØÅ") == ["på", "æøå"]
    dated = [
        ("a", STOCK.replace("14. juni 2023", "3. juni 2024") + " " + TEMPLATE),
        ("b", TEMPLATE + " " + STOCK),
    ]
    assert len(DuplicateDetector().fit_texts(dated).groups_) == 1


@pytest.mark.parametrize("block", [1, 7, 1 << 20])
def test_candidate_pairs_are_the_same_whichever_block_of_buckets_is_paired_at_once(
    monkeypatch, block
):
    """Buckets are paired a block of entries at a time; a bucket never straddles two blocks
    (a block as small as one entry still takes its whole bucket)."""
    import numpy as np

    from synthesis import containment
    from synthesis.minhash import TokenIds

    items = members_with_additions() + [(f"u{i}", text) for i, text in enumerate(UNRELATED)]
    ids = TokenIds()
    ids.add(words_of_many([text for _, text in items]))
    word_ids, lengths = ids.result()
    fingerprints = containment.Fingerprints.of(word_ids, lengths)
    whole = containment._bucket_pairs(fingerprints, lengths)
    assert len(whole) > 0

    monkeypatch.setattr(containment, "_ENTRIES_PER_BLOCK", block)
    in_blocks = containment._bucket_pairs(fingerprints, lengths)
    assert np.array_equal(in_blocks, whole)
    expected = set()
    for entries in np.split(
        np.arange(len(fingerprints.bucket)), np.flatnonzero(np.diff(fingerprints.bucket)) + 1
    ):
        texts = sorted(fingerprints.text[entries].tolist(), key=lambda t: (lengths[t], t))
        shortest = texts[0]
        for neighbour, text in pairwise(texts):
            expected |= {tuple(sorted((shortest, text))), tuple(sorted((neighbour, text)))}
    assert {tuple(pair) for pair in in_blocks.tolist()} == {p for p in expected if p[0] != p[1]}


SHARED_SENTENCE = (
    "Plan for helhetlig oppvekst for barn og unge er tenkt som et styrings- og "
    "utviklingsverktøy, og skal være overbyggende når det gjelder andre planer innen "
    "oppvekstområdet."
)
OPENING_A = "Kompetanse og omstilling er to sider av samme sak og ikke en umulig kombinasjon."
CLOSING_A = (
    "Rapporten gir en tydelig beskrivelse av hvor viktig det er med involvering av barn og "
    "unge, men dette må gjøres ut fra alder og forutsetninger."
)
CLOSING_B = "Samarbeid til barn og unges beste må styrkes i alle landets kommuner."
LAST_B = (
    "Andre instanser som har svart på dette notatet har ikke svart på spørsmålet om "
    "samordning av tjenestene for de yngste."
)


def test_two_campaigns_quoting_one_sentence_alike_stay_two():
    """Seen at a million answers: a member of each campaign kept little but the sentence both
    templates quote, the two are linked pairwise, and 841 and 441 senders became one."""
    full_a = f"{OPENING_A} {SHARED_SENTENCE} {CLOSING_A}"
    short_a = f"{OPENING_A} {SHARED_SENTENCE}"
    full_b = f"{SHARED_SENTENCE} {CLOSING_B} {LAST_B}"
    short_b = f"{SHARED_SENTENCE} {CLOSING_B}"
    items = [(f"a{i}", full_a) for i in range(4)] + [(f"as{i}", short_a) for i in range(3)]
    items += [(f"b{i}", full_b) for i in range(4)] + [(f"bs{i}", short_b) for i in range(3)]
    items += [(f"u{i}", text) for i, text in enumerate(UNRELATED)]
    groups = DuplicateDetector().fit_texts(items).groups_
    assert sorted(sorted(g.member_keys) for g in groups) == [
        ["a0", "a1", "a2", "a3", "as0", "as1", "as2"],
        ["b0", "b1", "b2", "b3", "bs0", "bs1", "bs2"],
    ]


def test_two_groups_sending_one_template_with_and_without_additions_are_one_campaign():
    """Each already a campaign when they meet; their templates agree, so they join."""
    plain = [(f"p{i}", TEMPLATE) for i in range(3)]
    added = [(f"o{i}", f"{TEMPLATE} {OWN[0]} {OWN[1]}") for i in range(3)]
    items = plain + added + [(f"u{i}", text) for i, text in enumerate(UNRELATED)]
    detector = DuplicateDetector(threshold=0.9)  # no Jaccard link between the two
    (campaign,) = detector.fit_texts(items).groups_
    assert set(campaign.member_keys) == {key for key, _ in plain + added}
