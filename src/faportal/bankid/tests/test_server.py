"""Starting and stopping the simulator, and its refusal to run in production."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from faportal.bankid.simulator.__main__ import main
from faportal.bankid.simulator.server import SimulatorRefusedToStart, SimulatorServer
from faportal.bankid.simulator.testing import client_for


def test_start_exposes_urls_and_stops(tmp_path):
    with SimulatorServer.start(cert_dir=tmp_path) as server:
        assert server.rp_base_url.startswith("https://127.0.0.1:")
        assert server.rp_base_url.endswith("/rp/v6.0/")
        assert server.driver_url.startswith("http://127.0.0.1:")
        assert server.cert_paths.ca == tmp_path / "ca.pem"
        with client_for(server) as client:
            assert client.auth("10.0.0.1").order_ref
        assert len(server.simulator.orders()) == 1


def test_ipv6_loopback(tmp_path):
    try:
        server = SimulatorServer.start(cert_dir=tmp_path, host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server, client_for(server) as client:
        assert server.rp_base_url.startswith("https://[::1]:")
        assert client.auth("::1").order_ref


def test_refuses_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("FAPORTAL_ENV", "production")
    with pytest.raises(SimulatorRefusedToStart, match="production"):
        SimulatorServer.start(cert_dir=tmp_path)


def test_main_refuses_in_production(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FAPORTAL_ENV", "production")
    assert main(["--rp-port", "0", "--driver-port", "0", "--cert-dir", str(tmp_path)]) == 2
    assert "production" in capsys.readouterr().err
    assert not (tmp_path / "ca.pem").exists()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])  # noqa: S104 - refused, never bound
def test_refuses_non_loopback_addresses(tmp_path, host):
    with pytest.raises(SimulatorRefusedToStart, match="loopback"):
        SimulatorServer.start(cert_dir=tmp_path, host=host)


def test_python_dash_m_prints_both_addresses_and_stops_on_sigterm(tmp_path):
    src = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(src), "FAPORTAL_ENV": "test"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "faportal.bankid.simulator",
            "--rp-port",
            "0",
            "--driver-port",
            "0",
            "--cert-dir",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    try:
        lines = [process.stdout.readline() for _ in range(3)]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert "BankID simulator" in lines[0]
    assert "https://127.0.0.1:" in lines[1]
    assert "/rp/v6.0/" in lines[1]
    assert "http://127.0.0.1:" in lines[2]
    assert process.returncode == 0, stderr
