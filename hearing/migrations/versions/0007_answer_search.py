"""answer search: the database's own full-text index over answer texts

SQLite: an FTS5 table over answers.text (external content, kept in step by triggers).
PostgreSQL: a GIN index on to_tsvector('simple', text with non-alphanumerics as spaces). Other databases: nothing (the search
falls back to LIKE). hearing/services/search.py queries these; the objects are named
answer_search* and are left out of the model comparison (they are not models).

A later migration that rebuilds the answers table on SQLite (batch_alter_table's copy) drops
the triggers with the old table: it must create them again (see _create_sqlite_index).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 13:00:00.000000

"""
from alembic import op
from sqlalchemy import text


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Letters keep their diacritics (å, ø, é): Norwegian words differ by them ("gå" is not "ga").
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE answer_search USING fts5("
    "text, content='answers', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER answer_search_insert AFTER INSERT ON answers BEGIN "
    "INSERT INTO answer_search(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER answer_search_delete AFTER DELETE ON answers BEGIN "
    "INSERT INTO answer_search(answer_search, rowid, text) VALUES ('delete', old.id, old.text); "
    "END",
    "CREATE TRIGGER answer_search_update AFTER UPDATE OF text ON answers BEGIN "
    "INSERT INTO answer_search(answer_search, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO answer_search(rowid, text) VALUES (new.id, new.text); END",
)
# Every run of characters that are not letters or digits becomes a space first, so the words of a
# URL or path ("example.no/mat") are words of their own, as SQLite's tokenizer sees them. The
# query in hearing/services/search.py repeats this expression exactly, so the index is used.
POSTGRES_INDEX = (
    "CREATE INDEX answer_search_gin ON answers USING gin "
    "(to_tsvector('simple'::regconfig, regexp_replace(text, '[^[:alnum:]]+', ' ', 'g')))"
)


def _sqlite_has_fts5(bind) -> bool:
    options = {row[0] for row in bind.execute(text("PRAGMA compile_options"))}
    return "ENABLE_FTS5" in options


def _create_sqlite_index() -> None:
    op.execute(SQLITE_TABLE)
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO answer_search(answer_search) VALUES ('rebuild')")


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite' and _sqlite_has_fts5(bind):
        _create_sqlite_index()
    elif bind.dialect.name == 'postgresql':
        op.execute(POSTGRES_INDEX)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for name in ('answer_search_insert', 'answer_search_delete', 'answer_search_update'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS answer_search")
    elif bind.dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS answer_search_gin")
