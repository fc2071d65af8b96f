"""The consulted document reaches the synthesis, so its own words do not become themes."""

from __future__ import annotations

from hearing.demo import load_demo
from hearing.extensions import db
from hearing.services.snapshots import snapshot_of
from synthesis.pipeline import SynthesisPipeline


def test_the_snapshot_carries_the_consulted_document(app):
    consultation, _, _ = load_demo()
    db.session.commit()
    snapshot = snapshot_of(consultation)
    assert consultation.document and snapshot.document == consultation.document
    # A changed document is a changed input: a run on the old one is no longer current.
    before = SynthesisPipeline().input_hash(snapshot)
    consultation.document += "\n\nEt nytt avsnitt."
    assert SynthesisPipeline().input_hash(snapshot_of(consultation)) != before
