"""Polis open-data conversations, to check opinion grouping against Polis's own groups.

`participants-votes.csv` holds one row per participant: `group-id` (the opinion group Polis
assigned, empty when Polis did not cluster the participant), vote counts, and one column per
comment with agree 1, disagree -1, pass 0 or empty. `comments.csv` says which comments the
moderators removed (`moderated` -1); Polis leaves those out of its analysis, and so do we.

Polis only clusters participants "in the conversation": those who voted on at least
min(7, number of comments) comments. `in_conversation` mirrors that rule.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

POLIS_MIN_VOTES = 7


@dataclass(frozen=True)
class PolisConversation:
    name: str
    participants: tuple[str, ...]
    comments: tuple[str, ...]
    votes: np.ndarray  # participants × comments, NaN where the participant did not vote
    polis_groups: np.ndarray  # Polis's group id per participant, -1 where not clustered

    @property
    def in_conversation(self) -> np.ndarray:
        """Participants Polis would cluster: votes on at least min(7, comments) comments."""
        needed = min(POLIS_MIN_VOTES, len(self.comments))
        return (~np.isnan(self.votes)).sum(axis=1) >= needed


def load_conversation(directory: Path) -> PolisConversation:
    """Read one conversation directory of the Polis open-data export."""
    with (directory / "comments.csv").open(encoding="utf-8", newline="") as handle:
        removed = {row["comment-id"] for row in csv.DictReader(handle) if row["moderated"] == "-1"}
    with (directory / "participants-votes.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        first_comment = header.index("n-disagree") + 1
        kept = [i for i in range(first_comment, len(header)) if header[i] not in removed]
        group_column = header.index("group-id")
        participants, groups, rows = [], [], []
        for row in reader:
            participants.append(row[0])
            groups.append(int(row[group_column]) if row[group_column] else -1)
            rows.append([float(row[i]) if row[i] else np.nan for i in kept])
    return PolisConversation(
        name=directory.name,
        participants=tuple(participants),
        comments=tuple(header[i] for i in kept),
        votes=np.array(rows, dtype=float).reshape(len(rows), len(kept)),
        polis_groups=np.array(groups, dtype=np.int64),
    )


def load_conversations(root: Path) -> list[PolisConversation]:
    """Every conversation under `root` that has a participants-votes.csv, by name."""
    return [
        load_conversation(path.parent) for path in sorted(root.glob("*/participants-votes.csv"))
    ]
