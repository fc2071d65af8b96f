"""Compare our opinion groups with the groups Polis assigned, on the Polis open data.

Usage: .venv/bin/python bench/polis_validation.py [DATA_DIR]   (default /work/shared/data/polis)

For each conversation, `OpinionGroups` runs Polis's method as read from Polis's source (see
`synthesis.opinion_groups`): PCA over every participant, moderated-out comments zeroed, only the
participants Polis would cluster grouped, base clusters, k by silhouette. The adjusted Rand
index (ARI) against Polis's `group-id` is taken over the participants both grouped; a second
column fixes k to Polis's number of groups, to tell a wrong k from a wrong split.

Nothing here is fitted on the conversation it is scored on: the method has no parameter tuned
on this data. As a check that the design choices were not picked to suit these conversations,
the leave-one-out table picks, for each conversation, the variant (moderated-out comments zeroed
or dropped, PCA over all participants or the clustered ones, base clusters or none) with the
best mean ARI on the *other* conversations, and reports that variant's ARI on the held-out one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from statistics import mean, median

import numpy as np
from sklearn.metrics import adjusted_rand_score

from synthesis.opinion_groups import BASE_CLUSTERS, OpinionGroups
from synthesis.polis import PolisConversation, load_conversations

DEFAULT_DATA = Path("/work/shared/data/polis")


@dataclass(frozen=True)
class Variant:
    """A design choice of the method; `POLIS` is the one Polis's source prescribes."""

    zero_moderated: bool = True
    project_all: bool = True
    base_clusters: int = BASE_CLUSTERS

    @property
    def name(self) -> str:
        return (
            f"{'zeroed' if self.zero_moderated else 'dropped'} moderated, "
            f"PCA over {'all' if self.project_all else 'clustered'}, "
            f"{'base clusters' if self.base_clusters else 'no base clusters'}"
        )


POLIS = Variant()
VARIANTS = tuple(
    Variant(zero, everyone, bases)
    for zero, everyone, bases in product((True, False), (True, False), (BASE_CLUSTERS, 0))
)


def validate(
    conversation: PolisConversation, *, n_groups: int | None = None, variant: Variant = POLIS
) -> dict:
    """Our grouping against Polis's on one conversation: sizes, chosen k and ARI."""
    keep = conversation.in_conversation
    votes = conversation.votes
    if not variant.zero_moderated:
        votes = votes[:, ~conversation.moderated_out]
    rows = np.ones(len(votes), bool) if variant.project_all else keep
    model = OpinionGroups(
        n_groups=n_groups, base_clusters=variant.base_clusters, random_state=0
    ).fit_matrix(votes[rows], np.array(conversation.participants)[rows], clustered=keep[rows])
    polis = conversation.polis_groups[keep]
    both = polis >= 0
    return {
        "conversation": conversation.name,
        "participants": len(conversation.participants),
        "clustered": int(keep.sum()),
        "compared": int(both.sum()),
        "k": len(model.groups_),
        "polis_k": len(set(polis[both].tolist())),
        "ari": adjusted_rand_score(polis[both], model.labels_[both]),
    }


def main(argv: list[str]) -> None:
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    conversations = load_conversations(root)
    print(
        "| conversation | participants | clustered | compared | k | polis k | ARI "
        "| ARI at polis k |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    scores = []
    for conversation in conversations:
        row = validate(conversation)
        fixed = validate(conversation, n_groups=row["polis_k"])
        scores.append(row["ari"])
        print(
            f"| {row['conversation']} | {row['participants']} | {row['clustered']} | "
            f"{row['compared']} | {row['k']} | {row['polis_k']} | {row['ari']:.3f} | "
            f"{fixed['ari']:.3f} |"
        )
    print(f"\nMedian ARI (Polis's method): {median(scores):.3f}\n")

    ari = {(v, c.name): validate(c, variant=v)["ari"] for v in VARIANTS for c in conversations}
    print("| held out | variant chosen on the others | held-out ARI |")
    print("|---|---|---:|")
    held_out = []
    for conversation in conversations:
        others = [c.name for c in conversations if c is not conversation]
        chosen = max(VARIANTS, key=lambda v: mean(ari[v, name] for name in others))
        held_out.append(ari[chosen, conversation.name])
        print(f"| {conversation.name} | {chosen.name} | {held_out[-1]:.3f} |")
    print(f"\nMedian held-out ARI (leave-one-out): {median(held_out):.3f}")


if __name__ == "__main__":
    main(sys.argv)
