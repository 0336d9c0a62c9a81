"""The live side of a running session: one hub per session owns what is happening now (the card shown and its side)
and is the one door every change goes through to the screens following it.

How a change flows: a page calls `await hub.do(use_case, ...)` (or `hub.move(...)` for the card shown) -> the use case
runs off the event loop in one transaction and records its changes -> the transaction commits -> the hub announces
each typed `Change` (phones first) -> every page of that session, through `Hub.follow`, redraws only what changed.
A change committed anywhere else in this process (the command line's import, a participant's erasure, a retention
purge) takes the same way from the commit on.
"""

from cardkit.live.hub import Hub, do, hub, hubs, last_activity, look, off_loop, reset, sending

__all__ = ['Hub', 'do', 'hub', 'hubs', 'last_activity', 'look', 'off_loop', 'reset', 'sending']
