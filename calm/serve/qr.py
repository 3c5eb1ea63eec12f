"""The page's address as a QR code in the terminal, for a phone's camera (segno)."""

from __future__ import annotations

import io


def qr_lines(url: str) -> str:
    """``url`` as a QR code drawn with half blocks, dark on light, with its quiet zone."""
    import segno

    drawn = io.StringIO()
    segno.make(url, error="m").terminal(out=drawn, compact=True)
    return drawn.getvalue()
