"""The edge put in front of NiceGUI: called once by the composition root (`main.py`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from nicegui import Client, app, core

from cardkit import config
from cardkit.web import connections, sockets
from cardkit.web.hosts import HostPolicy, Proxies, same_origin
from cardkit.web.middleware import EdgeMiddleware


@lru_cache(maxsize=8)
def _policy(entries: tuple[str, ...]) -> HostPolicy:
    return HostPolicy.of(entries)


@lru_cache(maxsize=8)
def _proxies(entries: tuple[str, ...]) -> Proxies:
    return Proxies.of(entries)


def host_policy() -> HostPolicy:
    return _policy(config.allowed_hosts())


def proxies() -> Proxies:
    return _proxies(config.trusted_proxies())


def upload_limit(client_id: str, element_id: str) -> int | None:
    """The size limit an upload element was given (`max_file_size`), so the server holds to it, not only the page."""
    client = Client.instances.get(client_id)
    element = client.elements.get(int(element_id)) if client is not None else None
    limit = element.props.get('max-file-size') if element is not None else None
    return limit if isinstance(limit, int) and limit > 0 else None


def install() -> sockets.SocketGuard:
    """The host and origin checks, security headers and size limits for every request, and the checks of every
    socket message; returns the socket guard (its counts say what was dropped)."""
    app.add_middleware(EdgeMiddleware, policy=host_policy, proxies=proxies, upload_limit=upload_limit)
    guard = sockets.SocketGuard()
    sockets.install(core.sio, guard)
    core.sio.eio.cors_allowed_origins = lambda origin, environ: same_origin(
        origin, environ.get('HTTP_HOST'), environ.get('wsgi.url_scheme', 'http'), host_policy()
    )
    return guard


def server_options() -> dict[str, Any]:
    """uvicorn's settings for the edge: the guarded protocols, short keep-alives, and no proxy handling of its own
    (the middleware believes only the proxies configured in CARDKIT_TRUSTED_PROXIES)."""
    guard = connections.ConnectionGuard(open_files=connections.raise_open_file_limit())
    return {'http': connections.protocol(guard), 'timeout_keep_alive': 5, 'proxy_headers': False}
