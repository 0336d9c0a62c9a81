"""Which names the app answers to, and who sent a request.

A page on another site can make its own name resolve to this machine (DNS rebinding): the browser then sends that
site's name in `Host`. So a request is only served when its `Host` is an address, a loopback name, this machine's own
name, or a name the installation lists in CARDKIT_ALLOWED_HOSTS. An address is safe to accept: a browser sends one only
for a page that was opened by that address, never for another site's page.

Behind a reverse proxy every request comes from the proxy. Its `X-Forwarded-For` is believed only when the proxy's
address is listed in CARDKIT_TRUSTED_PROXIES; forwarding headers from anyone else are ignored, and such a request is
never taken for one from this machine.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({'localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback'})
FORWARDING_HEADERS = ('x-forwarded-for', 'x-real-ip', 'forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'via')
DEFAULT_PORTS = {'http': 80, 'https': 443, 'ws': 80, 'wss': 443}


def split_host(value: str | None) -> tuple[str, int | None] | None:
    """`Example.org:8080` -> ('example.org', 8080), `[::1]:80` -> ('::1', 80); None when it is not a host."""
    value = (value or '').strip().lower()
    if not value or any(c in value for c in '/?#@ \\'):
        return None
    if value.startswith('['):
        name, _, rest = value[1:].partition(']')
        if rest and not rest.startswith(':'):
            return None
        port_text = rest[1:]
        if not is_address(name):
            return None
    else:
        name, _, port_text = value.partition(':')
        if ':' in port_text:
            return None
    port = None
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return None
        port = int(port_text)
    name = name.rstrip('.')
    return (name, port) if name else None


def is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def is_loopback(name: str) -> bool:
    """A loopback address or name (`*.localhost` never leaves the machine either: browsers resolve it themselves)."""
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return name in LOOPBACK_NAMES or name.endswith('.localhost')


@lru_cache(maxsize=1)
def machine_names() -> frozenset[str]:
    """This machine's own names, as people in the room may type them (`laptop`, `laptop.local`)."""
    names: set[str] = set()
    for name in (socket.gethostname(), socket.getfqdn()):
        name = name.strip().lower().rstrip('.')
        if name:
            names.add(name)
            if '.' not in name:
                names.add(f'{name}.local')
    return frozenset(names)


@dataclass(frozen=True)
class HostPolicy:
    """The names a request's `Host` may carry: `names` exactly, or any name under a `*.`-prefixed entry."""

    names: frozenset[str]
    suffixes: tuple[str, ...] = ()

    @classmethod
    def of(cls, entries: Iterable[str]) -> HostPolicy:
        names, suffixes = set(machine_names()), []
        for entry in entries:
            entry = entry.strip().lower().rstrip('.')
            if entry.startswith('*.') and len(entry) > 2:
                suffixes.append(entry[1:])
            elif entry:
                names.add(entry.split(':')[0] if entry.count(':') == 1 else entry)
        return cls(frozenset(names), tuple(suffixes))

    def allows(self, host_header: str | None) -> bool:
        split = split_host(host_header)
        if split is None:
            return False
        name = split[0]
        return (
            is_address(name)
            or is_loopback(name)
            or name in self.names
            or any(name.endswith(suffix) for suffix in self.suffixes)
        )

    def listed(self, name: str) -> bool:
        """Whether the installation names this host itself (not only as an address or loopback)."""
        return name in self.names or any(name.endswith(suffix) for suffix in self.suffixes)


def same_origin(origin: str | None, host_header: str | None, scheme: str, policy: HostPolicy) -> bool:
    """Whether a browser's `Origin` is this app's own: the host and port it asked for, or a name listed for it (a
    proxy may pass on another `Host`). A missing Origin is a program, not a page of another site."""
    if origin is None:
        return True
    parts = urlsplit(origin.strip().lower())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return False  # 'null' (a sandboxed frame or a file) and anything odd
    try:
        origin_port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return False
    host = split_host(host_header)
    if host is not None:
        name, port = host
        if name == parts.hostname.rstrip('.') and (port or DEFAULT_PORTS.get(scheme, 80)) == origin_port:
            return True
    return policy.listed(parts.hostname.rstrip('.'))


@dataclass(frozen=True)
class Proxies:
    """The reverse proxies whose forwarding headers are believed (addresses or networks)."""

    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def of(cls, entries: Iterable[str]) -> Proxies:
        networks = []
        for entry in entries:
            entry = entry.strip()
            if entry:
                networks.append(ipaddress.ip_network(entry, strict=False))
        return cls(tuple(networks))

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client_of(self, peer: str, forwarded_for: str | None) -> str:
        """The address a request came from: the peer, or (from a trusted proxy) the last address in
        `X-Forwarded-For` that is not itself a trusted proxy."""
        if not forwarded_for or not self.trusts(peer):
            return peer
        hops = [hop.strip() for hop in forwarded_for.split(',') if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop if is_address(hop) else peer
        return hops[0] if hops and is_address(hops[0]) else peer
