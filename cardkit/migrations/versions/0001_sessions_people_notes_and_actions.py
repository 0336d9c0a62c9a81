"""sessions, people, notes and actions

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'stored_deck',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deck_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('origin', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('content_hash', name='uq_stored_deck_hash'),
    )
    with op.batch_alter_table('stored_deck', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_deck_deck_id'), ['deck_id'], unique=False)

    op.create_table(
        'card_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('way_of_working', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('stored_deck_id', sa.Integer(), nullable=False),
        sa.Column('theme_numbers', sa.JSON(), nullable=False),
        sa.Column('card_ids', sa.JSON(), nullable=False),
        sa.Column('current_index', sa.Integer(), nullable=False),
        sa.Column('flipped', sa.Boolean(), nullable=False),
        sa.Column('discussed', sa.JSON(), nullable=False),
        sa.Column('timer_seconds', sa.Integer(), nullable=False),
        sa.Column('timer_started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('facilitator_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('follow_up_of', sa.Integer(), nullable=True),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['follow_up_of'], ['card_session.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['stored_deck_id'], ['stored_deck.id'], ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('card_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_session_facilitator_key'), ['facilitator_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_session_follow_up_of'), ['follow_up_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_session_stored_deck_id'), ['stored_deck_id'], unique=False)

    op.create_table(
        'action',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('card_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('what', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('term', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('who', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('resources', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('target_date', sa.Date(), nullable=True),
        sa.Column('review', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('carried_from', sa.Integer(), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['carried_from'], ['action.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['card_session.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('session_id', 'client_key', name='uq_action_client_key'),
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_carried_from'), ['carried_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_session_id'), ['session_id'], unique=False)

    op.create_table(
        'note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('card_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('stem', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=True),
        sa.Column('needs', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('client_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['card_session.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('session_id', 'client_key', name='uq_note_client_key'),
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_card_id'), ['card_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_session_id'), ['session_id'], unique=False)

    op.create_table(
        'person',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('brings', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['card_session.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_session_id'))

    op.drop_table('person')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_session_id'))
        batch_op.drop_index(batch_op.f('ix_note_card_id'))

    op.drop_table('note')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_session_id'))
        batch_op.drop_index(batch_op.f('ix_action_carried_from'))

    op.drop_table('action')
    with op.batch_alter_table('card_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_session_stored_deck_id'))
        batch_op.drop_index(batch_op.f('ix_card_session_follow_up_of'))
        batch_op.drop_index(batch_op.f('ix_card_session_facilitator_key'))

    op.drop_table('card_session')
    with op.batch_alter_table('stored_deck', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_deck_deck_id'))

    op.drop_table('stored_deck')
