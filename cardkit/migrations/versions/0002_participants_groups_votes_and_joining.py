"""participants, groups, votes and joining

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'work_group',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('card_ids', sa.JSON(), nullable=False),
        sa.Column('current_index', sa.Integer(), nullable=False),
        sa.Column('flipped', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['card_session.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('work_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_group_session_id'), ['session_id'], unique=False)

    op.create_table(
        'participant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('anonymous', sa.Boolean(), nullable=False),
        sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('removed', sa.Boolean(), nullable=False),
        sa.Column('joined_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['work_group.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['card_session.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token', name='uq_participant_token'),
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_session_id'), ['session_id'], unique=False)

    op.create_table(
        'vote',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['action.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('action_id', 'participant_id', name='uq_vote_once'),
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_participant_id'), ['participant_id'], unique=False)

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_action_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_participant_id'), ['participant_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_action_participant', 'participant', ['participant_id'], ['id'], ondelete='SET NULL'
        )
        batch_op.create_foreign_key('fk_action_group', 'work_group', ['group_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('card_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
        batch_op.add_column(sa.Column('allow_anonymous', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('show_names', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('show_on_projector', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('input_locked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('votes_per_person', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(
            sa.Column('phase', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default='cards')
        )
        batch_op.create_unique_constraint('uq_card_session_join_code', ['join_code'])

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_note_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_participant_id'), ['participant_id'], unique=False)
        batch_op.create_foreign_key('fk_note_group', 'work_group', ['group_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(
            'fk_note_participant', 'participant', ['participant_id'], ['id'], ondelete='SET NULL'
        )


def downgrade() -> None:
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_constraint('fk_note_participant', type_='foreignkey')
        batch_op.drop_constraint('fk_note_group', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_note_participant_id'))
        batch_op.drop_index(batch_op.f('ix_note_group_id'))
        batch_op.drop_column('merged_into')
        batch_op.drop_column('group_id')
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('card_session', schema=None) as batch_op:
        batch_op.drop_constraint('uq_card_session_join_code', type_='unique')
        batch_op.drop_column('phase')
        batch_op.drop_column('votes_per_person')
        batch_op.drop_column('input_locked')
        batch_op.drop_column('show_on_projector')
        batch_op.drop_column('show_names')
        batch_op.drop_column('allow_anonymous')
        batch_op.drop_column('join_code')

    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_constraint('fk_action_participant', type_='foreignkey')
        batch_op.drop_constraint('fk_action_group', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_action_participant_id'))
        batch_op.drop_index(batch_op.f('ix_action_group_id'))
        batch_op.drop_column('group_id')
        batch_op.drop_column('participant_id')

    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_participant_id'))
        batch_op.drop_index(batch_op.f('ix_vote_action_id'))

    op.drop_table('vote')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_session_id'))
        batch_op.drop_index(batch_op.f('ix_participant_group_id'))

    op.drop_table('participant')
    with op.batch_alter_table('work_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_group_session_id'))

    op.drop_table('work_group')
