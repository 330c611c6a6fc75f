"""The simulator's local PKI: a CA, a server certificate for loopback and an RP client certificate."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# The production start-up check looks for this text in the configured CA (is_simulator_ca).
SIMULATOR_CA_MARKER = "FA-portalen BankID simulator CA"

CA_FILE = "ca.pem"
SERVER_CERT_FILE = "server.pem"
SERVER_KEY_FILE = "server.key"
RP_CLIENT_CERT_FILE = "rp-client.pem"
RP_CLIENT_KEY_FILE = "rp-client.key"
_ALL_FILES = (CA_FILE, SERVER_CERT_FILE, SERVER_KEY_FILE, RP_CLIENT_CERT_FILE, RP_CLIENT_KEY_FILE)

_CA_LIFETIME = dt.timedelta(days=3650)
_LEAF_LIFETIME = dt.timedelta(days=825)
# Regenerate well before expiry so that a long demo never meets an expired certificate.
_RENEW_BEFORE = dt.timedelta(days=30)


@dataclass(frozen=True)
class CertPaths:
    """Where the simulator's PEM files are."""

    directory: Path
    ca: Path
    server_cert: Path
    server_key: Path
    rp_client_cert: Path
    rp_client_key: Path


def cert_paths(directory: Path) -> CertPaths:
    """The file names inside ``directory`` (whether or not they exist)."""
    return CertPaths(
        directory=directory,
        ca=directory / CA_FILE,
        server_cert=directory / SERVER_CERT_FILE,
        server_key=directory / SERVER_KEY_FILE,
        rp_client_cert=directory / RP_CLIENT_CERT_FILE,
        rp_client_key=directory / RP_CLIENT_KEY_FILE,
    )


def ensure_certs(directory: Path) -> CertPaths:
    """Creates the CA, server and RP client certificates in ``directory`` unless usable ones are already there."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = cert_paths(directory)
    # Parallel test workers share the directory: one creates, the others wait and then reuse.
    with _locked(directory / ".lock"):
        if not _usable(paths):
            _create(paths)
    return paths


def is_simulator_ca(pem_text: str) -> bool:
    """True if the PEM text holds the simulator's CA or a certificate it issued (used to refuse it in production)."""
    try:
        certificates = x509.load_pem_x509_certificates(pem_text.encode("utf-8"))
    except ValueError:
        return False
    return any(
        SIMULATOR_CA_MARKER in cert.subject.rfc4514_string() or SIMULATOR_CA_MARKER in cert.issuer.rfc4514_string()
        for cert in certificates
    )


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX; parallel creation is then simply not guarded
        yield
        return
    with lock_path.open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _usable(paths: CertPaths) -> bool:
    if not all((paths.directory / name).is_file() for name in _ALL_FILES):
        return False
    try:
        ca = x509.load_pem_x509_certificate(paths.ca.read_bytes())
        server = x509.load_pem_x509_certificate(paths.server_cert.read_bytes())
        client = x509.load_pem_x509_certificate(paths.rp_client_cert.read_bytes())
    except ValueError:
        return False
    if not is_simulator_ca(paths.ca.read_text()):
        return False
    renew_at = _now() + _RENEW_BEFORE
    return all(cert.not_valid_after_utc > renew_at for cert in (ca, server, client)) and all(
        cert.issuer == ca.subject for cert in (server, client)
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _create(paths: CertPaths) -> None:
    now = _now()
    # Back-dated a day so that a machine whose clock is slightly behind still accepts the certificates.
    not_before = now - dt.timedelta(days=1)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "FA-portalen (development only)"),
            x509.NameAttribute(NameOID.COMMON_NAME, SIMULATOR_CA_MARKER),
        ]
    )
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(now + _CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(
        common_name: str, usage: x509.ObjectIdentifier, san: x509.SubjectAlternativeName | None
    ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "FA-portalen (development only)"),
                        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                    ]
                )
            )
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(now + _LEAF_LIFETIME)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        )
        if san is not None:
            builder = builder.add_extension(san, critical=False)
        return builder.sign(ca_key, hashes.SHA256()), key

    server_cert, server_key = leaf(
        "FA-portalen BankID simulator server",
        ExtendedKeyUsageOID.SERVER_AUTH,
        x509.SubjectAlternativeName(
            [
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("::1")),
            ]
        ),
    )
    client_cert, client_key = leaf("FA-portalen RP (BankID simulator)", ExtendedKeyUsageOID.CLIENT_AUTH, None)

    _write(paths.ca, _cert_pem(ca_cert), private=False)
    _write(paths.server_cert, _cert_pem(server_cert), private=False)
    _write(paths.server_key, _key_pem(server_key), private=True)
    _write(paths.rp_client_cert, _cert_pem(client_cert), private=False)
    _write(paths.rp_client_key, _key_pem(client_key), private=True)


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write(path: Path, data: bytes, *, private: bool) -> None:
    # Written to a temporary file and renamed, so a reader never sees half a PEM file.
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp_name, 0o600 if private else 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
