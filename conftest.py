"""Project-wide pytest fixtures: the small two-organisation world, and the BankID simulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from faportal.testing import World, build_world


@pytest.fixture
def world(db: None) -> World:
    """Two organisations (A with three addresses, B with one) and staff with every role combination in A."""
    return build_world()


@pytest.fixture(scope="session")
def bankid_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Our BankID simulator, running over mutual TLS on loopback for the whole test session."""
    from faportal.bankid.simulator.testing import running_simulator

    cert_dir: Path = tmp_path_factory.mktemp("bankid")
    with running_simulator(cert_dir) as server:
        yield server


@pytest.fixture
def bankid(bankid_server, settings):  # type: ignore[no-untyped-def]
    """The simulator, reset, with the portal's BANKID_* settings pointing at it."""
    server = bankid_server
    server.simulator.reset()
    settings.BANKID_BASE_URL = server.rp_base_url
    settings.BANKID_CA_CERT = str(server.cert_paths.ca)
    settings.BANKID_CLIENT_CERT = str(server.cert_paths.rp_client_cert)
    settings.BANKID_CLIENT_KEY = str(server.cert_paths.rp_client_key)
    settings.BANKID_SIMULATOR_APP_URL = server.driver_url
    settings.BANKID_COLLECT_INTERVAL_SECONDS = 0  # tests poll as fast as they like
    return server


@pytest.fixture(autouse=True, scope="session")
def _document_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The files of documents (evidence, PDF copies) go to this test session's own folder, not var/test/."""
    from django.conf import settings
    from django.test.utils import override_settings

    documents = settings.STORAGES["documents"]
    location = tmp_path_factory.mktemp("document-files")
    storages = {
        **settings.STORAGES,
        "documents": {**documents, "OPTIONS": {**documents["OPTIONS"], "location": location}},
    }
    with override_settings(STORAGES=storages):
        yield
