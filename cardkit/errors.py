"""What a use case refuses, typed, so a screen can put the message where it belongs without reading its words."""

from __future__ import annotations


class InputError(ValueError):
    """Input that cannot be accepted; the message says why, in words for the user, and `field` which entry it
    was (empty when it is the request as a whole)."""

    def __init__(self, message: str, *, field: str = '') -> None:
        super().__init__(message)
        self.field = field


class NotFound(LookupError):
    """No such session, note, action, participant or deck."""


class ParticipantGone(NotFound):
    """A participant's token no longer works: they were taken out, or the session ended."""
