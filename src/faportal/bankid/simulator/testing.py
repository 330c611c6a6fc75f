"""Helpers for tests elsewhere in the project: a running simulator and a client configured for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from faportal.bankid.client import BankIDClient, ssl_context_for
from faportal.bankid.simulator.server import SimulatorServer


@contextmanager
def running_simulator(cert_dir: Path, identities_file: Path | None = None) -> Iterator[SimulatorServer]:
    """Starts the simulator on free loopback ports for the duration of the block."""
    server = SimulatorServer.start(cert_dir=cert_dir, identities_file=identities_file)
    try:
        yield server
    finally:
        server.stop()


def client_for(server: SimulatorServer, *, timeout: float = 5.0) -> BankIDClient:
    """A ``BankIDClient`` that talks to ``server`` with the simulator's RP certificate over mutual TLS."""
    paths = server.cert_paths
    context = ssl_context_for(paths.ca, paths.rp_client_cert, paths.rp_client_key)
    return BankIDClient(server.rp_base_url, ssl_context=context, timeout=timeout)
