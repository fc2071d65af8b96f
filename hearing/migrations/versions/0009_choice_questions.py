"""choice questions: the options a question offers, and the options an answer chose

What is generic to question kinds that offer options (single and multiple choice, and any kind
added later): `questions.options` holds the options (JSON: {"labels": [...], "other": bool}),
`answers.choices` the 0-based indices an answer chose where it may choose several. An answer's
single choice is its `value`, as a scale position is. Plain ADD/DROP COLUMN, no table copy, so
the answer search's triggers on `answers` (0007) stay as they are.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('questions', sa.Column('options', sa.JSON(), nullable=True))
    op.add_column('answers', sa.Column('choices', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('answers', 'choices')
    op.drop_column('questions', 'options')
