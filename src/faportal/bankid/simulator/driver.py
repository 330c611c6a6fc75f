"""``SimulatorDriver``: the driver API over HTTP, for tests that run the simulator in another process."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx

from faportal.bankid.simulator.errors import SimulatorRefused, UnknownOrder


class SimulatorDriver:
    """Plays the BankID app (and the test's hand on the clock) against a running simulator."""

    def __init__(self, base_url: str, *, timeout: float = 5.0, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport, trust_env=False)

    def close(self) -> None:
        """Closes the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _post(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self._http.post(f"driver/{action}", json=body)
        return self._answer(action, response)

    @staticmethod
    def _answer(action: str, response: httpx.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code == 200:
            return data if isinstance(data, dict) else {}
        reason = data.get("reason") if isinstance(data, dict) else None
        message = f"Simulator refused {action}: {reason or response.text or response.status_code}"
        if response.status_code == 404:
            raise UnknownOrder(message)
        raise SimulatorRefused(message, status=response.status_code)

    def scan(self, qr: str) -> str:
        """Scans QR content; returns the orderRef. Refused for a wrong HMAC or a qrTime off by more than 2 s."""
        return str(self._post("scan", {"qr": qr})["orderRef"])

    def open(self, auto_start_token: str) -> str:
        """Starts the app with an autostart token; returns the orderRef."""
        return str(self._post("open", {"autoStartToken": auto_start_token})["orderRef"])

    def pick(self, order_ref: str) -> None:
        """After an autostart, the user picks an ID (started → userSign)."""
        self._post("pick", {"orderRef": order_ref})

    def receive(self, order_ref: str) -> None:
        """Phone flow: the person opens the app during the call and it finds the order (→ userCallConfirm)."""
        self._post("receive", {"orderRef": order_ref})

    def confirm_call(self, order_ref: str) -> None:
        """Phone flow: the user confirms the call (userCallConfirm → userSign)."""
        self._post("confirm_call", {"orderRef": order_ref})

    def approve(
        self,
        order_ref: str,
        personal_number: str,
        given_name: str = "Test",
        surname: str = "Testsson",
        *,
        risk: str | None = None,
        bank_id_issue_date: str | None = None,
    ) -> dict[str, Any]:
        """The user approves as this person; refused if the order requires another personnummer."""
        body: dict[str, Any] = {
            "orderRef": order_ref,
            "personalNumber": personal_number,
            "givenName": given_name,
            "surname": surname,
        }
        if risk is not None:
            body["risk"] = risk
        if bank_id_issue_date is not None:
            body["bankIdIssueDate"] = bank_id_issue_date
        return self._post("approve", body)

    def user_cancel(self, order_ref: str) -> None:
        """The user cancels in the app (failed/userCancel)."""
        self._post("cancel", {"orderRef": order_ref})

    def fail(self, order_ref: str, hint_code: str) -> None:
        """Forces failed/<hint_code>."""
        self._post("fail", {"orderRef": order_ref, "hintCode": hint_code})

    def set_hint(self, order_ref: str, hint_code: str) -> None:
        """Forces pending/<hint_code>."""
        self._post("set_hint", {"orderRef": order_ref, "hintCode": hint_code})

    def advance(self, seconds: float) -> float:
        """Moves the simulator's clock forward; returns the total offset."""
        return float(self._post("advance", {"seconds": seconds})["clockOffset"])

    def inject_error(self, status: int, error_code: str, details: str | None = None, *, times: int = 1) -> None:
        """The next ``times`` RP calls answer this error."""
        body: dict[str, Any] = {"status": status, "errorCode": error_code, "times": times}
        if details is not None:
            body["details"] = details
        self._post("inject_error", body)

    def set_strict(self, strict: bool) -> None:
        """Collect-once (True) or collect-repeatedly-within-the-window (False)."""
        self._post("strict", {"strict": strict})

    def reset(self) -> None:
        """Forgets all orders and injected errors and undoes ``advance``."""
        self._post("reset", {})

    def orders(self) -> list[dict[str, Any]]:
        """All orders with their state (never the secret), newest first."""
        data = self._answer("orders", self._http.get("driver/orders"))
        orders = data.get("orders", [])
        return list(orders) if isinstance(orders, list) else []
