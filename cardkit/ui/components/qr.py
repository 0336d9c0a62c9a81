"""The join code as people in a room use it: the code in large letters, a QR code and the link, for phones to open.

The QR image is drawn on the server (an SVG from the `qrcode` package) and shown from a data URL, so nothing is
fetched from elsewhere. The host in the link comes from the facilitator's own request; the machine's LAN address is
offered as well, because `localhost` on the facilitator's laptop means nothing to a phone.
"""

from __future__ import annotations

import base64
import re
import socket

import qrcode
import qrcode.image.svg
from fastapi import Request
from nicegui import ui

from cardkit.ui import design
from cardkit.ui.design import Text

HOST = re.compile(r'^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(:\d{1,5})?$')
LOOPBACK = ('localhost', '127.', '[::1]', '0.0.0.0')

CSS = """
.ck-join-box { display: flex; flex-wrap: wrap; gap: 1.25rem; align-items: center; }
.ck-join-code { font-size: clamp(2.6rem, 2rem + 3vw, 5.5rem); font-weight: 800; letter-spacing: 0.12em;
                font-variant-numeric: tabular-nums; line-height: 1.05; font-family: ui-monospace, monospace; }
.ck-join-qr { width: clamp(10rem, 18vw, 16rem); height: clamp(10rem, 18vw, 16rem); background: #fff; padding: 0.5rem;
              border-radius: 8px; border: 1px solid var(--ck-line); flex: none; }
.ck-join-links { display: flex; flex-direction: column; gap: 0.35rem; min-width: 0; }
.ck-join-links a { font-size: 1.15rem; overflow-wrap: anywhere; }
.ck-size-projector .ck-join-code { font-size: 7vw; }
.ck-size-projector .ck-join-qr { width: 22vw; height: 22vw; }
.ck-size-projector .ck-join-links a { font-size: 2vw; color: #000; }
"""


def asked_from(request: Request) -> tuple[str | None, str]:
    """The host and scheme a page was asked for by: the join links are made with them."""
    return request.headers.get('host'), 'https' if request.url.scheme == 'https' else 'http'


def qr_data_url(text: str) -> str:
    """A QR code of the text as an SVG data URL."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding='unicode')
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode('ascii')


def lan_address() -> str | None:
    """The address of the interface that faces the network (a UDP 'connect' sends nothing), else the host name's."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(('192.0.2.1', 9))  # TEST-NET-1: only picks the outward route; no packet is sent
            address = probe.getsockname()[0]
    except OSError:
        try:
            address = socket.gethostbyname(socket.gethostname())
        except OSError:
            return None
    return None if address.startswith(LOOPBACK) else address


def safe_host(host_header: str | None, fallback: str = 'localhost:8080') -> str:
    """The Host header if it looks like a host (and port), else the fallback: it ends up in a link and a QR code."""
    host = (host_header or '').strip()
    return host if HOST.fullmatch(host) else fallback


def join_links(host_header: str | None, code: str, *, scheme: str = 'http') -> list[str]:
    """The join link through the host the facilitator used, then through the machine's LAN address if different."""
    host = safe_host(host_header)
    links = [f'{scheme}://{host}/join/{code}']
    port = host.rsplit(':', 1)[1] if ':' in host and not host.endswith(']') else ''
    address = lan_address()
    if address and not host.startswith(address):
        links.append(f'{scheme}://{address}{":" + port if port else ""}/join/{code}')
    return links


def is_loopback(link: str) -> bool:
    return '://' in link and link.split('://', 1)[1].startswith(LOOPBACK)


class JoinPanel(ui.element):
    """The join code, its QR code and the links; `show(code)` redraws it, `show(None)` says joining is closed."""

    def __init__(self, host_header: str | None, *, scheme: str = 'http', size: str = 'normal') -> None:
        super().__init__('div')
        ui.add_css(CSS)
        self.host_header = host_header
        self.scheme = scheme
        self.size = size
        self.classes(f'ck-join-box ck-size-{size}').mark('join-panel')

    def show(self, code: str | None) -> None:
        self.clear()
        with self:
            if not code:
                Text('p', 'Joining is closed: nobody new can join.').classes('ck-muted').mark('joining-closed')
                return
            # phones cannot reach "localhost": when the facilitator browses locally, the LAN address comes first and
            # is what the QR code holds; the big screen leaves the local link out altogether
            links = sorted(join_links(self.host_header, code, scheme=self.scheme), key=is_loopback)
            if self.size == 'projector' and not is_loopback(links[0]):
                links = [link for link in links if not is_loopback(link)]
            image = ui.image(qr_data_url(links[0])).classes('ck-join-qr').mark('join-qr')
            image.props['alt'] = f'QR code for the join link {links[0]}'
            with ui.element('div').classes('ck-join-links'):
                Text('p', 'Join at').classes('ck-muted')
                code_label = ui.label(code).classes('ck-join-code').mark('join-code')
                design.aria(code_label, label=f'Join code {" ".join(code)}')
                for link in links:
                    ui.link(link, link, new_tab=True).mark('join-link')
                    if is_loopback(link) and len(links) > 1:
                        Text('p', 'The link above works on this computer only; phones use the first one.').classes(
                            'ck-hint'
                        )
