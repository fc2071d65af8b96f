"""Synthetic Norwegian consultation answers with injected campaigns, for benchmarks.

Organic answers are 3–6 sentences resampled from the seed documents, each lightly perturbed
(dropped, swapped and misspelt words), so no two organic answers are near-duplicates by
accident. Campaigns are groups of answers made from one template of 2–5 sentences, every member
with up to `max_campaign_edit` of its tokens edited — the way an organisation's members
paste and adapt a suggested answer. The generator is deterministic for a given `seed` and
returns the ground truth: which key belongs to which campaign.

    python bench/synthetic_responses.py 1000 --seed 0    # prints a sample
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


def generate(
    n: int,
    *,
    seed: int = 0,
    campaign_share: float = 0.2,
    min_campaign_size: int = 5,
    max_campaign_size: int = 200,
    max_campaign_edit: float = 0.10,
) -> SyntheticResponses:
    """`n` answers, about `campaign_share` of them in campaigns, shuffled deterministically."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    texts: list[str] = []
    campaigns: list[str | None] = []
    campaign_budget = round(n * campaign_share)
    campaign_number = 0
    while campaign_budget >= min_campaign_size:
        size = min(rng.randint(min_campaign_size, max_campaign_size), campaign_budget)
        campaign_number += 1
        template = " ".join(rng.sample(sentences, rng.randint(2, 5))).split()
        for _ in range(size):
            member = perturb(template, rng.uniform(0, max_campaign_edit), rng)
            texts.append(" ".join(member))
            campaigns.append(f"c{campaign_number}")
        campaign_budget -= size
    while len(texts) < n:
        texts.append(organic_answer(sentences, rng))
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
    args = parser.parse_args()
    data = generate(args.n, seed=args.seed)
    print(f"{len(seed_sentences())} seed sentences; {len(data.campaign_of)} campaign members")
    for key, text in data.items[:5]:
        print(f"{key} [{data.campaign_of.get(key, '-')}]: {text[:200]}")


if __name__ == "__main__":
    main()
