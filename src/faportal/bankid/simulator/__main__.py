"""``python -m faportal.bankid.simulator``: runs the BankID simulator until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from faportal.bankid.simulator.server import SimulatorRefusedToStart, SimulatorServer, refuse_in_production


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m faportal.bankid.simulator",
        description="A local BankID RP API v6.0 simulator with a driver API and a demo app page. Never for production.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--rp-port", type=int, default=8443, help="port of the RP API over mutual TLS (default 8443)")
    parser.add_argument("--driver-port", type=int, default=8444, help="port of the driver API and demo page (8444)")
    parser.add_argument("--cert-dir", type=Path, default=Path("var/bankid"), help="where the PEM files are kept")
    parser.add_argument("--identities", type=Path, default=None, help="JSON file with demo identities")
    parser.add_argument(
        "--no-strict", action="store_true", help="let a finished order be collected repeatedly (within its window)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Starts the simulator, prints its addresses and waits for Ctrl-C or SIGTERM."""
    args = _parser().parse_args(argv)
    try:
        refuse_in_production()
        server = SimulatorServer.start(
            cert_dir=args.cert_dir,
            host=args.host,
            rp_port=args.rp_port,
            driver_port=args.driver_port,
            identities_file=args.identities,
            strict=not args.no_strict,
        )
    except SimulatorRefusedToStart as exc:
        print(f"Refusing to start: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(asctime)s %(name)s %(message)s"
    )
    logging.getLogger("faportal.bankid.simulator").setLevel(logging.INFO)
    logging.getLogger("faportal.bankid.simulator.http").setLevel(logging.INFO if args.verbose else logging.WARNING)

    stopped = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, _stop)
    paths = server.cert_paths
    print("BankID simulator (development only)", flush=True)
    print(f"  RP API (mutual TLS):   {server.rp_base_url}", flush=True)
    print(f"  Driver and demo app:   {server.driver_url}", flush=True)
    print(f"  CA certificate:        {paths.ca}", flush=True)
    print(f"  RP client certificate: {paths.rp_client_cert} (key {paths.rp_client_key})", flush=True)
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
