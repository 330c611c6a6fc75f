import datetime as dt
import ipaddress
import ssl
import stat

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from faportal.bankid.simulator.certs import SIMULATOR_CA_MARKER, ensure_certs, is_simulator_ca

NAMES = {"ca.pem", "server.pem", "server.key", "rp-client.pem", "rp-client.key"}


def test_creates_the_five_files_once_and_reuses_them(tmp_path):
    paths = ensure_certs(tmp_path / "bankid")
    assert {p.name for p in (tmp_path / "bankid").iterdir() if not p.name.startswith(".")} == NAMES
    before = {name: (tmp_path / "bankid" / name).read_bytes() for name in NAMES}
    again = ensure_certs(tmp_path / "bankid")
    assert again == paths
    assert {name: (tmp_path / "bankid" / name).read_bytes() for name in NAMES} == before
    assert stat.S_IMODE(paths.server_key.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.rp_client_key.stat().st_mode) == 0o600


def test_regenerates_everything_when_a_file_is_missing(tmp_path):
    paths = ensure_certs(tmp_path)
    old_ca = paths.ca.read_bytes()
    paths.rp_client_key.unlink()
    ensure_certs(tmp_path)
    assert paths.rp_client_key.exists()
    assert paths.ca.read_bytes() != old_ca


def test_certificates_chain_to_the_ca_and_cover_loopback(tmp_path):
    paths = ensure_certs(tmp_path)
    ca = x509.load_pem_x509_certificate(paths.ca.read_bytes())
    server = x509.load_pem_x509_certificate(paths.server_cert.read_bytes())
    client = x509.load_pem_x509_certificate(paths.rp_client_cert.read_bytes())
    assert SIMULATOR_CA_MARKER in ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(san.get_values_for_type(x509.IPAddress)) == {
        ipaddress.ip_address("127.0.0.1"),
        ipaddress.ip_address("::1"),
    }
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    for leaf in (server, client):
        leaf.verify_directly_issued_by(ca)
    # The standard library accepts the files as they are (the server and the client load them the same way).
    context = ssl.create_default_context(cafile=str(paths.ca))
    context.load_cert_chain(str(paths.rp_client_cert), str(paths.rp_client_key))


def test_is_simulator_ca(tmp_path):
    paths = ensure_certs(tmp_path)
    assert is_simulator_ca(paths.ca.read_text())
    assert is_simulator_ca(paths.server_cert.read_text())  # issued by it
    assert is_simulator_ca("# bundle\n" + _other_ca_pem() + paths.ca.read_text())
    assert not is_simulator_ca(_other_ca_pem())
    assert not is_simulator_ca("not a certificate")
    assert not is_simulator_ca("")


def _other_ca_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "BankID SSL Root CA v1 Test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()
