"""``calm serve``: calm in a browser, for a demo with the laptop turned round or a client
following on their own phone (``calm.serve``)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from calm.cli.number_option import NumberRange
from calm.cli.options import DemoOption
from calm.cli.output import USAGE_ERROR, echo, fail

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
) -> None:
    """Serve calm to a browser: the list, or SCRIPT, one calm for each page."""
    from calm.serve.address import LOCAL_HOST, lan_address, new_token, page_url
    from calm.serve.command import Served, served_command

    title = "calm"
    chosen: str | None = None
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
        echo("Sound plays on this machine. Press Ctrl+C to stop.")

    from calm.serve.server import CalmServer

    server = CalmServer(
        served_command(Served(chosen, demo=demo, no_audio=no_audio)),
        host=host,
        port=port,
        title=title,
        token=token,
        max_sessions=most,
        on_ready=ready,
    )
    try:
        server.serve()
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}", USAGE_ERROR)
    echo("calm has stopped serving.")
