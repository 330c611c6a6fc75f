"""The BankID error hierarchy, keyed on (HTTP status, errorCode) as in the reference §1.8.

Each error carries the RFA message to show (``rfa``; None for internal errors that the user should see as a generic
technical problem, not as a BankID message) and whether the same call may be retried automatically (``retryable``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from faportal.core.privacy import mask_personal_numbers


class BankIDError(Exception):
    """Any failed BankID call."""

    rfa: ClassVar[str | None] = "RFA22"
    retryable: ClassVar[bool] = False

    def __init__(self, status_code: int | None, error_code: str | None, details: str | None = None) -> None:
        self.status_code = status_code
        self.error_code = error_code
        # BankID echoes parts of the request in `details`; masked because exceptions end up in logs.
        self.details = mask_personal_numbers(details) if details else details
        super().__init__(self._message())

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle their args; ours are built from three values plus extra attributes (retry_after).
        return (type(self), (self.status_code, self.error_code, self.details), dict(self.__dict__))

    def _message(self) -> str:
        parts = [f"BankID error {self.status_code if self.status_code is not None else '-'}"]
        if self.error_code:
            parts.append(self.error_code)
        message = " ".join(parts)
        return f"{message}: {self.details}" if self.details else message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code!r}, error_code={self.error_code!r}, "
            f"details={self.details!r})"
        )


class AlreadyInProgress(BankIDError):
    """400 ``alreadyInProgress``: an order for the same personnummer was running; BankID cancelled both."""

    rfa = "RFA4"


class InvalidParameters(BankIDError):
    """400 ``invalidParameters``: a bug on our side, or an orderRef that is collected, cancelled or too old."""

    rfa = None


class Unauthorized(BankIDError):
    """401/403 ``unauthorized``: our RP certificate has no access."""

    rfa = None


class NotFound(BankIDError):
    """404 ``notFound``: a wrong URL path (a wrong base URL)."""

    rfa = None


class MethodNotAllowed(BankIDError):
    """405 ``methodNotAllowed``: not a POST."""

    rfa = None


class RequestTimeout(BankIDError):
    """408 ``requestTimeout``: the request took too long to send; not retried automatically."""

    rfa = "RFA5"


class UnsupportedMediaType(BankIDError):
    """415 ``unsupportedMediaType``: a wrong Content-Type, e.g. one with a charset."""

    rfa = None


class RateLimited(BankIDError):
    """429: too many calls; back off and retry later."""

    rfa = "RFA5"
    retryable = True

    def __init__(
        self,
        status_code: int | None,
        error_code: str | None,
        details: str | None = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(status_code, error_code, details)


class InternalError(BankIDError):
    """500 ``internalError``: BankID's own error; not retried automatically."""

    rfa = "RFA5"


class Maintenance(BankIDError):
    """503 ``maintenance``: may be retried silently; show RFA5 when it repeats."""

    rfa = "RFA5"
    retryable = True


class UnknownBankIDError(BankIDError):
    """An errorCode (or status) we do not know: BankID may add codes without notice."""

    rfa = "RFA22"


class UnexpectedResponse(BankIDError):
    """A 200 answer that is not what the API promises (e.g. a missing field or an unknown status)."""

    rfa = "RFA22"


class BankIDUnavailable(BankIDError):
    """No usable answer at all: connection refused, TLS failure, timeout, or a non-BankID error page (e.g. a 502).

    Retrying a collect or cancel is safe; retrying an auth or sign starts a new order.
    """

    rfa = "RFA5"
    retryable = True


# (HTTP status, errorCode) → exception class, the table of the reference §1.8.
_BY_STATUS_AND_CODE: dict[tuple[int, str], type[BankIDError]] = {
    (400, "alreadyInProgress"): AlreadyInProgress,
    (400, "invalidParameters"): InvalidParameters,
    (401, "unauthorized"): Unauthorized,
    (403, "unauthorized"): Unauthorized,
    (404, "notFound"): NotFound,
    (405, "methodNotAllowed"): MethodNotAllowed,
    (408, "requestTimeout"): RequestTimeout,
    (415, "unsupportedMediaType"): UnsupportedMediaType,
    (500, "internalError"): InternalError,
    (503, "maintenance"): Maintenance,
}

# When the body is not a BankID error body (no errorCode), e.g. a proxy's error page.
_BY_STATUS_WITHOUT_CODE: dict[int, type[BankIDError]] = {
    401: Unauthorized,
    403: Unauthorized,
    404: NotFound,
    405: MethodNotAllowed,
    408: RequestTimeout,
    415: UnsupportedMediaType,
}


def error_for(
    status_code: int, error_code: str | None, details: str | None, *, retry_after: float | None = None
) -> BankIDError:
    """Builds the exception for an error answer from BankID."""
    if status_code == 429:
        # The rate limit may come without a BankID body; the status alone decides.
        return RateLimited(status_code, error_code, details, retry_after=retry_after)
    if error_code is not None:
        cls = _BY_STATUS_AND_CODE.get((status_code, error_code), UnknownBankIDError)
        return cls(status_code, error_code, details)
    if status_code >= 500:
        return BankIDUnavailable(status_code, None, details)
    return _BY_STATUS_WITHOUT_CODE.get(status_code, UnknownBankIDError)(status_code, None, details)
