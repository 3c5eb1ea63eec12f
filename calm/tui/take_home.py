"""The summary's "Download this session as audio", in a browser (``calm serve``).

The session's soundtrack is made into an MP3 on a thread of its own, so the
summary stays responsive, and handed to the browser with Textual's
``deliver_binary``: the client leaves with what they just did. Only a served
calm offers it; in a terminal, ``calm render`` does the same.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calm.core.timeline import Timeline
    from calm.tui.app import CalmApp

MAKING = "Making this session's audio; your browser will save it in a moment."


def downloader(app: CalmApp, timeline: Timeline) -> Callable[[], None] | None:
    """What the summary's download key does, in a browser; None elsewhere."""
    from calm.tui.launch import served_to_a_browser

    if not served_to_a_browser():
        return None
    busy = threading.Lock()

    def download() -> None:
        if not busy.acquire(blocking=False):
            return  # one at a time: a second press while it is made does nothing
        app.notify(MAKING)
        threading.Thread(target=make, name="calm-take-home", daemon=True).start()

    def make() -> None:
        from calm.practice.take_home import take_home_mp3

        try:
            folder = Path(tempfile.gettempdir())
            made = take_home_mp3(timeline, app.practice.options, folder, tell=app.notify)
            app.call_from_thread(
                app.deliver_binary, made, save_filename=made.name, mime_type="audio/mpeg"
            )
        except Exception as error:  # the download is a nicety: the summary stays
            app.notify(f"The audio could not be made: {type(error).__name__}: {error}")
        finally:
            busy.release()

    return download
