"""Polis open-data conversations, to check opinion grouping against Polis's own groups.

`participants-votes.csv` holds one row per participant: `group-id` (the opinion group Polis
assigned, empty when Polis did not cluster the participant), vote counts, and one column per
comment with agree 1, disagree -1, pass 0 or empty. `comments.csv` says which comments the
moderators removed (`moderated` -1).

The matrix is built as Polis builds its rating matrix (polismath `math/conversation.clj`): a
moderated-out comment is not dropped but *zeroed* for every participant, so it counts as a
"pass" from everyone. It adds nothing to the principal components, yet it enters each
participant's sparsity scaling sqrt(comments / votes) on both sides, which pulls sparse voters
less far out than dropping the column would.

Polis only clusters participants "in the conversation": those who voted (moderated-out comments
included) on at least min(7, number of comments) comments, topped up with the most active
voters when fewer than 15 qualify. `in_conversation` mirrors that rule.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

POLIS_MIN_VOTES = 7
POLIS_GREEDY_PARTICIPANTS = 15


@dataclass(frozen=True)
class PolisConversation:
    name: str
    participants: tuple[str, ...]
    comments: tuple[str, ...]
    votes: np.ndarray  # participants × comments, NaN where no vote, 0 in moderated-out columns
    moderated_out: np.ndarray  # per comment: removed by the moderators
    vote_counts: np.ndarray  # per participant: votes cast, moderated-out comments included
    polis_groups: np.ndarray  # Polis's group id per participant, -1 where not clustered

    @property
    def in_conversation(self) -> np.ndarray:
        """Participants Polis would cluster: votes on at least min(7, comments) comments, or
        the most active voters up to 15 when fewer than that qualify."""
        needed = min(POLIS_MIN_VOTES, len(self.comments))
        chosen = self.vote_counts >= needed
        missing = POLIS_GREEDY_PARTICIPANTS - int(chosen.sum())
        if missing > 0:
            order = np.argsort(-self.vote_counts, kind="stable")
            chosen[[p for p in order if not chosen[p]][:missing]] = True
        return chosen


def load_conversation(directory: Path) -> PolisConversation:
    """Read one conversation directory of the Polis open-data export."""
    with (directory / "comments.csv").open(encoding="utf-8", newline="") as handle:
        removed = {row["comment-id"] for row in csv.DictReader(handle) if row["moderated"] == "-1"}
    with (directory / "participants-votes.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        first_comment = header.index("n-disagree") + 1
        comments = header[first_comment:]
        group_column = header.index("group-id")
        participants, groups, rows = [], [], []
        for row in reader:
            participants.append(row[0])
            groups.append(int(row[group_column]) if row[group_column] else -1)
            rows.append([float(cell) if cell else np.nan for cell in row[first_comment:]])
    votes = np.array(rows, dtype=float).reshape(len(rows), len(comments))
    moderated_out = np.array([comment in removed for comment in comments], dtype=bool)
    vote_counts = (~np.isnan(votes)).sum(axis=1)
    votes[:, moderated_out] = 0.0
    return PolisConversation(
        name=directory.name,
        participants=tuple(participants),
        comments=tuple(comments),
        votes=votes,
        moderated_out=moderated_out,
        vote_counts=vote_counts,
        polis_groups=np.array(groups, dtype=np.int64),
    )


def load_conversations(root: Path) -> list[PolisConversation]:
    """Every conversation under `root` that has a participants-votes.csv, by name."""
    return [
        load_conversation(path.parent) for path in sorted(root.glob("*/participants-votes.csv"))
    ]
