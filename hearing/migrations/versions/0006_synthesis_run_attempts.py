"""synthesis run attempts (the task queue restarts a run whose worker died, once)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('synthesis_runs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('attempts', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('synthesis_runs', schema=None) as batch_op:
        batch_op.drop_column('attempts')
