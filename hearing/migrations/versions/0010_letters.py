"""letters and attachments: files a response carries, the letter's extracted text and passages

`attachments` holds the files (their bytes too, so backups and erasure cover them) with the
text read from them; `letter_passages` the parts of a letter's text and the question each one
answers. `consultations.letters_alone` says whether respondents may answer with a letter
instead of the form. A letter awaiting the secretariat's review is a submission with status
"review", a value of the existing column. Plain CREATE TABLE and ADD COLUMN, no table copy, so
the answer search's triggers on `answers` (0007) stay as they are.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 13:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('needs_text', sa.Boolean(), nullable=False),
    sa.Column('ocr_pages', sa.Integer(), nullable=False),
    sa.Column('notes', sa.JSON(), nullable=False),
    sa.Column('is_letter', sa.Boolean(), nullable=False),
    sa.Column('publish_original', sa.Boolean(), nullable=False),
    sa.Column('written_on', sa.Date(), nullable=True),
    sa.Column('signed_by', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_attachments_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_submission_id'), ['submission_id'], unique=False)

    op.create_table('letter_passages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=True),
    sa.Column('proposed_code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], name=op.f('fk_letter_passages_attachment_id_attachments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_letter_passages_question_id_questions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_passages'))
    )
    with op.batch_alter_table('letter_passages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_passages_attachment_id'), ['attachment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_passages_question_id'), ['question_id'], unique=False)

    op.add_column('consultations', sa.Column('letters_alone', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    op.drop_column('consultations', 'letters_alone')
    op.drop_table('letter_passages')
    op.drop_table('attachments')
