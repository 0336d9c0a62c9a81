"""organisation decks and retention

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'org_deck',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deck_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('draft', sa.JSON(), nullable=False),
        sa.Column('based_on', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('archived', sa.Boolean(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('deck_id', name='uq_org_deck_deck_id'),
    )
    op.create_table(
        'org_deck_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_deck_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('stored_deck_id', sa.Integer(), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['org_deck_id'], ['org_deck.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['stored_deck_id'], ['stored_deck.id'], ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('org_deck_id', 'number', name='uq_org_deck_version_number'),
    )
    with op.batch_alter_table('org_deck_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_deck_version_org_deck_id'), ['org_deck_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_deck_version_stored_deck_id'), ['stored_deck_id'], unique=False)

    with op.batch_alter_table('card_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('card_session', schema=None) as batch_op:
        batch_op.drop_column('retention_days')

    with op.batch_alter_table('org_deck_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_deck_version_stored_deck_id'))
        batch_op.drop_index(batch_op.f('ix_org_deck_version_org_deck_id'))

    op.drop_table('org_deck_version')
    op.drop_table('org_deck')
