"""registered letters: the date a response was received

`submissions.received_at` is the day a letter or e-mail reached the secretariat (the start of
that day in Norwegian time), where it differs from `submitted_at`, the moment it was typed in.
Corrections to registered responses are kept as `submission_versions`, which exist already.
Plain ADD/DROP COLUMN, no table copy.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 13:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'submissions', sa.Column('received_at', sa.DateTime(timezone=True), nullable=True)
    )


def downgrade():
    op.drop_column('submissions', 'received_at')
