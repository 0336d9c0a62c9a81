"""Which connections the server keeps: a request's headers must arrive within seconds, one address may hold only so
many connections (and fewer still that have not yet sent a whole request), and the server never runs out of file
descriptors for its own database and files.

A slow client that opens a connection and sends its headers a byte at a time costs the server a file descriptor
for as long as it likes; a thousand of them used to make the server unreachable for everyone. The guard below sits
in uvicorn's own protocol classes (the only place that sees a connection before its request is whole).
"""

from __future__ import annotations

import asyncio
import logging
import resource
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger('cardkit.connections')

OPEN_FILES_WANTED = 65_536
OPEN_FILES_RESERVE = 128  # kept for the database, logs, storage files and exports


@dataclass(frozen=True)
class Limits:
    header_seconds: float = 10.0  # from connecting (or the first byte of the next request) to the end of its headers
    body_seconds: float = 120.0  # from the headers to the end of the body (an upload from a slow phone)
    pending_per_address: int = 256  # connections of one address whose request is not yet whole
    open_per_address: int = 4096  # a hall behind one address: each phone holds a socket and a few page loads


def raise_open_file_limit(wanted: int = OPEN_FILES_WANTED) -> int:
    """Raise this process's open-file limit towards `wanted` (as far as the hard limit allows); returns the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
    if soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            log.warning('could not raise the open-file limit from %d to %d', soft, target)
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass
class ConnectionGuard:
    """Counts the connections of each address and refuses what goes over the limits (owned by the server's start)."""

    limits: Limits = field(default_factory=Limits)
    open_files: int = 1024
    open: Counter[str] = field(default_factory=Counter)
    pending: Counter[str] = field(default_factory=Counter)
    total: int = 0
    refused: int = 0
    timed_out: int = 0

    def admit(self, address: str, *, upgraded: bool = False) -> bool:
        """A new connection (or one upgraded to a WebSocket, whose request is already whole): taken unless its
        address, or the server, is at its limit."""
        if (
            self.open[address] >= self.limits.open_per_address
            or (not upgraded and self.pending[address] >= self.limits.pending_per_address)
            or self.total >= self.open_files - OPEN_FILES_RESERVE
        ):
            self.refused += 1
            return False
        self.open[address] += 1
        self.total += 1
        return True

    def release(self, address: str) -> None:
        self.total -= 1
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]

    def waiting(self, address: str) -> None:
        self.pending[address] += 1

    def arrived(self, address: str) -> None:
        self.pending[address] -= 1
        if self.pending[address] <= 0:
            del self.pending[address]


def protocol(guard: ConnectionGuard) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol with the guard in it (pass it as `http=`); a connection upgraded to a WebSocket keeps
    being counted by the WebSocket protocol uvicorn was given (NiceGUI chooses wsproto)."""
    upgraded: dict[type, type] = {}

    def guarded_websocket(base: type) -> type:
        if base not in upgraded:

            class GuardedWebSocket(base):  # type: ignore[misc, valid-type]
                _address = ''
                _counted = False

                def connection_made(self, transport: Any) -> None:
                    super().connection_made(transport)
                    self._address = self.client[0] if self.client else ''
                    if not guard.admit(self._address, upgraded=True):
                        transport.abort()
                        return
                    self._counted = True

                def connection_lost(self, exc: Exception | None) -> None:
                    if self._counted:
                        self._counted = False
                        guard.release(self._address)
                    super().connection_lost(exc)

            upgraded[base] = GuardedWebSocket
        return upgraded[base]

    class GuardedHTTP(HttpToolsProtocol):
        _address = ''
        _counted = False
        _pending = False
        _deadline: asyncio.TimerHandle | None = None

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self.ws_protocol_class is not None:
                self.ws_protocol_class = guarded_websocket(self.ws_protocol_class)

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._address = self.client[0] if self.client else ''
            if not guard.admit(self._address):
                transport.abort()
                return
            self._counted = True
            self._await_headers()

        def _await_headers(self) -> None:
            if not self._pending:
                self._pending = True
                guard.waiting(self._address)
            self._arm(guard.limits.header_seconds)

        def _headers_in(self) -> None:
            if self._pending:
                self._pending = False
                guard.arrived(self._address)

        def _arm(self, seconds: float) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(seconds, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            guard.timed_out += 1
            if not self.transport.is_closing():
                self.transport.abort()

        def _forget(self) -> None:
            self._disarm()
            self._headers_in()
            if self._counted:
                self._counted = False
                guard.release(self._address)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._counted and not self._pending:  # the next request on a kept-alive connection
                self._await_headers()

        def on_headers_complete(self) -> None:
            self._headers_in()
            if self._counted:
                self._arm(guard.limits.body_seconds)
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

        def handle_websocket_upgrade(self) -> None:
            self._forget()  # the WebSocket protocol counts the connection from here on
            super().handle_websocket_upgrade()

        def connection_lost(self, exc: Exception | None) -> None:
            self._forget()
            super().connection_lost(exc)

    return GuardedHTTP
