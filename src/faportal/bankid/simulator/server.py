"""``SimulatorServer``: the RP listener (mTLS) and the driver listener (plain HTTP), both on loopback."""

from __future__ import annotations

import ipaddress
import logging
import os
import threading
from pathlib import Path
from types import TracebackType
from typing import Self

from faportal.bankid.simulator.certs import CertPaths, ensure_certs
from faportal.bankid.simulator.driver_http import DriverServer
from faportal.bankid.simulator.http_common import SimulatorHTTPServer
from faportal.bankid.simulator.rp_http import RP_PREFIX, RpServer, server_ssl_context
from faportal.bankid.simulator.state import Simulator

logger = logging.getLogger("faportal.bankid.simulator")

ENV_VARIABLE = "FAPORTAL_ENV"


class SimulatorRefusedToStart(RuntimeError):
    """The simulator must not run here (production, or a non-loopback address)."""


def refuse_in_production() -> None:
    """Raises when ``FAPORTAL_ENV=production``: the simulator approves anyone as anyone."""
    if os.environ.get(ENV_VARIABLE, "").strip().lower() == "production":
        raise SimulatorRefusedToStart(f"The BankID simulator never runs with {ENV_VARIABLE}=production")


def _require_loopback(host: str) -> None:
    # The driver lets anybody approve an order as anybody, so it stays on this machine.
    if host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SimulatorRefusedToStart(f"The BankID simulator only listens on loopback, not on {host!r}")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class SimulatorServer:
    """Both listeners, each served by a daemon thread; use ``SimulatorServer.start(...)`` or ``with``."""

    def __init__(
        self, rp_server: RpServer, driver_server: DriverServer, simulator: Simulator, cert_paths: CertPaths
    ) -> None:
        self._rp_server = rp_server
        self._driver_server = driver_server
        self.simulator = simulator
        self.cert_paths = cert_paths
        self._threads: list[threading.Thread] = []

    @classmethod
    def start(
        cls,
        *,
        cert_dir: Path,
        host: str = "127.0.0.1",
        rp_port: int = 0,
        driver_port: int = 0,
        identities_file: Path | None = None,
        strict: bool = True,
        simulator: Simulator | None = None,
    ) -> SimulatorServer:
        """Creates the certificates if needed and starts both listeners (port 0: any free port)."""
        refuse_in_production()
        _require_loopback(host)
        paths = ensure_certs(Path(cert_dir))
        state = simulator or Simulator(strict=strict)
        rp_server = RpServer(host, rp_port, state, server_ssl_context(paths))
        try:
            driver_server = DriverServer(host, driver_port, state, identities_file)
        except BaseException:
            rp_server.server_close()
            raise
        server = cls(rp_server, driver_server, state, paths)
        for name, listener in (("rp", rp_server), ("driver", driver_server)):
            thread = threading.Thread(
                target=listener.serve_forever, kwargs={"poll_interval": 0.1}, name=f"bankid-sim-{name}", daemon=True
            )
            thread.start()
            server._threads.append(thread)
        logger.info("BankID simulator: RP API %s, driver %s", server.rp_base_url, server.driver_url)
        return server

    @staticmethod
    def _port(listener: SimulatorHTTPServer) -> int:
        return int(listener.server_address[1])

    @property
    def rp_base_url(self) -> str:
        """The base URL to configure as ``BANKID_BASE_URL`` ("https://127.0.0.1:<port>/rp/v6.0/")."""
        host = _url_host(str(self._rp_server.server_address[0]))
        return f"https://{host}:{self._port(self._rp_server)}{RP_PREFIX}"

    @property
    def driver_url(self) -> str:
        """The driver API and demo page ("http://127.0.0.1:<port>/")."""
        host = _url_host(str(self._driver_server.server_address[0]))
        return f"http://{host}:{self._port(self._driver_server)}/"

    def stop(self) -> None:
        """Stops both listeners and closes their sockets."""
        for listener in (self._rp_server, self._driver_server):
            listener.shutdown()
            listener.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
