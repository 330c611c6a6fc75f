"""The RP-facing listener: BankID's RP API v6.0 paths over mutual TLS (reference §2.1)."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import ssl
from typing import Any
from urllib.parse import urlsplit

from faportal.bankid.simulator.certs import CertPaths
from faportal.bankid.simulator.errors import RpError, invalid_parameters
from faportal.bankid.simulator.http_common import BodyError, SimulatorHandler, SimulatorHTTPServer
from faportal.bankid.simulator.state import Simulator
from faportal.bankid.simulator.validation import ensure_object, validate_order_ref, validate_start

logger = logging.getLogger("faportal.bankid.simulator.rp")

RP_PREFIX = "/rp/v6.0/"
START_ENDPOINTS = frozenset({"auth", "sign", "phone/auth", "phone/sign"})
ENDPOINTS = START_ENDPOINTS | {"collect", "cancel"}
# A client that connects and never finishes the handshake must not hold a worker thread for long.
HANDSHAKE_TIMEOUT = 10.0


def server_ssl_context(paths: CertPaths) -> ssl.SSLContext:
    """TLS for the RP listener: our server certificate, and a client certificate signed by our CA is required."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=str(paths.server_cert), keyfile=str(paths.server_key))
    context.load_verify_locations(cafile=str(paths.ca))
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class RpServer(SimulatorHTTPServer):
    """The mTLS listener; the TLS handshake runs in the worker thread, not in the accept loop."""

    def __init__(self, host: str, port: int, simulator: Simulator, ssl_context: ssl.SSLContext) -> None:
        self.simulator = simulator
        self.ssl_context = ssl_context
        super().__init__(host, port, RpHandler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Wraps the connection in TLS (refusing clients without a valid certificate), then handles it."""
        assert isinstance(request, socket.socket)
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            logger.info("TLS handshake from %s refused: %s", client_address[0], exc)
            return
        try:
            RpHandler(tls, client_address, self)
        finally:
            tls.close()


class RpHandler(SimulatorHandler):
    """``POST /rp/v6.0/{auth,sign,phone/auth,phone/sign,collect,cancel}`` with BankID's JSON and errors."""

    server: RpServer

    def _endpoint(self) -> str | None:
        path = urlsplit(self.path).path
        if not path.startswith(RP_PREFIX):
            return None
        endpoint = path[len(RP_PREFIX) :]
        return endpoint if endpoint in ENDPOINTS else None

    def _send_error(self, error: RpError) -> None:
        self.send_json(error.status, error.body(), error.headers)

    def do_POST(self) -> None:
        """Handles an RP API call."""
        endpoint = self._endpoint()
        if endpoint is None:
            self.discard_body()
            self._send_error(RpError(404, "notFound", "Not found"))
            return
        injected = self.server.simulator.take_injected_error()
        if injected is not None:
            self.discard_body()
            self._send_error(injected)
            return
        # Exactly application/json: BankID refuses even "application/json; charset=UTF-8" (reference §1.1).
        content_type = (self.headers.get("Content-Type") or "").strip().lower()
        if content_type != "application/json":
            self.discard_body()
            self._send_error(RpError(415, "unsupportedMediaType", "Unsupported media type"))
            return
        try:
            raw = self.read_body()
            try:
                body = ensure_object(json.loads(raw))
            except (ValueError, UnicodeDecodeError):
                raise invalid_parameters("Invalid JSON") from None
            answer = self._dispatch(endpoint, body)
        except BodyError as exc:
            self._send_error(invalid_parameters(str(exc)))
            return
        except RpError as exc:
            self._send_error(exc)
            return
        self.send_json(200, answer)

    def _dispatch(self, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        simulator = self.server.simulator
        rp_id = self._rp_id()
        if endpoint in START_ENDPOINTS:
            return simulator.start_order(validate_start(endpoint, body), rp_id)
        order_ref = validate_order_ref(body)
        if endpoint == "collect":
            return simulator.collect(order_ref, rp_id)
        return simulator.cancel(order_ref, rp_id)

    def _rp_id(self) -> str:
        # Orders belong to the RP certificate that started them, as at BankID.
        connection = self.connection
        certificate = connection.getpeercert(binary_form=True) if isinstance(connection, ssl.SSLSocket) else None
        return hashlib.sha256(certificate or b"").hexdigest()

    def _not_post(self) -> None:
        self.discard_body()
        if self._endpoint() is None:
            self._send_error(RpError(404, "notFound", "Not found"))
        else:
            self.send_json(405, RpError(405, "methodNotAllowed", "Method not allowed").body(), {"Allow": "POST"})

    do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_post
