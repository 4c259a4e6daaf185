"""A loopback HTTP proxy in front of the live server that can misbehave on purpose.

One request per connection (every answer says ``Connection: close``), so each fault hits
exactly one request. Faults, used up in the order planned:

- ``status``: answer 503 or 429 without forwarding (the server never sees the request).
- ``drop``: forward the request, read the server's full answer, then close the client's
  connection without a byte: the write happened, the caller sees a dropped connection.
- ``refuse_connections()``: stop listening (clients get "connection refused") until
  ``accept_connections()``. Only the serving thread opens and closes the listener, so
  no connection slips into a closing socket's backlog.

Bounded: daemon threads, socket timeouts, and the proxy closes itself after ``lifetime``
seconds even if nobody stops it.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Literal

FaultKind = Literal["status", "drop"]
_SOCKET_TIMEOUT = 30.0


@dataclass
class _Fault:
    kind: FaultKind
    status: int = 0


class FaultyProxy:
    """Forwards 127.0.0.1:``port`` to ``upstream`` (``host:port``), with planned faults."""

    def __init__(self, upstream: str, lifetime: float = 600.0) -> None:
        self.upstream = upstream
        self.forwarded = 0
        self.faults_fired = 0
        self._planned: list[_Fault] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._wanted_listening = True
        self._changed = threading.Event()
        self._deadline = time.monotonic() + lifetime
        self._stopped = threading.Event()
        self.port = self._listen(0)
        self.uri = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def answer_status(self, status: int, times: int = 1) -> None:
        """Answer the next ``times`` requests with ``status`` (503, 429) without forwarding."""
        with self._lock:
            self._planned.extend(_Fault("status", status) for _ in range(times))

    def drop_responses(self, times: int = 1) -> None:
        """Forward the next ``times`` requests, then drop the answers."""
        with self._lock:
            self._planned.extend(_Fault("drop") for _ in range(times))

    def refuse_connections(self) -> None:
        """Stop listening: connecting fails with "connection refused" from now on."""
        self._set_listening(False)

    def accept_connections(self) -> None:
        """Listen again on the same port."""
        self._set_listening(True)

    def stop(self) -> None:
        """Close the proxy; its threads end on their own."""
        self._stopped.set()
        self._thread.join(timeout=5)

    def _set_listening(self, wanted: bool) -> None:
        """Ask the serving thread (the only one touching the listener) and wait for it."""
        self._wanted_listening = wanted
        self._changed.clear()
        if not self._changed.wait(timeout=5):
            raise RuntimeError("the proxy did not change its listening state")

    def next_fault(self) -> _Fault | None:
        with self._lock:
            if not self._planned:
                return None
            self.faults_fired += 1
            return self._planned.pop(0)

    def _listen(self, port: int) -> int:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(16)
        listener.settimeout(0.05)
        self._listener = listener
        return int(listener.getsockname()[1])

    def _apply_listening_state(self) -> None:
        if self._wanted_listening and self._listener is None:
            self._listen(self.port)
        elif not self._wanted_listening and self._listener is not None:
            self._listener.close()
            self._listener = None
        self._changed.set()

    def _serve(self) -> None:
        while not self._stopped.is_set() and time.monotonic() < self._deadline:
            self._apply_listening_state()
            if self._listener is None:
                time.sleep(0.02)
                continue
            try:
                connection, address = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            connection.settimeout(_SOCKET_TIMEOUT)
            threading.Thread(
                target=_ProxyHandler, args=(connection, address, self), daemon=True
            ).start()
        self._wanted_listening = False
        self._apply_listening_state()


class _ProxyHandler(BaseHTTPRequestHandler):
    server: FaultyProxy  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes (see counting_proxy)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""

    def do_GET(self) -> None:
        self._relay()

    do_POST = do_PATCH = do_DELETE = do_PUT = do_GET

    def _relay(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fault = self.server.next_fault()
        if fault is not None and fault.kind == "status":
            self._send(fault.status, {"Content-Type": "application/json"}, _error(fault.status))
            return
        status, headers, answer = self._forward(body)
        self.server.forwarded += 1
        if fault is not None and fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(status, headers, answer)

    def _forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=_SOCKET_TIMEOUT)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            answer = response.read()
            kept = {
                k: v
                for k, v in response.getheaders()
                if k.lower() not in ("connection", "transfer-encoding", "content-length")
            }
            return response.status, kept, answer
        finally:
            upstream.close()

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True


def _error(status: int) -> bytes:
    code = "REQUEST_LIMIT_EXCEEDED" if status == 429 else "TEMPORARILY_UNAVAILABLE"
    return json.dumps({"error_code": code, "message": f"injected HTTP {status}"}).encode()
