"""Serve a saved archive on loopback as if it were the live web.

The server is an HTTP forward proxy: the crawler sends `GET http://host/path` to it and gets
the saved page for that original URL, so spiders, middlewares and stored rows all see the real
URLs. https URLs travel as plain http to loopback with a header naming the original scheme
(see `ReplayDownloadHandler`). Pages carry an ETag, so conditional GETs get 304 like a real site.
"""

from __future__ import annotations

import hashlib
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Request, Response

from crawler.manifest import Archive, Entry

SCHEME_HEADER = "X-Replay-Scheme"
_CONTENT_TYPES = {
    "article": "text/html",
    "list": "text/html",
    "rss": "application/rss+xml",
    "sitemap": "application/xml",
    "robots": "text/plain",
    "attachment": "application/octet-stream",   # what government boards send for HWP/PDF files
}
# A fixed, old Last-Modified: the archive does not know when pages were last changed.
_LAST_MODIFIED = formatdate(946684800, usegmt=True)


class _Server(ThreadingHTTPServer):
    # many crawler processes may connect at once (distributed tests): a deep accept queue
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a crawler that exits drops its keep-alive connections: not an error
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class ReplayServer:
    """A threaded loopback server answering from an `Archive`; it records every URL served."""

    def __init__(self, archive: Archive, host: str = "127.0.0.1", port: int = 0):
        self.archive = archive
        self.served: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self._httpd = _Server((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def proxy_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "ReplayServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replay", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "ReplayServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _record(self, url: str, status: int) -> None:
        with self._lock:
            self.served.append((url, status))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_HEAD(self) -> None:
                self._answer(send_body=False)

            def do_GET(self) -> None:
                self._answer(send_body=True)

            def _answer(self, send_body: bool) -> None:
                url = self.path
                if not url.startswith(("http://", "https://")):
                    host = self.headers.get("Host", "")
                    url = f"http://{host}{url}"
                scheme = self.headers.get(SCHEME_HEADER)
                if scheme in ("http", "https"):
                    url = f"{scheme}://{url.split('://', 1)[1]}"
                entry = server.archive.get(url)
                if entry is None:
                    server._record(url, 404)
                    self._send(404, b"not in archive\n", "text/plain; charset=utf-8", None, send_body)
                    return
                body = entry.file.read_bytes()
                etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
                if self.headers.get("If-None-Match") == etag:
                    server._record(url, 304)
                    self._send(304, b"", None, etag, send_body=False)
                    return
                server._record(url, 200)
                self._send(200, body, _content_type(entry), etag, send_body)

            def _send(self, status: int, body: bytes, ctype: str | None, etag: str | None, send_body: bool) -> None:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                if etag:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", _LAST_MODIFIED)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body and body:
                    self.wfile.write(body)

        return Handler


def _content_type(entry: Entry) -> str:
    ctype = _CONTENT_TYPES[entry.kind]
    return f"{ctype}; charset={entry.encoding}" if entry.encoding else ctype


class ReplayDownloadHandler(HTTP11DownloadHandler):
    """Sends every http(s) request through the replay proxy (setting `REPLAY_PROXY`).

    The response keeps the original URL: nothing downstream knows it came from loopback.
    """

    def __init__(self, crawler):  # type: ignore[no-untyped-def]
        super().__init__(crawler)
        self._proxy = crawler.settings.get("REPLAY_PROXY")

    async def download_request(self, request: Request) -> Response:
        scheme, rest = request.url.split("://", 1)
        routed = request.replace(
            url=f"http://{rest}",
            meta={**request.meta, "proxy": self._proxy},
            headers={**request.headers.to_unicode_dict(), SCHEME_HEADER: scheme},
        )
        response = await super().download_request(routed)
        return response.replace(url=request.url, request=request)
