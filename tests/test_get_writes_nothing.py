"""A GET changes nothing in the database: every GET route of the access matrix, opened by each
principal, runs no INSERT, UPDATE or DELETE.

Reading a page must be safe to repeat, to prefetch and to crawl; a write hidden in a GET is also
a write that no CSRF token guards. The few GETs that record something do so on purpose and are
named in `WRITES_ON_PURPOSE` with the reason. (Pages also store a consultation's closing once
its deadline has passed, `hearing.services.consultations.settle_statuses`: idempotent and
audited, and not exercised here, where no deadline passes during a request.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import event

from hearing.extensions import db
from tests.test_access_matrix import PRINCIPALS, ROUTES, World, client_of, world  # noqa: F401 (fixture)

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Endpoint → why it writes.
WRITES_ON_PURPOSE: dict[str, str] = {
    "admin.export_download": "every download of responses is audited",
    "admin.coding_download": "every download of responses is audited",
    "admin.submission_data": "every download of a respondent's data is audited",
}


@contextmanager
def statements_written(app: Flask) -> Iterator[list[str]]:
    written: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if WRITE.match(statement):
            written.append(statement.split("\n")[0][:120])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield written
    finally:
        event.remove(engine, "before_cursor_execute", record)


GETS = sorted(name for name, case in ROUTES.items() if case.method == "GET")


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", GETS)
def test_a_get_writes_nothing(world: World, endpoint: str, principal: str) -> None:  # noqa: F811
    if endpoint in WRITES_ON_PURPOSE:
        pytest.skip(WRITES_ON_PURPOSE[endpoint])
    case = ROUTES[endpoint]
    client = client_of(world, principal, own_session=case.own_session)
    with statements_written(world.app) as written:
        client.get(case.url(world, principal))
    assert written == [], f"{principal} GET {endpoint} wrote: {written}"
