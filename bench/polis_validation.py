"""Compare our opinion groups with the groups Polis assigned, on the Polis open data.

Usage: .venv/bin/python bench/polis_validation.py [DATA_DIR]   (default /work/shared/data/polis)

For each conversation: keep the participants Polis would cluster (at least min(7, comments)
votes, moderated-out comments dropped), fit `OpinionGroups` on their vote matrix, and report the
adjusted Rand index against Polis's `group-id` over the participants that both grouped, once
with k chosen by silhouette and once with k fixed to Polis's number of groups.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from synthesis.opinion_groups import OpinionGroups
from synthesis.polis import PolisConversation, load_conversations

DEFAULT_DATA = Path("/work/shared/data/polis")


def validate(conversation: PolisConversation, *, n_groups: int | None = None) -> dict:
    """Our grouping against Polis's on one conversation: sizes, chosen k and ARI."""
    keep = conversation.in_conversation
    model = OpinionGroups(n_groups=n_groups, random_state=0).fit_matrix(
        conversation.votes[keep],
        [p for p, k in zip(conversation.participants, keep, strict=True) if k],
    )
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
    print(
        f"{'conversation':28} {'participants':>12} {'clustered':>9} {'compared':>8} "
        f"{'k':>2} {'ARI':>6} {'polis k':>7} {'ARI at polis k':>14}"
    )
    for conversation in load_conversations(root):
        row = validate(conversation)
        fixed = validate(conversation, n_groups=row["polis_k"])
        print(
            f"{row['conversation']:28} {row['participants']:>12} {row['clustered']:>9} "
            f"{row['compared']:>8} {row['k']:>2} {row['ari']:>6.3f} {row['polis_k']:>7} "
            f"{fixed['ari']:>14.3f}"
        )


if __name__ == "__main__":
    main(sys.argv)
