"""Fixtures for the schema catalogue tests: an isolated SOCLE_HOME and a local web site."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.schemas._support import Site


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never read or write the developer's own synced catalogue."""
    home = tmp_path / "socle-home"
    monkeypatch.setenv("SOCLE_HOME", str(home))
    return home


@pytest.fixture
def site() -> Iterator[Site]:
    """A web server on 127.0.0.1 serving ``site.routes``; 404 for anything else."""
    holder: dict[str, Site] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            current = holder["site"]
            current.hits.append(self.path)
            if self.path in current.redirects:
                self.send_response(302)
                self.send_header("Location", current.redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            route = current.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            if route.delay:
                time.sleep(route.delay)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeouts)
                self.wfile.write(route.body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    holder["site"] = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield holder["site"]
    finally:
        server.shutdown()
        server.server_close()
