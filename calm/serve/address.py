"""Where ``calm serve`` listens, and the address a phone on the same network types.

Nothing here sends a packet: the LAN address is the one this machine would use
to reach the wider network, read from a UDP socket that is connected but never
written to.
"""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
import socket

LOCAL_HOST = "127.0.0.1"
TOKEN_BYTES = 16
"""128 bits: far past guessing, in a URL short enough for a QR code."""


def new_token() -> str:
    """A fresh random token for this ``calm serve``, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def lan_address() -> str | None:
    """This machine's address on its local network, or None when it has none."""
    found: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        # A documentation address (RFC 5737): connecting a UDP socket sends nothing.
        probe.connect(("192.0.2.1", 9))
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        found.append(socket.gethostbyname(socket.gethostname()))
    for address in found:
        parsed = ipaddress.ip_address(address)
        if not (parsed.is_loopback or parsed.is_unspecified or parsed.is_link_local):
            return address
    return None


def page_url(host: str, port: int, token: str) -> str:
    """The page's address, token and all."""
    return f"http://{host}:{port}/{token}/"
