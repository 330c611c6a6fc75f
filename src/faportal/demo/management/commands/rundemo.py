"""`make run`: the BankID simulator, the background worker and the portal, together, until Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from faportal.bankid.simulator.certs import ensure_certs
from faportal.demo.identities import IDENTITIES_FILE


class Command(BaseCommand):
    help = "Start the BankID simulator, the task worker and the web server for local development."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--rp-port", type=int, default=8443)
        parser.add_argument("--driver-port", type=int, default=8444)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("rundemo starts the BankID simulator and is refused in production.")
        cert_dir = Path(settings.BANKID_CA_CERT).parent
        ensure_certs(cert_dir)
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        processes = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [
                    python,
                    "-m",
                    "faportal.bankid.simulator",
                    "--rp-port",
                    str(options["rp_port"]),
                    "--driver-port",
                    str(options["driver_port"]),
                    "--cert-dir",
                    str(cert_dir),
                    "--identities",
                    str(IDENTITIES_FILE),
                ],
                start_new_session=True,
            ),
            subprocess.Popen([python, manage, "db_worker"], start_new_session=True),  # noqa: S603
            # With the autoreloader, so code pulled or edited while it runs is picked up (it serves from a child
            # process). Each process has a process group of its own, stopped as one; Ctrl-C reaches only us.
            subprocess.Popen(  # noqa: S603
                [python, manage, "runserver", f"127.0.0.1:{options['port']}"], start_new_session=True
            ),
        ]
        time.sleep(2)
        self._banner(options)

        def stop(*_: object) -> None:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)  # the process and its children

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def _banner(self, options: dict[str, Any]) -> None:
        portal = f"http://127.0.0.1:{options['port']}/"
        app = f"http://127.0.0.1:{options['driver_port']}/"
        lines = [
            "",
            "=" * 78,
            f"  FA-portalen is running:        {portal}",
            f"  Simulated BankID app (phone):  {app}",
            f"  Development e-mail (outbox):   {portal}dev/utkorg/",
            "",
            "  Sign in: open the portal, choose 'Mobilt BankID', then in the simulated BankID app",
            "  press 'Skanna QR-koden' and 'Godkänn som …' the person below you want to be.",
            "",
        ]
        identities = json.loads(IDENTITIES_FILE.read_text()) if IDENTITIES_FILE.exists() else []
        for identity in identities:
            lines.append(f"  - {identity['label']}")
        lines += ["", "  Stop with Ctrl-C.", "=" * 78, ""]
        self.stdout.write("\n".join(lines))
