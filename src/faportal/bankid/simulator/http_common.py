"""What the simulator's two HTTP listeners share: quiet, masked logging, JSON answers and loopback binding."""

from __future__ import annotations

import json
import logging
import socketserver
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socket import AF_INET, AF_INET6
from typing import Any

from faportal.core.privacy import mask_personal_numbers

logger = logging.getLogger("faportal.bankid.simulator.http")

MAX_BODY = 512 * 1024  # the largest valid body (sign with 40 000 + 200 000 base64 characters) fits


class BodyError(Exception):
    """The request body could not be read (too large, chunked)."""


class SimulatorHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server bound without the reverse DNS lookup of ``HTTPServer.server_bind``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        self.address_family = AF_INET6 if ":" in host else AF_INET
        super().__init__((host, port), handler)

    def server_bind(self) -> None:
        """Binds and records the address; ``HTTPServer.server_bind`` would call the slow ``socket.getfqdn``."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)


class SimulatorHandler(BaseHTTPRequestHandler):
    """A handler with keep-alive, masked logging and helpers for JSON answers."""

    protocol_version = "HTTP/1.1"
    server_version = "FA-portalen-BankID-simulator"
    sys_version = ""
    # Idle keep-alive connections are dropped after this many seconds.
    timeout = 30
    # Headers and body go out in separate writes; with Nagle's algorithm the body waits for the client's delayed
    # ACK, which costs ~40 ms per call.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Logs through ``logging`` instead of stderr, with personnummer masked."""
        logger.info("%s %s", self.address_string(), mask_personal_numbers(format % args))

    def send_bytes(self, status: int, content_type: str, data: bytes, headers: dict[str, str] | None = None) -> None:
        """Sends a complete answer."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        """Sends a JSON answer with the exact Content-Type BankID uses."""
        self.send_bytes(status, "application/json", json.dumps(body).encode("utf-8"), headers)

    def read_body(self) -> bytes:
        """The request body; BodyError (and the connection is closed) if it is chunked or too large."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            raise BodyError("Chunked bodies are not supported")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise BodyError("Invalid Content-Length") from None
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            raise BodyError("The body is too large")
        return self.rfile.read(length) if length else b""

    def discard_body(self) -> None:
        """Reads and drops the body so that the connection can be reused, or closes it."""
        try:
            self.read_body()
        except BodyError:
            self.close_connection = True
