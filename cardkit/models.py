"""SQLModel tables: stored decks, sessions, people, groups, notes, actions and votes.

Each schema change comes with an alembic revision in cardkit/migrations/versions; a test checks they agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from cardkit.text import sentence

NOTE_MAX = 4000
SHORT_MAX = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored time with its zone: stored times are UTC, and SQLite gives them back without one."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class WayOfWorking(StrEnum):
    """The seed's five ways of carrying out the activity."""

    ALONE = 'on your own'
    SENIOR_COLLEAGUE = 'with a senior colleague'
    SMT = 'with your senior management team'
    MIXED_ORGANISATION = 'in a mixed group with representation from different areas of your organisation'
    MIXED_PARTNERS = 'in a mixed group with representation from partner organisations'


class Mode(StrEnum):
    """How a session is run: a facilitator with a console and projector, or one person on their own."""

    FACILITATED = 'facilitated'
    SOLO = 'solo'


class Status(StrEnum):
    OPEN = 'open'
    CLOSED = 'closed'  # ended: the join code no longer works and participants cannot send anything


class Phase(StrEnum):
    """Where a live workshop is: the cards together, groups at their own pace, or the plenary."""

    CARDS = 'cards'
    GROUPS = 'groups'
    PLENARY = 'plenary'


class NoteKind(StrEnum):
    NOTE = 'note'
    QUESTION = 'question'
    RATING = 'rating'


class Term(StrEnum):
    SHORT = 'short'
    MEDIUM = 'medium'
    LONG = 'long'


class ActionStatus(StrEnum):
    PROPOSED = 'proposed'
    AGREED = 'agreed'
    IN_PROGRESS = 'in progress'
    DONE = 'done'


# How the screens and the exports name them
TERM_TITLES = {Term.SHORT.value: 'Short term', Term.MEDIUM.value: 'Medium term', Term.LONG.value: 'Long term'}
STATUS_TITLES = {s.value: sentence(s.value) for s in ActionStatus}


def _fk(target: str, *, nullable: bool = False, ondelete: str = 'CASCADE') -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class StoredDeck(SQLModel, table=True):
    """The exact content of a deck as a session used it; identical content is stored once."""

    __tablename__ = 'stored_deck'
    __table_args__ = (UniqueConstraint('content_hash', name='uq_stored_deck_hash'),)
    id: int | None = Field(default=None, primary_key=True)
    deck_id: str = Field(max_length=64, index=True)
    version: str = Field(max_length=40)
    title: str = Field(max_length=300)
    content: dict = Field(sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(max_length=64)
    origin: str = Field(default='shipped', max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class CardSession(SQLModel, table=True):
    """One run of a deck: its set-up and where it stands (cards in play, current card, flipped)."""

    __tablename__ = 'card_session'
    __table_args__ = (UniqueConstraint('join_code', name='uq_card_session_join_code'),)
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=SHORT_MAX)
    held_on: date = Field(default_factory=lambda: utcnow().date())
    way_of_working: str = Field(default=WayOfWorking.ALONE.value, max_length=SHORT_MAX)
    mode: str = Field(default=Mode.FACILITATED.value, max_length=20)
    stored_deck_id: int = Field(sa_column=_fk('stored_deck.id', ondelete='RESTRICT'))
    theme_numbers: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    card_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    current_index: int = 0
    flipped: bool = False
    discussed: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    timer_seconds: int = 0
    timer_started_at: datetime | None = None
    facilitator_key: str = Field(max_length=64, index=True)
    follow_up_of: int | None = Field(default=None, sa_column=_fk('card_session.id', nullable=True, ondelete='SET NULL'))
    status: str = Field(default=Status.OPEN.value, max_length=20)
    join_code: str | None = Field(default=None, max_length=12)
    allow_anonymous: bool = True
    show_names: bool = True
    show_on_projector: bool = False
    input_locked: bool = False
    votes_per_person: int = 3
    phase: str = Field(default=Phase.CARDS.value, max_length=20)
    retention_days: int | None = None  # delete the session this many days after its last change
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Person(SQLModel, table=True):
    """Someone involved in a session, with what they bring."""

    __tablename__ = 'person'
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk('card_session.id'))
    name: str = Field(max_length=SHORT_MAX)
    role: str = Field(default='', max_length=SHORT_MAX)
    organisation: str = Field(default='', max_length=SHORT_MAX)
    brings: str = Field(default='', max_length=NOTE_MAX)
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class Note(SQLModel, table=True):
    """A free note, a coaching question (with its stem) or an evidence rating of a checklist item, on a card."""

    __tablename__ = 'note'
    __table_args__ = (UniqueConstraint('session_id', 'client_key', name='uq_note_client_key'),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk('card_session.id'))
    card_id: str = Field(max_length=20, index=True)
    kind: str = Field(default=NoteKind.NOTE.value, max_length=20)
    stem: str = Field(default='', max_length=40)
    text: str = Field(default='', max_length=NOTE_MAX)
    item_key: str = Field(default='', max_length=20)
    rating: int | None = None
    needs: str = Field(default='', max_length=NOTE_MAX)
    author: str = Field(default='', max_length=SHORT_MAX)
    participant_id: int | None = Field(
        default=None, sa_column=_fk('participant.id', nullable=True, ondelete='SET NULL')
    )
    group_id: int | None = Field(default=None, sa_column=_fk('work_group.id', nullable=True, ondelete='SET NULL'))
    merged_into: int | None = None
    position: int = 0
    hidden: bool = False
    deleted_at: datetime | None = None
    client_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Action(SQLModel, table=True):
    """An action: what, term, who, resources, status, target date and the card it came from."""

    __tablename__ = 'action'
    __table_args__ = (UniqueConstraint('session_id', 'client_key', name='uq_action_client_key'),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk('card_session.id'))
    card_id: str = Field(default='', max_length=20)
    what: str = Field(max_length=NOTE_MAX)
    term: str = Field(default=Term.SHORT.value, max_length=10)
    who: str = Field(default='', max_length=SHORT_MAX)
    resources: str = Field(default='', max_length=NOTE_MAX)
    status: str = Field(default=ActionStatus.PROPOSED.value, max_length=20)
    target_date: date | None = None
    review: str = Field(default='', max_length=NOTE_MAX)
    carried_from: int | None = Field(default=None, sa_column=_fk('action.id', nullable=True, ondelete='SET NULL'))
    participant_id: int | None = Field(
        default=None, sa_column=_fk('participant.id', nullable=True, ondelete='SET NULL')
    )
    group_id: int | None = Field(default=None, sa_column=_fk('work_group.id', nullable=True, ondelete='SET NULL'))
    position: int = 0
    deleted_at: datetime | None = None
    client_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class WorkGroup(SQLModel, table=True):
    """A breakout group: works through its own cards at its own pace, then brings its outcomes to the plenary."""

    __tablename__ = 'work_group'
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk('card_session.id'))
    name: str = Field(max_length=SHORT_MAX)
    card_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    current_index: int = 0
    flipped: bool = False
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class Participant(SQLModel, table=True):
    """Someone who joined from their own device; the token lets them come back to the same place."""

    __tablename__ = 'participant'
    __table_args__ = (UniqueConstraint('token', name='uq_participant_token'),)
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk('card_session.id'))
    name: str = Field(default='', max_length=SHORT_MAX)
    role: str = Field(default='', max_length=SHORT_MAX)
    organisation: str = Field(default='', max_length=SHORT_MAX)
    anonymous: bool = False
    token: str = Field(max_length=64)
    group_id: int | None = Field(default=None, sa_column=_fk('work_group.id', nullable=True, ondelete='SET NULL'))
    removed: bool = False
    joined_at: datetime = Field(default_factory=utcnow)


class Vote(SQLModel, table=True):
    """One participant's dot on a proposed action."""

    __tablename__ = 'vote'
    __table_args__ = (UniqueConstraint('action_id', 'participant_id', name='uq_vote_once'),)
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(sa_column=_fk('action.id'))
    participant_id: int = Field(sa_column=_fk('participant.id'))
    created_at: datetime = Field(default_factory=utcnow)


class OrgDeck(SQLModel, table=True):
    """A deck an organisation authors in the app: its current draft (possibly invalid while being edited)."""

    __tablename__ = 'org_deck'
    __table_args__ = (UniqueConstraint('deck_id', name='uq_org_deck_deck_id'),)
    id: int | None = Field(default=None, primary_key=True)
    deck_id: str = Field(max_length=64)
    title: str = Field(default='', max_length=300)
    draft: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    based_on: str = Field(default='', max_length=64)
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class OrgDeckVersion(SQLModel, table=True):
    """A saved, valid version of an organisation's deck; sessions keep the version they were started with."""

    __tablename__ = 'org_deck_version'
    __table_args__ = (UniqueConstraint('org_deck_id', 'number', name='uq_org_deck_version_number'),)
    id: int | None = Field(default=None, primary_key=True)
    org_deck_id: int = Field(sa_column=_fk('org_deck.id'))
    number: int
    stored_deck_id: int = Field(sa_column=_fk('stored_deck.id', ondelete='RESTRICT'))
    note: str = Field(default='', max_length=SHORT_MAX)
    created_at: datetime = Field(default_factory=utcnow)
