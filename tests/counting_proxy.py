"""A loopback HTTP proxy that counts the requests passing through it, by endpoint.

Put it in front of a live ``mlflow server`` and point a client at ``proxy.uri``: every
request the client makes is forwarded unchanged and counted under ``"<METHOD> <path>"``
(``POST /api/2.0/mlflow/runs/create``). Unlike the fault proxy it keeps connections alive
on both sides (one upstream connection per client connection), so it adds little time per
request and what a client pays for connections stays what it would pay without it.
"""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}
READ_ENDPOINTS = (
    "/runs/get",
    "/runs/search",
    "/experiments/get",
    "/experiments/get-by-name",
    "/experiments/search",
    "/metrics/get-history",
)


def is_read(endpoint: str) -> bool:
    """Whether ``"<METHOD> <path>"`` only reads (MLflow searches runs with a POST)."""
    return endpoint.split("/mlflow", 1)[-1] in READ_ENDPOINTS


class CountingProxy:
    """Forwards 127.0.0.1:``port`` to ``upstream`` (``host:port``), counting each request.

    Attributes:
        counts: Requests forwarded so far, by ``"<METHOD> <path>"``.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Relay)
        self._server.daemon_threads = True
        self._server.proxy = self  # type: ignore[attr-defined]
        self.port = int(self._server.server_address[1])
        self.uri = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def total(self) -> int:
        """All requests counted so far."""
        with self._lock:
            return sum(self.counts.values())

    @property
    def writes(self) -> int:
        """Requests counted so far that write (everything but gets and searches)."""
        with self._lock:
            return sum(n for endpoint, n in self.counts.items() if not is_read(endpoint))

    def reset(self) -> Counter[str]:
        """The counts so far; counting starts again from zero."""
        with self._lock:
            counted = Counter(self.counts)
            self.counts.clear()
            return counted

    def count(self, endpoint: str) -> None:
        """Count one request to ``endpoint``."""
        with self._lock:
            self.counts[endpoint] += 1

    def stop(self) -> None:
        """Stop listening; open connections end with their threads."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Relay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for
    # the client's delayed ACK of the headers (about 40 ms per request on Linux).
    disable_nagle_algorithm = True
    _upstream: http.client.HTTPConnection | None = None

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def do_GET(self) -> None:
        proxy: CountingProxy = self.server.proxy  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        proxy.count(f"{self.command} {self.path.split('?', 1)[0]}")
        status, headers, answer = self._forward(proxy.upstream, body)
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_POST = do_PATCH = do_DELETE = do_PUT = do_GET

    def _forward(self, upstream: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        headers["Content-Length"] = str(len(body))
        try:
            response = self._send_upstream(upstream, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle kept-alive connection before reading this request;
            # sending it again on a new connection is what a client's pool would do.
            self._upstream = None
            response = self._send_upstream(upstream, body, headers)
        answer = response.read()
        kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
        return response.status, kept, answer

    def _send_upstream(
        self, upstream: str, body: bytes, headers: dict[str, str]
    ) -> http.client.HTTPResponse:
        if self._upstream is None:
            self._upstream = http.client.HTTPConnection(upstream, timeout=60)
        self._upstream.request(self.command, self.path, body=body, headers=headers)
        return self._upstream.getresponse()

    def finish(self) -> None:
        if self._upstream is not None:
            self._upstream.close()
        super().finish()
