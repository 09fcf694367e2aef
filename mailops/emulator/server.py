"""The emulator's HTTP server: ``EmulatorServer`` and ``serve``.

A ``ThreadingHTTPServer`` on loopback with keep-alive (HTTP/1.1, always a Content-Length), one
thread per client connection, one SQLite connection per thread. Example::

    with EmulatorServer(seed="demo") as emu:
        emu.base_url                 # http://127.0.0.1:PORT/
"""

from __future__ import annotations

import ipaddress
import logging
import shutil
import socket
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from mailops.emulator import batch, control
from mailops.emulator.areas import AREAS
from mailops.emulator.context import AreaContext, SeedKind
from mailops.emulator.dispatch import Dispatcher
from mailops.emulator.errors import ApiError
from mailops.emulator.faults import FaultInjector, Faults
from mailops.emulator.routing import Request, Response, Router
from mailops.emulator.store import Store
from mailops.errors import EmulatorError

__all__ = ["EmulatorServer", "serve"]

_MAX_BODY = 64 * 1024 * 1024
_log = logging.getLogger(__name__)

# Errors the HTTP layer itself answers (before any route): Google's reason and status.
_PROTOCOL_ERRORS: dict[int, tuple[str, str]] = {
    400: ("badRequest", "INVALID_ARGUMENT"),
    408: ("requestTimeout", "DEADLINE_EXCEEDED"),
    411: ("required", "INVALID_ARGUMENT"),
    413: ("uploadTooLarge", "INVALID_ARGUMENT"),
    414: ("badRequest", "INVALID_ARGUMENT"),
    431: ("badRequest", "INVALID_ARGUMENT"),
    500: ("backendError", "INTERNAL"),
    501: ("notImplemented", "UNIMPLEMENTED"),
    505: ("badRequest", "INVALID_ARGUMENT"),
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _check_host(host: object) -> str:
    if not isinstance(host, str) or not host:
        raise EmulatorError(f"Dirección de escucha inválida: {host!r}. Use 127.0.0.1.")
    if host == "localhost":
        return host
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise EmulatorError(
            f"El emulador solo escucha en la interfaz local (loopback), no en «{host}». "
            "Use 127.0.0.1 o localhost."
        )
    return host


def _check_port(port: object) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise EmulatorError(
            f"Puerto inválido: {port!r}. Debe ser un entero entre 0 y 65535 (0 = uno libre)."
        )
    return port


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one write, without Nagle's delay (keep-alive speed).
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024
    # A client that stops sending in the middle of a body (shorter than its Content-Length)
    # releases its thread after this many seconds. Idle keep-alive connections are not timed
    # out: httplib2 does not retry a request on a connection the server closed.
    body_timeout = 300.0
    server: _HttpServer

    def handle(self) -> None:
        try:
            super().handle()
        finally:
            self.server.owner.store_release()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol errors (bad request line, headers, length, method) in Google's JSON shape,
        not http.server's HTML page; the connection is closed after them."""
        if self.request_version == "HTTP/0.9":  # an unparsable request line: answer HTTP/1.1
            self.request_version = self.protocol_version
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        reason, status = _PROTOCOL_ERRORS.get(code, ("badRequest", "INVALID_ARGUMENT"))
        error = ApiError(code, reason, message or phrase, status=status)
        self.close_connection = True
        self._answer(Response.from_error(error), close=True)

    def _answer(self, response: Response, *, close: bool = False) -> None:
        payload = response.payload()
        self.send_response(response.status)
        names = {k.lower() for k in response.headers}
        if "content-type" not in names:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        for key, value in response.headers.items():
            self.send_header(key, value)
        if close:
            self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    def _serve(self) -> None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.send_error(411, "Chunked request bodies are not supported: send a Content-Length.")
            return
        try:
            length = int((self.headers.get("Content-Length") or "0").strip())
        except ValueError:
            length = -1
        if length < 0:
            self.send_error(400, "Invalid Content-Length header.")
            return
        if length > _MAX_BODY:
            self.send_error(413, f"Request too large: the limit is {_MAX_BODY} bytes.")
            return
        try:
            self.connection.settimeout(self.body_timeout)
            body = self.rfile.read(length) if length else b""
        except TimeoutError:
            self.send_error(408, "The request body did not arrive in time.")
            return
        finally:
            self.connection.settimeout(None)
        if len(body) < length:
            self.send_error(400, "Incomplete request body: shorter than its Content-Length.")
            return
        try:
            url = urlsplit(self.path)
        except ValueError:  # e.g. an absolute target with a broken IPv6 host
            self.send_error(400, "Invalid request target.")
            return
        req = Request(
            self.command,
            url.path,
            dict(parse_qsl(url.query, keep_blank_values=True)),
            {k: v for k, v in self.headers.items()},
            body,
        )
        try:
            response = self.server.owner.dispatcher.handle(req)
        except Exception:
            # Last line of defence: an answer in Google's shape, never a dropped connection.
            _log.exception("emulator: unexpected error serving %s %s", self.command, url.path)
            response = Response.from_error(
                ApiError(500, "backendError", "Internal error encountered.", status="INTERNAL")
            )
        self._answer(response)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """The library never prints: access logs are dropped (see /_emulator/stats)."""


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: EmulatorServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone mid-answer is not news; the library never prints (socketserver would
        write the traceback to stderr)."""
        _log.debug("emulator: connection from %s ended abruptly", client_address, exc_info=True)


class _HttpServer6(_HttpServer):
    address_family = socket.AF_INET6


class EmulatorServer:
    """A local Google Workspace (Directory API v1 and siblings) on a loopback port.

    ``state``: the SQLite file (None = a temporary one, removed at ``stop()``); a file that
    already holds a domain is reused as is, a new one is seeded with ``seed``. ``faults`` can
    be changed while it runs; ``clock`` drives creation times, quota windows and delays.
    """

    def __init__(
        self,
        state: Path | None = None,
        *,
        seed: Literal["demo", "empty"] = "demo",
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if state is not None and not isinstance(state, str | Path):
            raise EmulatorError(f"Archivo de estado inválido: {state!r}. Use una ruta.")
        if seed not in ("demo", "empty"):
            raise EmulatorError(f"Semilla desconocida «{seed}». Use «demo» o «empty».")
        if faults is not None and not isinstance(faults, Faults):
            raise EmulatorError("faults debe ser un objeto Faults (mailops.emulator.Faults).")
        if clock is not None and not callable(clock):
            raise EmulatorError("clock debe ser una función sin argumentos que devuelva datetime.")
        self.host = _check_host(host)
        self.port = _check_port(port)
        self.seed_kind: SeedKind = seed
        self._state = Path(state) if state is not None else None
        self.clock: Callable[[], datetime] = clock or _utc_now
        self._injector = FaultInjector(faults or Faults(), self.clock)
        self._tmpdir: Path | None = None
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None
        self.dispatcher = Dispatcher(Router(), self._injector)

    # -- public API ----------------------------------------------------------------------

    @property
    def state_path(self) -> Path:
        if self._store is None:
            raise EmulatorError("El emulador no está en marcha: llame a start() primero.")
        return self._store.path

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise EmulatorError("El emulador no está en marcha: llame a start() primero.")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def faults(self) -> Faults:
        return self._injector.faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        if not isinstance(value, Faults):
            raise EmulatorError("faults debe ser un objeto Faults (mailops.emulator.Faults).")
        self._injector.faults = value

    def start(self) -> EmulatorServer:
        if self._httpd is not None:
            raise EmulatorError("El emulador ya está en marcha.")
        path = self._state
        if path is None:
            self._tmpdir = Path(tempfile.mkdtemp(prefix="mailops-emulator-"))
            path = self._tmpdir / "emulator.sqlite3"
        self._store = Store(path)
        ctx = self._context()
        for area in AREAS:
            self._store.ensure_schema(area.schema)
        with self._store.write():
            self._seed(ctx)
        router = Router()
        for area in AREAS:
            area.register(router, ctx)
        batch.register(router, lambda req: self.dispatcher.handle_part(req))
        control.register(
            router,
            control.ControlHooks(
                get_faults=lambda: self.faults,
                set_faults=lambda f: setattr(self, "faults", f),
                reset=self.reset,
                stats=lambda: self.dispatcher.stats.to_json(self._injector.injected),
                health=self._health,
            ),
        )
        self.dispatcher.router = router
        cls = _HttpServer6 if ":" in self.host else _HttpServer
        try:
            httpd = cls((self.host, self.port), _Handler)
        except OSError as exc:
            self._store.close()
            self._store = None
            if self._tmpdir is not None:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
                self._tmpdir = None
            raise EmulatorError(
                f"No se pudo abrir el puerto {self.port} en {self.host}: {exc.strerror}. "
                "Use otro puerto (--port) o 0 para uno libre."
            ) from exc
        httpd.owner = self
        self._httpd = httpd
        self.port = int(httpd.server_address[1])
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            daemon=True,
            name=f"mailops-emulator-{self.port}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._store is not None:
            self._store.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def reset(self) -> None:
        """Empty every area's tables and seed again; quota windows and counters restart."""
        if self._store is None:
            raise EmulatorError("El emulador no está en marcha: llame a start() primero.")
        ctx = self._context()
        with self._store.write() as conn:
            for area in AREAS:
                for table in area.tables:
                    conn.execute(f"DELETE FROM {table}")
            conn.execute("DELETE FROM emu_meta")
            self._seed(ctx)
        self._injector.reset_counters()
        self.dispatcher.stats.reset()

    def store_release(self) -> None:
        if self._store is not None:
            self._store.release()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals -----------------------------------------------------------------------

    def _context(self) -> AreaContext:
        assert self._store is not None
        return AreaContext(store=self._store, clock=self.clock, faults=lambda: self.faults)

    def _seed(self, ctx: AreaContext) -> None:
        """Seed every area not seeded yet in this file (a file from before an area was added
        gets that area's seed; areas already there are left as they are)."""
        stored = ctx.store.get_meta("seed")
        kind: SeedKind = "empty" if stored == "empty" else "demo" if stored else self.seed_kind
        for area in AREAS:
            if ctx.store.get_meta(f"seeded:{area.name}") is None:
                try:
                    area.seed(ctx, kind)
                except sqlite3.IntegrityError:
                    raise EmulatorError(
                        f"El archivo de estado {ctx.store.path} es de una versión anterior del "
                        f"emulador y no se puede completar (área «{area.name}»). Restablézcalo con "
                        f"«mailops emulator reset --state {ctx.store.path}» (se pierden los cambios "
                        "hechos en el dominio emulado) o bórrelo."
                    ) from None
                ctx.store.set_meta(f"seeded:{area.name}", "1")
        ctx.store.set_meta("seed", kind)

    def _health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "state": str(self.state_path),
            "seed": self._store.get_meta("seed") if self._store else None,
            "areas": [a.name for a in AREAS],
        }


@contextmanager
def serve(
    state: Path | None = None,
    *,
    seed: Literal["demo", "empty"] = "demo",
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Iterator[str]:
    """Run an emulator for the ``with`` block and yield its base URL (ends with "/")."""
    with EmulatorServer(state, seed=seed, host=host, port=port, faults=faults, clock=clock) as emu:
        yield emu.base_url
