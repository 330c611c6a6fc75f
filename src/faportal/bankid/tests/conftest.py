"""Fixtures for the bankid package: one simulator per test session, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from faportal.bankid.client import BankIDClient
from faportal.bankid.simulator.driver import SimulatorDriver
from faportal.bankid.simulator.server import SimulatorServer
from faportal.bankid.simulator.state import Simulator
from faportal.bankid.simulator.testing import client_for, running_simulator


@pytest.fixture(scope="session")
def bankid_cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bankid-certs")


@pytest.fixture(scope="session")
def identities_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Not created here: the simulator must cope with a file that appears after start-up.
    return tmp_path_factory.mktemp("bankid-identities") / "identities.json"


@pytest.fixture(scope="session")
def bankid_server(bankid_cert_dir: Path, identities_file: Path) -> Iterator[SimulatorServer]:
    with running_simulator(bankid_cert_dir, identities_file) as server:
        yield server


@pytest.fixture
def sim(bankid_server: SimulatorServer, identities_file: Path) -> Iterator[Simulator]:
    bankid_server.simulator.reset()
    identities_file.unlink(missing_ok=True)
    yield bankid_server.simulator
    bankid_server.simulator.reset()
    identities_file.unlink(missing_ok=True)


@pytest.fixture
def client(bankid_server: SimulatorServer, sim: Simulator) -> Iterator[BankIDClient]:
    with client_for(bankid_server) as bankid_client:
        yield bankid_client


@pytest.fixture
def driver(bankid_server: SimulatorServer, sim: Simulator) -> Iterator[SimulatorDriver]:
    with SimulatorDriver(bankid_server.driver_url) as simulator_driver:
        yield simulator_driver
