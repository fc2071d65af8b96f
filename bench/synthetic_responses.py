"""Synthetic Norwegian consultation answers with injected campaigns, for benchmarks.

Organic answers are 3–6 sentences resampled from the seed documents, each lightly perturbed
(dropped, swapped and misspelt words), so no two organic answers are near-duplicates by
accident. Campaigns are groups of answers made from one template of 2–5 sentences, every member
with up to `max_campaign_edit` of its tokens edited — the way an organisation's members
paste and adapt a suggested answer. The generator is deterministic for a given `seed` and
returns the ground truth: which key belongs to which campaign.

Campaigns as they really come (`realistic=True`, used by `bench/campaign_quality.py`): members
also drop a sentence of the template or reorder two, write some words in their own variant
(nynorsk forms, synonyms: a light translation), change case and punctuation, and most add
sentences of their own, up to half of their text, before, inside or after the template. Some
organic answers are decoys: they open or close with a stock phrase that many unrelated answers
share ("Vi viser til høringsbrev av …", "Please find enclosed our position …"), which must not
make them a campaign.

    python bench/synthetic_responses.py 1000 --seed 0 [--realistic]   # prints a sample
"""

from __future__ import annotations

import argparse
import random
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from synthesis.text import clean_text, split_sentences

SEED_DIRECTORY = Path("/work/shared/seeds")
DEMO_DIRECTORY = Path(__file__).parents[1] / "hearing" / "demo_data"
MIN_SENTENCE_WORDS, MAX_SENTENCE_WORDS = 6, 40
ORGANIC_TOKEN_NOISE = 0.08
LETTERS = string.ascii_lowercase + "æøå"
# Realistic campaigns: chances per member, and the share of organic answers that are decoys.
DROP_SENTENCE, REORDER_SENTENCES, OWN_VARIANT, CHANGE_CASE = 0.25, 0.3, 0.3, 0.3
ADDS_OWN_SENTENCES, MAX_ADDITION_SHARE = 0.7, 0.5
DECOY_SHARE = 0.3
POOL_EVERY = 5  # realistic templates and members' own sentences: a fifth of the pool each
# A member writing in their own variant: nynorsk forms and synonyms of common words.
VARIANTS = {
    "ikke": "ikkje",
    "jeg": "eg",
    "hva": "kva",
    "også": "òg",
    "mye": "mykje",
    "hvordan": "korleis",
    "noen": "nokon",
    "fra": "frå",
    "bare": "berre",
    "være": "vere",
    "hvis": "dersom",
    "viktig": "vesentleg",
    "barn": "born",
    "tjenestene": "tenestene",
    "tjenester": "tenester",
    "kommunene": "kommunane",
    "bør": "burde",
    "må": "skal",
    "både": "båe",
    "mellom": "imellom",
    "derfor": "difor",
    "eller": "elles",
    "ledelse": "leiing",
    "ledere": "leiarar",
    "disse": "desse",
}
STOCK_PHRASES = (
    "Vi viser til høringsbrev av 14. juni 2023 og takker for muligheten til å gi innspill.",
    "Vi viser til høringsbrev av 3. mars 2024 om rapporten og gir med dette vårt høringssvar.",
    "Takk for muligheten til å komme med innspill til dette viktige arbeidet.",
    "Vi ser fram til videre dialog og bidrar gjerne i det videre arbeidet.",
    "Med vennlig hilsen styret i foreningen.",
    "Please find enclosed our position on the proposal, which we submit on behalf of our members.",
    "Høringssvaret er behandlet og vedtatt i kommunestyret i møte 12. september 2023.",
    "Vi har for øvrig ingen ytterligere merknader til rapporten utover det som er nevnt her.",
)


@dataclass(frozen=True)
class SyntheticResponses:
    keys: list[str]
    texts: list[str]
    campaign_of: dict[str, str]  # member key -> campaign id; organic answers are absent

    @property
    def items(self) -> list[tuple[str, str]]:
        return list(zip(self.keys, self.texts, strict=True))


@cache
def seed_sentences() -> tuple[str, ...]:
    """Prose sentences from the seed and demo documents, deduplicated, in a fixed order."""
    paths = sorted(SEED_DIRECTORY.glob("*.txt")) + sorted(DEMO_DIRECTORY.glob("*.txt"))
    found: dict[str, None] = {}
    for path in paths:
        for paragraph in clean_text(path.read_text(encoding="utf-8")).split("\n\n"):
            for sentence in split_sentences(paragraph):
                words = sentence.split()
                letters = sum(ch.isalpha() for ch in sentence)
                if (
                    MIN_SENTENCE_WORDS <= len(words) <= MAX_SENTENCE_WORDS
                    and letters > 0.75 * len(sentence.replace(" ", ""))
                    and "http" not in sentence
                ):
                    found.setdefault(sentence, None)
    return tuple(found)


def misspell(word: str, rng: random.Random) -> str:
    """One typo: a letter replaced, dropped or doubled."""
    if len(word) < 3:
        return word
    at = rng.randrange(len(word))
    match rng.randrange(3):
        case 0:
            return word[:at] + rng.choice(LETTERS) + word[at + 1 :]
        case 1:
            return word[:at] + word[at + 1 :]
        case _:
            return word[:at] + word[at] + word[at:]


def perturb(words: list[str], rate: float, rng: random.Random) -> list[str]:
    """Edit about `rate` of the tokens: drop, swap with the next, misspell or insert a word."""
    result = list(words)
    edits = round(rate * len(words)) if rate > 0 else 0
    for _ in range(edits):
        if len(result) < 3:
            break
        at = rng.randrange(len(result) - 1)
        match rng.randrange(4):
            case 0:
                del result[at]
            case 1:
                result[at], result[at + 1] = result[at + 1], result[at]
            case 2:
                result[at] = misspell(result[at], rng)
            case _:
                result.insert(at, rng.choice(("også", "særlig", "derfor", "dessuten", "klart")))
    return result


def organic_answer(sentences: tuple[str, ...], rng: random.Random) -> str:
    chosen = rng.sample(sentences, rng.randint(3, 6))
    return " ".join(" ".join(perturb(s.split(), ORGANIC_TOKEN_NOISE, rng)) for s in chosen)


def decoy_answer(sentences: tuple[str, ...], rng: random.Random) -> str:
    """An organic answer that opens or closes (or both) with a stock phrase."""
    parts = [organic_answer(sentences, rng)]
    match rng.randrange(3):
        case 0:
            parts.insert(0, rng.choice(STOCK_PHRASES))
        case 1:
            parts.append(rng.choice(STOCK_PHRASES))
        case _:
            first, last = rng.sample(STOCK_PHRASES, 2)
            parts = [first, *parts, last]
    return " ".join(parts)


def own_variant(words: list[str], rng: random.Random) -> list[str]:
    """About half of the words that have a variant written in it (a light translation)."""
    return [VARIANTS[word] if word in VARIANTS and rng.random() < 0.5 else word for word in words]


def change_case(text: str, rng: random.Random) -> str:
    """Lower case, upper-case first letters, or punctuation dropped or doubled."""
    match rng.randrange(3):
        case 0:
            return text.lower()
        case 1:
            return text.replace(".", "").replace(",", "")
        case _:
            return text.replace(". ", "!! ").replace(",", " ,")


def realistic_member(
    template: list[str], sentences: tuple[str, ...], edit: float, rng: random.Random
) -> str:
    """A campaign member: the template's sentences dropped, reordered, edited and in the
    member's own variant, with own sentences (up to `MAX_ADDITION_SHARE` of the text) added."""
    kept = list(template)
    if len(kept) >= 3 and rng.random() < DROP_SENTENCE:
        del kept[rng.randrange(len(kept))]
    if len(kept) >= 2 and rng.random() < REORDER_SENTENCES:
        at = rng.randrange(len(kept) - 1)
        kept[at], kept[at + 1] = kept[at + 1], kept[at]
    variant = rng.random() < OWN_VARIANT
    parts = []
    for sentence in kept:
        words = perturb(sentence.split(), edit, rng)
        parts.append(" ".join(own_variant(words, rng) if variant else words))
    if rng.random() < ADDS_OWN_SENTENCES:
        own_words = sum(len(part.split()) for part in parts)
        wanted = rng.uniform(0.1, MAX_ADDITION_SHARE / (1 - MAX_ADDITION_SHARE)) * own_words
        added = 0
        while True:
            sentence = rng.choice(sentences)
            if added + len(sentence.split()) > wanted:
                break
            added += len(sentence.split())
            words = perturb(sentence.split(), ORGANIC_TOKEN_NOISE, rng)
            where = rng.choice((0, len(parts), len(parts), rng.randint(0, len(parts))))
            parts.insert(where, " ".join(words))
    text = " ".join(parts)
    return change_case(text, rng) if rng.random() < CHANGE_CASE else text


def generate(
    n: int,
    *,
    seed: int = 0,
    campaign_share: float = 0.2,
    min_campaign_size: int = 5,
    max_campaign_size: int = 200,
    max_campaign_edit: float = 0.10,
    realistic: bool = False,
) -> SyntheticResponses:
    """`n` answers, about `campaign_share` of them in campaigns, shuffled deterministically.

    `realistic` makes members paraphrase and add their own sentences, and adds decoys."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    template_sentences = own_sentences = sentences
    if realistic:  # templates and members' own sentences are not what organic answers say
        template_sentences = sentences[::POOL_EVERY]
        own_sentences = sentences[1::POOL_EVERY]
        sentences = tuple(s for at, s in enumerate(sentences) if at % POOL_EVERY > 1)
    unused = rng.sample(template_sentences, len(template_sentences)) if realistic else []
    texts: list[str] = []
    campaigns: list[str | None] = []
    campaign_budget = round(n * campaign_share)
    campaign_number = 0
    while campaign_budget >= min_campaign_size:
        size = min(rng.randint(min_campaign_size, max_campaign_size), campaign_budget)
        campaign_number += 1
        if realistic:  # distinct campaigns do not share sentences (while the pool lasts)
            template = unused[: rng.randint(2, 5)] or rng.sample(template_sentences, 3)
            del unused[: len(template)]
        else:
            template = rng.sample(template_sentences, rng.randint(2, 5))
        for _ in range(size):
            edit = rng.uniform(0, max_campaign_edit)
            if realistic:
                texts.append(realistic_member(template, own_sentences, edit, rng))
            else:
                texts.append(" ".join(perturb(" ".join(template).split(), edit, rng)))
            campaigns.append(f"c{campaign_number}")
        campaign_budget -= size
    while len(texts) < n:
        decoy = realistic and rng.random() < DECOY_SHARE
        texts.append((decoy_answer if decoy else organic_answer)(sentences, rng))
        campaigns.append(None)
    order = list(range(n))
    rng.shuffle(order)
    keys = [f"s{position:06d}" for position in range(n)]
    shuffled_texts = [texts[i] for i in order]
    campaign_of = {
        keys[position]: campaign
        for position, i in enumerate(order)
        if (campaign := campaigns[i]) is not None
    }
    return SyntheticResponses(keys=keys, texts=shuffled_texts, campaign_of=campaign_of)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--realistic", action="store_true")
    args = parser.parse_args()
    data = generate(args.n, seed=args.seed, realistic=args.realistic)
    print(f"{len(seed_sentences())} seed sentences; {len(data.campaign_of)} campaign members")
    for key, text in data.items[:5]:
        print(f"{key} [{data.campaign_of.get(key, '-')}]: {text[:200]}")


if __name__ == "__main__":
    main()
