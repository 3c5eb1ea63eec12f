"""``calm serve``: calm in a browser, for a demo with the laptop turned round or a client
following on their own phone (``calm.serve``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from calm.cli.number_option import NumberRange
from calm.cli.options import DemoOption
from calm.cli.output import USAGE_ERROR, echo, fail, tell

if TYPE_CHECKING:
    from calm.core.timeline import Timeline

app = typer.Typer()

DEFAULT_PORT = 8000
DEFAULT_MAX = 4


@app.command()
def serve(
    script: Annotated[
        str | None,
        typer.Argument(
            metavar="[SCRIPT]",
            help="A script name or a .toml file each page opens straight into; none for the list.",
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option(
            "--port",
            metavar="N",
            parser=NumberRange(1, 65535, whole=True),
            help="The port to listen on, from 1 to 65535.",
        ),
    ] = DEFAULT_PORT,
    lan: Annotated[
        bool,
        typer.Option("--lan", help="Listen on this machine's network address, for a phone nearby."),
    ] = False,
    most: Annotated[
        int,
        typer.Option(
            "--max",
            metavar="N",
            parser=NumberRange(1, 64, whole=True),
            help="How many pages may run calm at once, from 1 to 64.",
        ),
    ] = DEFAULT_MAX,
    no_audio: Annotated[
        bool, typer.Option("--no-audio", help="No sound; it would play on this machine.")
    ] = False,
    demo: DemoOption = False,
    together: Annotated[
        bool,
        typer.Option(
            "--together",
            help="Every page follows one shared session of SCRIPT, led from this terminal.",
        ),
    ] = False,
    pace: Annotated[
        bool,
        typer.Option("--pace", help="Each page runs calm pace, to find a comfortable slow pace."),
    ] = False,
) -> None:
    """Serve calm to a browser: the list, or SCRIPT, one calm for each page."""
    from calm.serve.address import LOCAL_HOST, lan_address, new_token, page_url
    from calm.serve.command import Served, served_command

    if together and script is None:
        fail("--together leads one script: name it, as in calm serve --together box", USAGE_ERROR)
    if pace and (script is not None or together):
        fail("--pace runs calm pace on each page: no SCRIPT, and not --together", USAGE_ERROR)

    title = "calm: finding your preferred pace" if pace else "calm"
    chosen: str | None = None
    timeline = None
    if script is not None:
        from calm.cli.script_lookup import compile_script
        from calm.core.library import Origin

        # Checked now, with calm start's own messages, so no page ever starts a bad one.
        entry, timeline = compile_script(script, None, None, False)
        title = timeline.script.title
        path = timeline.script.path
        # A built-in by its name; any other by its full path, so a page's calm, started
        # in another folder, finds the very file checked here.
        builtin = entry.origin is Origin.BUILTIN
        chosen = entry.name if builtin or path is None else str(path.resolve())
    host = LOCAL_HOST
    if lan:
        found = lan_address()
        if found is None:
            fail("no network address found for --lan; is this machine on a network?")
        host = found
    token = new_token()
    url = page_url(host, port, token)
    lead = _SharedLead(timeline, no_audio) if together else None

    def ready() -> None:
        echo(f"calm is serving {title} at {url}")
        if lan:
            import shutil

            from calm.serve.qr import qr_lines

            code = qr_lines(url).rstrip("\n")
            width = max(len(line) for line in code.splitlines())
            if sys.stdout.isatty() and shutil.get_terminal_size().columns < width:
                # A code broken across lines cannot be read by any camera.
                echo(f"Widen this window to {width} columns to show a QR code of it.")
            else:
                echo("A phone on the same network can open it from this code:")
                echo(code)
        sound = "No sound (--no-audio)." if no_audio else "Sound plays on this machine."
        echo(f"{sound} Press Ctrl+C to stop.")
        if lead is not None:
            lead.attach()

    def turned_away() -> None:
        shown = "1 page" if most == 1 else f"{most} pages"
        echo(
            f"A page was turned away: {shown} at a time is the most (--max {most}); it can"
            " try again once one has ended."
        )

    from calm.serve.server import CalmServer

    follow = None if lead is None else str(lead.log)
    served = Served(chosen, demo=demo, no_audio=no_audio or together, follow=follow, pace=pace)
    server = CalmServer(
        served_command(served),
        host=host,
        port=port,
        title=title,
        token=token,
        max_sessions=most,
        on_ready=ready,
        sound=not no_audio,
        on_turned_away=turned_away,
    )
    try:
        server.serve()
    except OSError as error:
        import errno

        if error.errno == errno.EADDRINUSE:
            fail(f"port {port} is in use by another program; choose another with --port N")
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}")
    finally:
        if lead is not None:
            lead.close()
    echo("calm has stopped serving.")


class _SharedLead:
    """``--together``: the shared log in a folder of calm's own, and this terminal's
    lead of it (``calm.plain.together``), with the room's sound."""

    def __init__(self, timeline: Timeline | None, no_audio: bool) -> None:
        import tempfile
        from dataclasses import replace

        from calm.cli.starting import session_options
        from calm.practice.options import SessionFlags
        from calm.practice.service import Practice

        assert timeline is not None  # --together always names its script, checked above
        # Private to this user (0700), and gone when serving stops.
        self.folder = Path(tempfile.mkdtemp(prefix="calm-together-"))
        self.log = self.folder / "session.json"
        options = session_options(SessionFlags(demo=True, no_audio=no_audio), screen=False)
        self.practice = Practice.open(replace(options, follow=self.log), notify=tell)
        self.practice.prepare_sound(timeline)  # what the sound has to say, said now
        from calm.plain.together import SharedLead

        self.lead = SharedLead(timeline, self.practice, self.log, echo)

    def attach(self) -> None:
        """Read this terminal's keys on the server's loop, from now."""
        import asyncio

        self.lead.attach(asyncio.get_running_loop())

    def close(self) -> None:
        """Give the terminal back, end the session, stop the sound, remove the log."""
        import shutil

        self.lead.detach()
        self.practice.close()
        shutil.rmtree(self.folder, ignore_errors=True)
