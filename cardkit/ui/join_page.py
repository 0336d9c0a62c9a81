"""The join page at `/join` and `/join/{code}`: a participant types (or scans) the code and their name, from a phone."""

from __future__ import annotations

from fastapi import Request

from cardkit.ui import design
from cardkit.ui.components.join_form import JoinForm, client_address


async def content(request: Request, code: str = '') -> None:
    """The join form, with the code from the link filled in."""
    with design.frame('Join a session', nav=False):
        await JoinForm(client_address(request)).build(code)
