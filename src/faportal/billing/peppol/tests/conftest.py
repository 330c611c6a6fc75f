"""The official artefacts for the PEPPOL tests: read from ``PEPPOL_ARTIFACTS_DIR``, by default ``../shared/peppol``.

They are data the project does not ship (see ``../shared/peppol/README.md``); the tests fail, not skip, without them.
The validator is compiled once per test process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from faportal.billing.peppol.validation import Artifacts, Validator, validator_for

REPOSITORY = Path(__file__).resolve().parents[5]


def artifacts_directory() -> Path:
    """The artefact directory the tests use."""
    return Path(os.environ.get("PEPPOL_ARTIFACTS_DIR") or REPOSITORY.parent / "shared" / "peppol")


@pytest.fixture(scope="session")
def artifacts() -> Artifacts:
    found = Artifacts(artifacts_directory())
    found.check()
    return found


@pytest.fixture(scope="session")
def validator(artifacts: Artifacts) -> Validator:
    return validator_for(artifacts.root)


@pytest.fixture(scope="session")
def samples(artifacts: Artifacts) -> Path:
    return artifacts.root / "samples"
