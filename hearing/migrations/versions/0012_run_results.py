"""synthesis results stored per question and stage, so a run's result grows with the data

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 13:30:00.000000

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
