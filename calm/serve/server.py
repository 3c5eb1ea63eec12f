"""The web server of ``calm serve``: textual-serve's, guarded for a shared network.

textual-serve starts one process per browser connection, from a command line it
is given. calm gives it one built from validated options (``calm.serve.command``),
never from anything a request says, and adds what a shared network needs:

- **A token in every path.** Every address is ``/TOKEN/...``; any other request,
  the bare ``/`` included, is a 403 and a plain page, and nothing is spawned. The
  token is compared in constant time (``hmac.compare_digest``). The one exception
  is ``/download/KEY``, where textual.js fetches a file a page's calm delivers: a
  key is random (122 bits), made by Textual for that one delivery.
- **A cap on live sessions.** Past ``max_sessions``, the page says calm is busy and
  a connection that gets through anyway is closed before anything is spawned.
- **Cleaning up.** A closed tab asks its calm to quit, which writes the session
  down as ended early, and ends it outright if it has not gone within a few
  seconds; Ctrl+C does the same for every one still running.
- **calm's own page.** No web font or CDN: the page asks only this server for
  anything (``templates/app_index.html``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

log = logging.getLogger("calm.serve")

MOST_COLUMNS, MOST_ROWS = 400, 200
"""The biggest screen a page may ask calm to draw."""
MESSAGE_CHARACTERS = 65_536
"""The longest message from a page that is read; a key press or a size is a few dozen."""
QUIT_SECONDS = 5.0
"""How long a calm asked to quit has before it is ended outright."""
SOUND_NOTE = "Sound plays on the calm computer, not here."
NO_SOUND_NOTE = "No sound: calm serve was started with --no-audio."
FORBIDDEN_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>calm</title></head>"
    "<body><p>This address needs the link calm serve printed.</p></body></html>"
)
BUSY_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'>"
    "<meta name='viewport' content='width=device-width, initial-scale=1'>"
    "<title>calm is busy</title></head><body style='background:#1c2226;color:#d5dce0;"
    "font-family:monospace;text-align:center;padding:3rem'><p>calm is busy.</p>"
    "<p>Every session it can hold is in use; try again when one has ended.</p>"
    "</body></html>"
)


class CalmServer(Server):
    """textual-serve's server, with a token in every path and a cap on live sessions."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        title: str,
        token: str,
        max_sessions: int,
        on_ready: Callable[[], None],
        sound: bool = True,
        on_turned_away: Callable[[], None] | None = None,
    ) -> None:
        """Serve ``command`` (a shell command line calm built) on ``host``:``port``.

        Args:
            title: The page's title: the script's, or calm's.
            token: The first part of every path.
            max_sessions: How many calm processes may run at once.
            on_ready: Called once the socket listens, to say where calm is served.
            sound: Whether the pages' sessions play sound here, which each page says.
            on_turned_away: Called when a page is turned away, every session in use,
                so the serving terminal can say why a phone was refused.
        """
        import textual_serve

        statics = Path(textual_serve.__file__).parent / "static"
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            statics_path=statics,
            templates_path=Path(__file__).parent / "templates",
        )
        self.token = token
        self.max_sessions = max_sessions
        self.services: set[AppService] = set()
        """The calm processes running now, one per open page."""
        self._processes: set[asyncio.subprocess.Process] = set()
        """Every calm started and not yet known to be gone."""
        self.on_ready = on_ready
        self.sound = sound
        self.on_turned_away = on_turned_away

    def initialize_logging(self) -> None:
        """Only problems: calm says itself what it serves, and a request log would fill
        the therapist's terminal."""
        logging.basicConfig(level=logging.WARNING, format="calm serve: %(message)s")

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        import aiohttp_jinja2
        import jinja2

        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        prefix = f"/{self.token}"
        app.add_routes(
            [
                web.get(f"{prefix}/", self.handle_index, name="index"),
                # The address typed by hand, its last slash left off.
                web.get(prefix, self.handle_bare, name="bare"),
                web.get(f"{prefix}/ws", self.handle_websocket, name="websocket"),
                # textual.js asks for a download at the page's origin, not under the
                # token: the key Textual makes for each delivery is its own secret.
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static(f"{prefix}/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Let through only a request whose path begins with the token."""
        first = request.path.lstrip("/").split("/", 1)[0]
        if first == "download" and request.match_info.route.name == "download":
            return await handler(request)
        if request.path == "/favicon.ico":
            return web.Response(status=204)  # every browser asks; there is none
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            return web.Response(status=403, text=FORBIDDEN_PAGE, content_type="text/html")
        return await handler(request)

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM, saying so (``on_ready``) once the socket
        listens, so the address printed always answers."""
        import signal

        from aiohttp.web_runner import GracefulExit

        self.initialize_logging()
        loop = asyncio.new_event_loop()

        def leave() -> None:
            raise GracefulExit()

        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, leave)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            # aiohttp prints its own line once the site has started: calm's, instead.
            print=lambda *_: self.on_ready(),
        )

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: every calm still running is asked to quit, then ended, and waited for."""
        await asyncio.gather(*(self._stop(service) for service in list(self.services)))
        for process in list(self._processes):
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            with contextlib.suppress(TimeoutError, Exception):
                await asyncio.wait_for(process.wait(), QUIT_SECONDS)

    async def handle_bare(self, request: web.Request) -> web.StreamResponse:
        """The page's address without its last slash: on to the page."""
        raise web.HTTPFound(f"/{self.token}/")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """calm's page, or that calm is busy when every session is in use."""
        import aiohttp_jinja2

        if len(self.services) >= self.max_sessions:
            self._turned_away()
            return web.Response(status=503, text=BUSY_PAGE, content_type="text/html")
        router = request.app.router
        static = str(router["static"].url_for(filename="/")).rstrip("/") + "/"
        websocket = str(router["websocket"].url_for())
        scheme = "wss" if request.secure else "ws"
        context: dict[str, Any] = {
            "font_size": min(max(to_int(request.query.get("fontsize", "16"), 16), 8), 32),
            # Relative to the page's own host: a phone reaches it by the LAN address.
            "app_websocket_url": f"{scheme}://{request.host}{websocket}",
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
            "sound_note": SOUND_NOTE if self.sound else NO_SOUND_NOTE,
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def _turned_away(self) -> None:
        if self.on_turned_away is not None:
            self.on_turned_away()

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser page: its own calm process, unless every session is in use."""
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if len(self.services) >= self.max_sessions:
            self._turned_away()
            await websocket.close(message=b"calm is busy")
            return websocket
        width, height = _size(request.query.get("width"), request.query.get("height"))

        async def close() -> None:
            await websocket.close()

        service = AppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=False,
        )
        self.services.add(service)
        try:
            await service.start(width, height)
            if service._process is not None:
                self._processes.add(service._process)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a page that sends nonsense ends only its own session
            log.warning("a page's connection failed: %s", type(error).__name__)
        finally:
            await self._stop(service)
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        """What the page sends: keys, its size, and pings; anything else is ignored, and a
        size is kept to what a screen could be."""
        async for message in websocket:
            if message.type != web.WSMsgType.TEXT or len(message.data) > MESSAGE_CHARACTERS:
                continue
            try:
                envelope = message.json()
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", errors="replace"))
            elif kind == "resize" and isinstance(data, dict):
                await app_service.set_terminal_size(*_size(data.get("width"), data.get("height")))
            elif kind == "ping":
                await websocket.send_json(["pong", str(data)[:100]])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def _stop(self, service: AppService) -> None:
        """Ask ``service``'s calm to quit, end it if it has not within QUIT_SECONDS, and
        wait for it to be gone, so no calm outlives its page or the server."""
        if service not in self.services:
            return
        self.services.discard(service)
        process = service._process
        try:
            await asyncio.wait_for(asyncio.shield(service.stop()), QUIT_SECONDS)
        except (TimeoutError, Exception):
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
        if process is not None:
            with contextlib.suppress(TimeoutError, Exception):
                await asyncio.wait_for(process.wait(), QUIT_SECONDS)
            if process.returncode is not None:
                self._processes.discard(process)


def _size(width: object, height: object) -> tuple[int, int]:
    """A page's size in cells, kept to what a real screen could be."""
    columns = to_int(str(width), 80) if width is not None else 80
    rows = to_int(str(height), 24) if height is not None else 24
    return min(max(columns, 20), MOST_COLUMNS), min(max(rows, 8), MOST_ROWS)
