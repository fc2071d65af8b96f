"""The secretariat's pages that say whether a synthesis run or an edition is current read the
answers once per change of the responses, not on every view (hearing.services.input_fingerprint).

Seen at the database: the second view of the synthesis page and of the consultation's page runs
no statement that loads answers, and the publication page reads them only for its preview of
the summary (which shows them); after an answer is changed, the next view reads them again and
sees the change."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from hearing.extensions import db
from hearing.models import RunScope, Submission
from hearing.services import synthesis_runs
from tests.publish_support import publish_now
from tests.respond_support import SLUG, full_answer, make_consultation, post_new

# A statement that loads what respondents wrote (an aggregate such as a count does not).
READS_ANSWERS = re.compile(r"\banswers\.(text|value)\b")
PAGES = ("/synthesis", "")
PUBLICATION = "/publication"


@contextmanager
def answer_reads() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if READS_ANSWERS.search(statement):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_second_view_reads_no_answer_and_a_change_is_seen(app, client, admin_client):
    consultation = make_consultation()
    for number in range(2):
        name, key = f"Kommune {number}", f"{number:032d}"
        post_new(client, full_answer(consultation, respondent_name=name, idempotency_key=key))
    parameters = synthesis_runs.run_parameters()
    synthesis_runs.run_inline(consultation, parameters, scope=RunScope.INTERNAL)
    publish_now(consultation)
    base = f"/admin/consultations/{SLUG}"
    for page in (*PAGES, PUBLICATION):
        assert admin_client.get(base + page).status_code == 200
    with answer_reads() as reads:
        views = {page: admin_client.get(base + page).get_data(as_text=True) for page in PAGES}
    assert reads == []
    assert "Den publiserte utgaven er utdatert" not in views[""]  # as published, not "changed"
    with answer_reads() as reads:
        admin_client.get(base + PUBLICATION)
    assert len(reads) == 1  # the preview's snapshot
    answer = next(a for a in db.session.scalars(select(Submission)).first().answers if a.text)
    answer.text = "Et nytt svar etter publiseringen."
    db.session.commit()
    with answer_reads() as reads:
        page = admin_client.get(base + "").get_data(as_text=True)
    assert reads != []
    assert "Den publiserte utgaven er utdatert" in page
    page = admin_client.get(base + PUBLICATION).get_data(as_text=True)
    assert "De publiserbare svarene er endret." in page
