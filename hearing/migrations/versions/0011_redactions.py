"""redactions: spans of a response hidden from every public output, with a reason

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 13:30:00.000000

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
