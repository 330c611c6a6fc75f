"""BankID as the identity provider (SPEC S1), through our own RP API v6.0 client.

The order's secrets (orderRef, qrStartSecret) stay in the server-side session; the browser only ever receives
the current QR frame and the message to show. ``/collect`` is called at most every two seconds whatever the
page's polling rate, and the last answer is kept in the session.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from faportal.bankid.client import BankIDClient, ssl_context_for
from faportal.bankid.errors import BankIDError, Maintenance
from faportal.bankid.launch import autostart_url
from faportal.bankid.messages import message, rfa_for_collect
from faportal.bankid.qr import qr_content, qr_time
from faportal.bankid.types import CollectResult, HintCode, Status, WebData
from faportal.core.http import client_ip, is_mobile
from faportal.identity.providers import Mode, Progress, State, VerifiedIdentity

SESSION_KEY = "bankid_order"
logger = logging.getLogger(__name__)
# A maintenance answer may be retried silently; shown (RFA5) only when it repeats (RP guidelines).
MAINTENANCE_TOLERANCE = 2
QR_HINTS = {HintCode.OUTSTANDING_TRANSACTION, HintCode.NO_CLIENT}


@lru_cache(maxsize=4)
def _client(base_url: str, ca: str, cert: str, key: str, timeout: int) -> BankIDClient:
    return BankIDClient(base_url, ssl_context=ssl_context_for(ca, cert, key), timeout=float(timeout))


def client() -> BankIDClient:
    """The RP API client configured by the BANKID_* settings."""
    return _client(
        settings.BANKID_BASE_URL,
        settings.BANKID_CA_CERT,
        settings.BANKID_CLIENT_CERT,
        settings.BANKID_CLIENT_KEY,
        settings.BANKID_TIMEOUT_SECONDS,
    )


def ui_language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def _intention(purpose: str) -> str:
    if purpose == "register":
        return _("Register as staff in FA-portalen, Mina sidor för fristående aktörer")
    return _("Sign in to FA-portalen, Mina sidor för fristående aktörer")


def _device_identifier(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    key = request.session.session_key or ""
    return hashlib.sha256(key.encode()).hexdigest()[:64]


class BankIDProvider:
    """Identification with BankID: animated QR for another device, autostart for this one."""

    method = "bankid"

    def start(self, request: HttpRequest, *, mode: Mode, purpose: str) -> Progress:
        self.cancel(request)
        host = urlsplit(f"//{request.get_host()}").hostname or "localhost"
        try:
            rp = client()
        except OSError:  # missing or unreadable certificate files: our configuration, not the user's fault
            logger.exception("The BankID client cannot be configured")
            return self._failed("RFA5", mode)
        try:
            order = rp.auth(
                client_ip(request),
                user_visible_data=_intention(purpose),
                web=WebData(
                    referring_domain=host if len(host) >= 3 else "localhost",
                    user_agent=(request.headers.get("User-Agent") or "unknown")[:256],
                    device_identifier=_device_identifier(request),
                ),
            )
        except BankIDError as error:
            return self._failed(error.rfa or "RFA5", mode)
        request.session[SESSION_KEY] = {
            "order_ref": order.order_ref,
            "auto_start_token": order.auto_start_token,
            "qr_start_token": order.qr_start_token,
            "qr_start_secret": order.qr_start_secret,
            "started_at": time.time(),
            "mode": str(mode),
            "purpose": purpose,
            "autostart_attempted": False,
            "last_collect_at": 0.0,
            "status": Status.PENDING.value,
            "hint": HintCode.OUTSTANDING_TRANSACTION.value,
            "maintenance": 0,
        }
        return self._pending(request, request.session[SESSION_KEY])

    def launch(self, request: HttpRequest) -> str | None:
        """Note that the user followed the autostart link; returns the launch URL to redirect to."""
        order = request.session.get(SESSION_KEY)
        if not order:
            return None
        order["autostart_attempted"] = True
        request.session.modified = True
        return self._launch_url(request, order)

    def simulator_open_url(self, request: HttpRequest) -> str | None:
        """In development, the simulator's "BankID app" page for this order (there is no real app to start)."""
        order = request.session.get(SESSION_KEY)
        if not order or not settings.BANKID_SIMULATOR_APP_URL:
            return None
        base = settings.BANKID_SIMULATOR_APP_URL.rstrip("/")
        return f"{base}/open?{urlencode({'autostarttoken': order['auto_start_token']})}"

    def poll(self, request: HttpRequest) -> Progress:
        order: dict[str, Any] | None = request.session.get(SESSION_KEY)
        if not order:
            return Progress(state=State.IDLE)
        mode = Mode(order["mode"])
        if time.time() - order["last_collect_at"] >= settings.BANKID_COLLECT_INTERVAL_SECONDS:
            try:
                result = client().collect(order["order_ref"])
            except Maintenance:
                order["maintenance"] += 1
                order["last_collect_at"] = time.time()
                request.session.modified = True
                if order["maintenance"] >= MAINTENANCE_TOLERANCE:
                    return self._finish_failed(request, "RFA5", mode)
                return self._pending(request, order)
            except BankIDError as error:
                return self._finish_failed(request, error.rfa or "RFA5", mode)
            order.update(
                last_collect_at=time.time(),
                status=result.status.value,
                hint=result.raw_hint_code or "",
                maintenance=0,
            )
            request.session.modified = True
            if result.status == Status.COMPLETE and result.completion_data is not None:
                return self._complete(request, order, result)
            if result.status == Status.FAILED:
                rfa = rfa_for_collect(
                    result,
                    qr=mode == Mode.OTHER_DEVICE,
                    autostart_attempted=order["autostart_attempted"],
                    mobile=is_mobile(request),
                )
                return self._finish_failed(request, rfa, mode)
        return self._pending(request, order)

    def cancel(self, request: HttpRequest) -> None:
        order = request.session.pop(SESSION_KEY, None)
        if order and order.get("status") == Status.PENDING.value:
            with contextlib.suppress(BankIDError):  # already finished or gone at BankID: nothing left to cancel
                client().cancel(order["order_ref"])

    # --- helpers -------------------------------------------------------------------------------------------

    def _launch_url(self, request: HttpRequest, order: dict[str, Any]) -> str:
        return autostart_url(order["auto_start_token"], mobile=is_mobile(request))

    def _pending(self, request: HttpRequest, order: dict[str, Any]) -> Progress:
        mode = Mode(order["mode"])
        result = CollectResult(
            order["order_ref"], Status.PENDING, HintCode.parse(order["hint"]), raw_hint_code=order["hint"]
        )
        rfa = rfa_for_collect(
            result,
            qr=mode == Mode.OTHER_DEVICE,
            autostart_attempted=order["autostart_attempted"],
            mobile=is_mobile(request),
        )
        qr = None
        if mode == Mode.OTHER_DEVICE and result.hint_code in QR_HINTS:
            qr = qr_content(
                order["qr_start_token"], order["qr_start_secret"], qr_time(order["started_at"], time.time())
            )
        return Progress(
            state=State.PENDING,
            rfa=rfa,
            message=message(rfa, ui_language()),
            qr_content=qr,
            autostart_url=self._launch_url(request, order) if mode == Mode.THIS_DEVICE else None,
            simulator_url=self.simulator_open_url(request) if mode == Mode.THIS_DEVICE else None,
            mode=mode,
        )

    def _failed(self, rfa: str, mode: Mode) -> Progress:
        return Progress(state=State.FAILED, rfa=rfa, message=message(rfa, ui_language()), mode=mode)

    def _finish_failed(self, request: HttpRequest, rfa: str, mode: Mode) -> Progress:
        request.session.pop(SESSION_KEY, None)
        return self._failed(rfa, mode)

    def _complete(self, request: HttpRequest, order: dict[str, Any], result: CollectResult) -> Progress:
        request.session.pop(SESSION_KEY, None)
        data = result.completion_data
        assert data is not None
        identity = VerifiedIdentity(
            personnummer=data.user.personal_number,
            given_name=data.user.given_name,
            surname=data.user.surname,
            method=self.method,
            reference=result.order_ref,
            details={
                "ip_address": data.device.ip_address or "",
                "bankid_issue_date": data.bank_id_issue_date.isoformat() if data.bank_id_issue_date else "",
                "signature": data.signature or "",
                "ocsp_response": data.ocsp_response or "",
                "risk": data.risk or "",
                "purpose": order["purpose"],
            },
        )
        return Progress(state=State.COMPLETE, identity=identity, mode=Mode(order["mode"]))
