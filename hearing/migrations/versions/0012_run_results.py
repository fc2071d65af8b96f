"""synthesis results stored per question and stage, so a run's result grows with the data

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 13:30:00.000000

A run's result is no longer one JSON value: `synthesis_run_parts` holds it per question and
stage, with per-answer lists (theme members, passages, campaign members) in chunks, and
`synthesis_run_steps` holds the run's tasks (one per question, and the finishing step) with
their attempts, progress and timings. Runs stored before keep their `result` column, which is
still read.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'synthesis_run_parts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('question_code', sa.String(length=20), nullable=False),
        sa.Column('stage', sa.String(length=40), nullable=False),
        sa.Column('chunk', sa.Integer(), nullable=False),
        sa.Column('payload', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['synthesis_runs.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint(
            'run_id', 'question_code', 'stage', 'chunk', name='uq_synthesis_run_parts_part'
        ),
    )
    op.create_table(
        'synthesis_run_steps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('step', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('progress', sa.Integer(), server_default='0', nullable=False),
        sa.Column('timings', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['synthesis_runs.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'step', name='uq_synthesis_run_steps_step'),
    )


def downgrade():
    op.drop_table('synthesis_run_steps')
    op.drop_table('synthesis_run_parts')
