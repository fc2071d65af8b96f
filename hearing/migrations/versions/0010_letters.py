"""letters and attachments: files a response carries, the letter's extracted text and passages

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 13:30:00.000000

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
