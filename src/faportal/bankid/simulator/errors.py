"""Errors of the simulator: RP API errors (BankID's error body) and refused driver actions."""

from __future__ import annotations


class RpError(Exception):
    """An RP API error answer: HTTP status and BankID's ``{"errorCode", "details"}`` body."""

    def __init__(self, status: int, error_code: str, details: str, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.error_code = error_code
        self.details = details
        self.headers = headers or {}
        super().__init__(f"{status} {error_code}: {details}")

    def body(self) -> dict[str, str]:
        """The JSON error body BankID sends."""
        return {"errorCode": self.error_code, "details": self.details}


def invalid_parameters(details: str) -> RpError:
    """400 ``invalidParameters`` with the given details."""
    return RpError(400, "invalidParameters", details)


class SimulatorRefused(Exception):
    """A driver action the simulated app cannot do (a 400, or 404 for an unknown order), with the reason."""

    def __init__(self, reason: str, status: int = 400) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


class UnknownOrder(SimulatorRefused):
    """The driver named an order, token or QR code that the simulator does not know."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, status=404)
