"""The simulator's order state machine (reference §2.2), driven by a virtual clock.

Lifecycle of an auth or sign order::

    pending/outstandingTransaction --scan(QR)--> pending/userSign (pending/userMrtd with requirement.mrtd)
    pending/outstandingTransaction --open(autoStartToken)--> pending/started --pick--> pending/userSign
    pending/userSign or userMrtd --approve--> complete
    any pending --user_cancel--> failed/userCancel;  --fail(hint)--> failed/<hint>

A phone order (``/phone/auth``, ``/phone/sign``) waits, like any other, at pending/outstandingTransaction until the
app has it: the person opens the BankID app on the phone during the call (``receive``), which finds the order for
their personnummer and asks them to confirm the call (pending/userCallConfirm); ``confirm_call`` moves it to
userSign. That is what BankID's own test server answers.

Timeouts are applied lazily, whenever an order is looked at: an order older than 180 s is failed/expiredTransaction;
otherwise one that the app has not picked up (scan, open, receive) within 30 s is failed/startFailed. So ``advance(31)``
on a fresh order gives startFailed, and ``advance(181)`` on any pending order gives expiredTransaction.

``approve`` needs an order the app has picked up: the QR code must have been scanned, the autostart token used, or
the phone order received. That is what lets a test prove that the portal showed the right QR code or launch link.
From started, userMrtd or userCallConfirm it passes through the remaining steps implicitly.
"""

from __future__ import annotations

import base64
import hmac
import itertools
import logging
import math
import re
import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from faportal.bankid.qr import qr_auth_code, qr_content
from faportal.bankid.simulator.errors import RpError, SimulatorRefused, UnknownOrder, invalid_parameters
from faportal.bankid.simulator.validation import StartRequest
from faportal.core.privacy import mask_personal_number

logger = logging.getLogger("faportal.bankid.simulator")

PENDING = "pending"
FAILED = "failed"
COMPLETE = "complete"

START_TIMEOUT = 30.0
ORDER_LIFETIME = 180.0
COMPLETE_COLLECT_WINDOW = 180.0
FAILED_COLLECT_WINDOW = 300.0
QR_TIME_TOLERANCE = 2.0
# Finished orders are dropped from memory after this long (virtual seconds), so a day-long demo stays small.
FORGET_AFTER = 600.0

PICKED_UP_HINTS = frozenset({"started", "userSign", "userMrtd", "userCallConfirm"})
_RISK_RANK = {"low": 0, "moderate": 1, "high": 2}
_PERSONAL_NUMBER_RE = re.compile(r"^\d{12}$")
_HINT_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
_QR_RE = re.compile(r"^bankid\.([^.]+)\.(0|[1-9][0-9]*)\.([0-9a-f]{64})$")
DEFAULT_ISSUE_DATE = "2024-01-01Z"
# device.ipAddress for phone orders, which have no endUserIp: an address from TEST-NET-1 (RFC 5737).
PHONE_DEVICE_IP = "192.0.2.1"


def _state(order: Order) -> str:
    return f"{order.status}/{order.hint_code}" if order.hint_code else order.status


class VirtualClock:
    """Real monotonic time plus an offset that ``advance`` increases; never affected by time-machine."""

    def __init__(self, source: Callable[[], float] = time.monotonic) -> None:
        self._source = source
        self._offset = 0.0

    def now(self) -> float:
        """The current virtual time in seconds."""
        return self._source() + self._offset

    @property
    def offset(self) -> float:
        """How far ``advance`` has moved the clock."""
        return self._offset

    def advance(self, seconds: float) -> None:
        """Moves the clock forward."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("The clock only moves forward by a finite number of seconds")
        self._offset += seconds

    def reset(self) -> None:
        """Removes every ``advance``."""
        self._offset = 0.0


@dataclass
class InjectedError:
    """An RP API error to answer instead of the next ``times`` RP calls."""

    status: int
    error_code: str
    details: str
    times: int = 1


@dataclass
class Order:
    """One order as the simulated BankID server and app see it."""

    order_ref: str
    request: StartRequest
    rp_id: str
    created_at: float
    auto_start_token: str | None = None
    qr_start_token: str | None = None
    qr_start_secret: str | None = field(default=None, repr=False)
    status: str = PENDING
    hint_code: str | None = "outstandingTransaction"
    picked_up: bool = False
    finished_at: float | None = None
    completion_data: dict[str, Any] | None = field(default=None, repr=False)
    approved_as: str | None = None  # the name, for the demo page
    autostarted: bool = False  # opened with the autostart token: the app returns to returnUrl on this device
    collected: bool = False
    cancelled_by_rp: bool = False

    @property
    def pending(self) -> bool:
        """True while the order can still change."""
        return self.status == PENDING


class Simulator:
    """The in-process state of the simulated BankID server and app; every public method is thread-safe."""

    def __init__(
        self, *, strict: bool = True, clock: VirtualClock | None = None, issue_date: str = DEFAULT_ISSUE_DATE
    ) -> None:
        self._lock = threading.RLock()
        self._clock = clock or VirtualClock()
        self._default_strict = strict
        self._strict = strict
        self._issue_date = issue_date
        self._orders: dict[str, Order] = {}
        self._injected: deque[InjectedError] = deque()
        # Stable per personnummer within a run, like a real device id, but not derived from the personnummer.
        self._device_ids: dict[str, str] = {}
        self._versions = itertools.count(1)
        self._version = 0

    # --- configuration ------------------------------------------------------------------------------------------

    @property
    def strict(self) -> bool:
        """True: a terminal status can be collected once, then 400 invalidParameters (the guideline's wording)."""
        return self._strict

    def set_strict(self, strict: bool) -> None:
        """Switches between collect-once (strict) and collect-repeatedly-within-the-window."""
        with self._lock:
            self._strict = strict
            self._changed()

    @property
    def clock_offset(self) -> float:
        """Seconds added by ``advance``."""
        return self._clock.offset

    @property
    def version(self) -> int:
        """Increases on every change of state; the demo page reloads when it changes."""
        with self._lock:
            self._housekeep(self._clock.now())
            return self._version

    def now(self) -> float:
        """The current virtual time."""
        return self._clock.now()

    # --- RP API -------------------------------------------------------------------------------------------------

    def take_injected_error(self) -> RpError | None:
        """The injected error for this RP call, if any (each injection is used up by ``times`` calls)."""
        with self._lock:
            if not self._injected:
                return None
            injected = self._injected[0]
            injected.times -= 1
            if injected.times <= 0:
                self._injected.popleft()
            error = RpError(injected.status, injected.error_code, injected.details)
            if injected.status == 429:
                error.headers = {"RateLimit-Limit": "10", "RateLimit-Remaining": "0", "RateLimit-Reset": "1"}
            return error

    def start_order(self, request: StartRequest, rp_id: str) -> dict[str, str]:
        """``/auth``, ``/sign``, ``/phone/auth``, ``/phone/sign``: creates an order or raises RpError."""
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            if request.personal_number:
                running = [
                    order
                    for order in self._orders.values()
                    if order.pending and order.request.personal_number == request.personal_number
                ]
                if running:
                    # BankID cancels the running order too and creates no new one (reference §1.8).
                    for order in running:
                        self._finish(order, FAILED, "cancelled", now)
                    logger.info("alreadyInProgress: cancelled %s", ", ".join(o.order_ref for o in running))
                    raise RpError(400, "alreadyInProgress", "Order already in progress for pno")
            order = Order(order_ref=str(uuid.uuid4()), request=request, rp_id=rp_id, created_at=now)
            if not request.is_phone:  # a phone order has neither: the app finds it by the personnummer (receive)
                order.auto_start_token = str(uuid.uuid4())
                order.qr_start_token = str(uuid.uuid4())
                order.qr_start_secret = str(uuid.uuid4())
            self._orders[order.order_ref] = order
            self._changed()
            logger.info("order %s started (%s)", order.order_ref, request.kind)
            if request.is_phone:
                return {"orderRef": order.order_ref}
            assert order.auto_start_token is not None
            assert order.qr_start_token is not None
            assert order.qr_start_secret is not None
            return {
                "orderRef": order.order_ref,
                "autoStartToken": order.auto_start_token,
                "qrStartToken": order.qr_start_token,
                "qrStartSecret": order.qr_start_secret,
            }

    def collect(self, order_ref: str, rp_id: str) -> dict[str, Any]:
        """``/collect``: the order's status, or RpError for an unknown, cancelled, collected or too old order."""
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            order = self._rp_order(order_ref, rp_id)
            if order.pending:
                return {"orderRef": order.order_ref, "status": PENDING, "hintCode": order.hint_code}
            assert order.finished_at is not None
            window = COMPLETE_COLLECT_WINDOW if order.status == COMPLETE else FAILED_COLLECT_WINDOW
            if now - order.finished_at > window:
                raise invalid_parameters("No such order")
            if self._strict:
                order.collected = True
                self._changed()
            if order.status == COMPLETE:
                return {"orderRef": order.order_ref, "status": COMPLETE, "completionData": order.completion_data}
            return {"orderRef": order.order_ref, "status": FAILED, "hintCode": order.hint_code}

    def cancel(self, order_ref: str, rp_id: str) -> dict[str, Any]:
        """``/cancel``: removes the order for the RP; later collects and cancels give invalidParameters."""
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            order = self._rp_order(order_ref, rp_id)
            if order.pending:
                self._finish(order, FAILED, "cancelled", now)
            order.cancelled_by_rp = True
            self._changed()
            logger.info("order %s cancelled by the RP", order.order_ref)
            return {}

    def _rp_order(self, order_ref: str, rp_id: str) -> Order:
        order = self._orders.get(order_ref)
        # Another RP's order is as unknown as a missing one (BankID: "a different RP certificate").
        if order is None or order.cancelled_by_rp or order.collected or order.rp_id != rp_id:
            raise invalid_parameters("No such order")
        return order

    # --- the simulated app (driver) -----------------------------------------------------------------------------

    def scan(self, qr: str) -> str:
        """The app scans a QR code: checks the HMAC and that qrTime is within ±2 s of the order's age."""
        match = _QR_RE.match(qr.strip())
        if match is None:
            raise SimulatorRefused("Not a BankID QR code: expected bankid.<qrStartToken>.<qrTime>.<64 lower-case hex>")
        token, qr_time_text, auth_code = match.groups()
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            order = next((o for o in self._orders.values() if o.qr_start_token == token), None)
            if order is None or order.cancelled_by_rp:
                raise UnknownOrder("No order has this qrStartToken")
            self._require_unpicked(order)
            qr_time = int(qr_time_text)
            assert order.qr_start_secret is not None
            if not hmac.compare_digest(auth_code, qr_auth_code(order.qr_start_secret, qr_time)):
                raise SimulatorRefused(
                    "Wrong qrAuthCode: it is not HMAC-SHA256(key=qrStartSecret, message=qrTime) for this order"
                )
            age = now - order.created_at
            if abs(qr_time - age) > QR_TIME_TOLERANCE:
                raise SimulatorRefused(
                    f"Stale or future QR code: qrTime is {qr_time} but the order is {age:.1f} s old "
                    f"(allowed: ±{QR_TIME_TOLERANCE:g} s)"
                )
            order.picked_up = True
            order.hint_code = "userMrtd" if order.request.mrtd else "userSign"
            self._changed()
            logger.info("order %s: QR code scanned", order.order_ref)
            return order.order_ref

    def scan_current(self, order_ref: str) -> str:
        """The demo page's "scan": scans the order's current QR frame."""
        with self._lock:
            qr = self.current_qr(order_ref)
            if qr is None:
                order = self._order(order_ref)
                self._require_unpicked(order)
                raise SimulatorRefused("This order has no QR code")
            return self.scan(qr)

    def open(self, auto_start_token: str) -> str:
        """The app is started with an autostart token: the order goes to pending/started."""
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            order = self._by_auto_start_token(auto_start_token)
            self._require_unpicked(order)
            order.picked_up = True
            order.autostarted = True
            order.hint_code = "started"
            self._changed()
            logger.info("order %s: opened with its autostart token", order.order_ref)
            return order.order_ref

    def receive(self, order_ref: str) -> None:
        """Phone flow: the person opens the app during the call and it finds the order (→ pending/userCallConfirm)."""
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            order = self._order(order_ref)
            if not order.request.is_phone:
                raise SimulatorRefused("Only a phone order is received this way: scan its QR code or open it instead")
            self._require_unpicked(order)
            order.picked_up = True
            order.hint_code = "userCallConfirm"
            self._changed()
            logger.info("order %s: the phone order reached the app", order.order_ref)

    def pick(self, order_ref: str) -> None:
        """After an autostart the user picks an ID: started → userSign (userMrtd with requirement.mrtd)."""
        with self._lock:
            order = self._pending(order_ref)
            if order.hint_code != "started":
                raise SimulatorRefused(f"Only a started order can pick an ID; this one is {order.hint_code}")
            order.hint_code = "userMrtd" if order.request.mrtd else "userSign"
            self._changed()

    def confirm_call(self, order_ref: str) -> None:
        """Phone flow: the user confirms the call, userCallConfirm → userSign."""
        with self._lock:
            order = self._pending(order_ref)
            if order.hint_code != "userCallConfirm":
                raise SimulatorRefused(
                    f"Only a phone order waiting for confirmation can; this one is {order.hint_code}"
                )
            order.hint_code = "userSign"
            self._changed()

    def approve(
        self,
        order_ref: str,
        *,
        personal_number: str,
        given_name: str,
        surname: str,
        risk: str | None = None,
        bank_id_issue_date: str | None = None,
    ) -> dict[str, Any]:
        """The user enters the security code: the order completes with completionData for this person."""
        given_name, surname = given_name.strip(), surname.strip()
        if not _PERSONAL_NUMBER_RE.match(personal_number):
            raise SimulatorRefused("personalNumber must be 12 digits")
        if not given_name or not surname:
            raise SimulatorRefused("givenName and surname are required")
        if risk is not None and risk not in _RISK_RANK:
            raise SimulatorRefused("risk must be low, moderate or high")
        with self._lock:
            now = self._clock.now()
            order = self._pending(order_ref)
            if not order.picked_up:
                raise SimulatorRefused(
                    "The order has not reached the app: scan its QR code or open it with its autostart token first"
                )
            required = order.request.personal_number
            if required and required != personal_number:
                raise SimulatorRefused(
                    "The order may only be approved by the personnummer in its requirement "
                    f"({mask_personal_number(required)})"
                )
            allowed_risk = order.request.requirement.get("risk")
            risk_level = risk or "low"
            if allowed_risk and _RISK_RANK[risk_level] > _RISK_RANK[allowed_risk]:
                self._finish(order, FAILED, "transactionRiskBlocked", now)
                return self._summary(order)
            order.completion_data = self._completion_data(
                order, personal_number, given_name, surname, risk_level, bank_id_issue_date or self._issue_date
            )
            order.approved_as = f"{given_name} {surname}"
            self._finish(order, COMPLETE, None, now)
            return self._summary(order)

    def user_cancel(self, order_ref: str) -> None:
        """The user cancels in the app: failed/userCancel."""
        with self._lock:
            order = self._pending(order_ref)
            self._finish(order, FAILED, "userCancel", self._clock.now())

    def fail(self, order_ref: str, hint_code: str) -> None:
        """Forces a failure with any hint code, known or not (certificateErr, startFailed, …)."""
        if not _HINT_RE.match(hint_code):
            raise SimulatorRefused("hintCode must be a word such as certificateErr")
        with self._lock:
            order = self._pending(order_ref)
            self._finish(order, FAILED, hint_code, self._clock.now())

    def set_hint(self, order_ref: str, hint_code: str) -> None:
        """Forces a pending hint code, known or not (noClient, or an unknown one to test RFA21)."""
        if not _HINT_RE.match(hint_code):
            raise SimulatorRefused("hintCode must be a word such as noClient")
        with self._lock:
            order = self._pending(order_ref)
            order.hint_code = hint_code
            if hint_code not in ("outstandingTransaction", "noClient"):
                order.picked_up = True
            self._changed()

    def advance(self, seconds: float) -> float:
        """Moves the virtual clock forward; returns the total offset."""
        try:
            with self._lock:
                self._clock.advance(seconds)
                self._changed()
                return self._clock.offset
        except ValueError as exc:
            raise SimulatorRefused(str(exc)) from None

    def inject_error(self, status: int, error_code: str, details: str | None = None, *, times: int = 1) -> None:
        """Answers the next ``times`` RP calls with this error instead (e.g. 503 maintenance)."""
        if not 400 <= status <= 599:
            raise SimulatorRefused("status must be an HTTP error status (400–599)")
        if not error_code or times < 1:
            raise SimulatorRefused("errorCode must be given and times must be at least 1")
        with self._lock:
            self._injected.append(InjectedError(status, error_code, details or f"Injected {error_code}", times))

    def reset(self) -> None:
        """Forgets every order and injected error, and undoes ``advance`` and ``set_strict``."""
        with self._lock:
            self._orders.clear()
            self._injected.clear()
            self._clock.reset()
            self._strict = self._default_strict
            self._changed()

    def orders(self) -> list[dict[str, Any]]:
        """Every order the simulator remembers, newest first, without secrets or personnummer."""
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            ordered = sorted(self._orders.values(), key=lambda o: o.created_at, reverse=True)
            return [self._describe(order, now) for order in ordered]

    def order(self, order_ref: str) -> dict[str, Any]:
        """One order as in ``orders``."""
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            return self._describe(self._order(order_ref), now)

    def order_ref_for_token(self, auto_start_token: str) -> str:
        """The orderRef of an autostart token (without opening it)."""
        with self._lock:
            return self._by_auto_start_token(auto_start_token).order_ref

    def current_qr(self, order_ref: str) -> str | None:
        """The QR content the portal should be showing now, while the order waits for a scan."""
        with self._lock:
            now = self._clock.now()
            self._housekeep(now)
            order = self._order(order_ref)
            if not order.pending or order.picked_up or order.qr_start_token is None:
                return None
            assert order.qr_start_secret is not None
            return qr_content(order.qr_start_token, order.qr_start_secret, math.floor(now - order.created_at))

    # --- internals ----------------------------------------------------------------------------------------------

    def _changed(self) -> None:
        self._version = next(self._versions)

    def _order(self, order_ref: str) -> Order:
        order = self._orders.get(order_ref)
        if order is None:
            raise UnknownOrder("No such order")
        return order

    def _pending(self, order_ref: str) -> Order:
        self._housekeep(self._clock.now())
        order = self._order(order_ref)
        if order.cancelled_by_rp:
            raise SimulatorRefused("The service (RP) has cancelled this order")
        if not order.pending:
            raise SimulatorRefused(f"The order is already {_state(order)}")
        return order

    def _require_unpicked(self, order: Order) -> None:
        if order.cancelled_by_rp:
            raise SimulatorRefused("The service (RP) has cancelled this order")
        if not order.pending:
            raise SimulatorRefused(f"The order is already {_state(order)}")
        if order.picked_up:
            raise SimulatorRefused(f"The order is already in the app ({order.hint_code})")

    def _by_auto_start_token(self, token: str) -> Order:
        order = next((o for o in self._orders.values() if o.auto_start_token == token and token), None)
        if order is None:
            raise UnknownOrder("No order has this autoStartToken")
        return order

    def _finish(self, order: Order, status: str, hint_code: str | None, at: float) -> None:
        order.status = status
        order.hint_code = hint_code
        order.finished_at = at
        self._changed()
        logger.info("order %s: %s%s", order.order_ref, status, f"/{hint_code}" if hint_code else "")

    def _housekeep(self, now: float) -> None:
        for order in list(self._orders.values()):
            if order.pending:
                age = now - order.created_at
                if age > ORDER_LIFETIME:
                    self._finish(order, FAILED, "expiredTransaction", order.created_at + ORDER_LIFETIME)
                elif not order.picked_up and age > START_TIMEOUT:
                    self._finish(order, FAILED, "startFailed", order.created_at + START_TIMEOUT)
            elif order.finished_at is not None and now - order.finished_at > FORGET_AFTER:
                del self._orders[order.order_ref]
                self._changed()

    def _completion_data(
        self, order: Order, personal_number: str, given_name: str, surname: str, risk: str, issue_date: str
    ) -> dict[str, Any]:
        uhi = self._device_ids.setdefault(personal_number, base64.b64encode(secrets.token_bytes(20)).decode("ascii"))
        signature = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">'
            f"<!-- FA-portalen BankID simulator: not a real signature. orderRef {order.order_ref} -->"
            "</Signature>"
        )
        data: dict[str, Any] = {
            "user": {
                "personalNumber": personal_number,
                "name": f"{given_name} {surname}",
                "givenName": given_name,
                "surname": surname,
            },
            "device": {"ipAddress": order.request.end_user_ip or PHONE_DEVICE_IP, "uhi": uhi},
            "bankIdIssueDate": issue_date,
            "signature": base64.b64encode(signature.encode("utf-8")).decode("ascii"),
            "ocspResponse": base64.b64encode(
                f"FA-portalen BankID simulator: not an OCSP response. orderRef {order.order_ref}".encode()
            ).decode("ascii"),
        }
        if order.request.mrtd:
            data["stepUp"] = {"mrtd": True}
        if order.request.return_risk:
            data["risk"] = risk
        return data

    @staticmethod
    def _summary(order: Order) -> dict[str, Any]:
        summary: dict[str, Any] = {"orderRef": order.order_ref, "status": order.status}
        if order.hint_code:
            summary["hintCode"] = order.hint_code
        return summary

    @staticmethod
    def _describe(order: Order, now: float) -> dict[str, Any]:
        request = order.request
        required = request.personal_number
        return {
            "orderRef": order.order_ref,
            "kind": request.kind,
            "status": order.status,
            "hintCode": order.hint_code,
            "pickedUp": order.picked_up,
            "ageSeconds": round(now - order.created_at, 1),
            "autoStartToken": order.auto_start_token,
            "qrStartToken": order.qr_start_token,
            "endUserIp": request.end_user_ip,
            "userVisibleData": request.user_visible_data,
            "userVisibleDataFormat": request.user_visible_data_format,
            "returnUrl": request.return_url,
            "autostarted": order.autostarted,
            "returnRisk": request.return_risk,
            "mrtd": request.mrtd,
            "callInitiator": request.call_initiator,
            "requiredPersonalNumber": mask_personal_number(required) if required else None,
            "approvedAs": order.approved_as,
            "collected": order.collected,
            "cancelledByRp": order.cancelled_by_rp,
        }
