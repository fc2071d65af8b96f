"""publications: frozen published editions, run scope, counting refused positions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 11:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'publications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('input_hash', sa.String(length=64), nullable=False),
        sa.Column('theme_edit_watermark', sa.Integer(), nullable=False),
        sa.Column('consultation_version', sa.DateTime(timezone=True), nullable=True),
        sa.Column('count_refused_positions', sa.Boolean(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=254), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_by', sa.String(length=254), nullable=False),
        sa.Column('withdrawn_reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['synthesis_runs.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('consultation_id', 'number'),
    )
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publications_consultation_id'), ['consultation_id'], unique=False)

    op.create_table(
        'published_summaries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('publication_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['publication_id'], ['publications.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('publication_id', 'locale'),
    )
    with op.batch_alter_table('published_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_summaries_publication_id'), ['publication_id'], unique=False)

    with op.batch_alter_table('synthesis_runs', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('scope', sa.String(length=20), nullable=False, server_default='internal')
        )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('count_refused_positions', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('count_refused_positions')
    with op.batch_alter_table('synthesis_runs', schema=None) as batch_op:
        batch_op.drop_column('scope')
    with op.batch_alter_table('published_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_summaries_publication_id'))
    op.drop_table('published_summaries')
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publications_consultation_id'))
    op.drop_table('publications')
