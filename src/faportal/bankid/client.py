"""A small synchronous client for the BankID RP API v6.0 over httpx (reference §1 and §3.1).

The base URL and the TLS context are always passed in: the same code talks to BankID's test and production servers
and to our simulator, and nothing in the environment (``REQUESTS_CA_BUNDLE``, proxies, ``SSL_CERT_FILE``) can
silently replace the pinned CA.
"""

from __future__ import annotations

import base64
import json
import logging
import ssl
from collections.abc import Mapping
from os import PathLike
from types import TracebackType
from typing import Any, Self

import httpx

from faportal.bankid.errors import BankIDError, BankIDUnavailable, UnexpectedResponse, error_for
from faportal.bankid.types import (
    AppData,
    CallInitiator,
    CollectResult,
    CompletionData,
    Device,
    HintCode,
    OrderStarted,
    PhoneOrderStarted,
    Requirement,
    Status,
    User,
    WebData,
    parse_issue_date,
)

logger = logging.getLogger(__name__)

# BankID answers 415 to anything else, including "application/json; charset=utf-8" (reference §1.1).
CONTENT_TYPE = "application/json"


def ssl_context_for(
    ca_cert_path: str | PathLike[str], client_cert_path: str | PathLike[str], client_key_path: str | PathLike[str]
) -> ssl.SSLContext:
    """A TLS context that trusts only the given CA and presents our RP certificate (mutual TLS)."""
    context = ssl.create_default_context(cafile=str(ca_cert_path))
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=str(client_cert_path), keyfile=str(client_key_path))
    return context


def _base64(data: str | bytes) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return base64.b64encode(raw).decode("ascii")


class BankIDClient:
    """The six calls of the RP API; every failure is raised as a ``BankIDError`` subclass."""

    def __init__(
        self,
        base_url: str,
        *,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.endswith("/"):
            # Without the slash httpx would resolve "auth" against the parent path.
            base_url += "/"
        self.base_url = base_url
        self._http = httpx.Client(
            base_url=base_url,
            verify=ssl_context if ssl_context is not None else True,
            timeout=timeout,
            transport=transport,
            trust_env=False,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"BankIDClient(base_url={self.base_url!r})"

    def close(self) -> None:
        """Closes the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- orders -------------------------------------------------------------------------------------------------

    def auth(
        self,
        end_user_ip: str,
        *,
        user_visible_data: str | None = None,
        user_visible_data_format: str | None = None,
        user_non_visible_data: bytes | str | None = None,
        requirement: Requirement | None = None,
        return_url: str | None = None,
        return_risk: bool = False,
        web: WebData | None = None,
        app: AppData | None = None,
    ) -> OrderStarted:
        """Starts an identification order (``/auth``); ``user_visible_data`` is plain text, the intention."""
        body = self._start_body(
            end_user_ip=end_user_ip,
            user_visible_data=user_visible_data,
            user_visible_data_format=user_visible_data_format,
            user_non_visible_data=user_non_visible_data,
            requirement=requirement,
            return_url=return_url,
            return_risk=return_risk,
            web=web,
            app=app,
        )
        return self._order_started(self._post("auth", body))

    def sign(
        self,
        end_user_ip: str,
        user_visible_data: str,
        *,
        user_visible_data_format: str | None = None,
        user_non_visible_data: bytes | str | None = None,
        requirement: Requirement | None = None,
        return_url: str | None = None,
        return_risk: bool = False,
        web: WebData | None = None,
        app: AppData | None = None,
    ) -> OrderStarted:
        """Starts a signing order (``/sign``); ``user_visible_data`` is the plain text the user signs."""
        if not user_visible_data:
            raise ValueError("sign needs a non-empty user_visible_data")
        body = self._start_body(
            end_user_ip=end_user_ip,
            user_visible_data=user_visible_data,
            user_visible_data_format=user_visible_data_format,
            user_non_visible_data=user_non_visible_data,
            requirement=requirement,
            return_url=return_url,
            return_risk=return_risk,
            web=web,
            app=app,
        )
        return self._order_started(self._post("sign", body))

    def phone_auth(
        self,
        personal_number: str,
        call_initiator: CallInitiator | str,
        *,
        user_visible_data: str | None = None,
        user_visible_data_format: str | None = None,
        user_non_visible_data: bytes | str | None = None,
        requirement: Requirement | None = None,
    ) -> PhoneOrderStarted:
        """Starts an identification during a phone call (``/phone/auth``)."""
        body = self._phone_body(
            personal_number=personal_number,
            call_initiator=call_initiator,
            user_visible_data=user_visible_data,
            user_visible_data_format=user_visible_data_format,
            user_non_visible_data=user_non_visible_data,
            requirement=requirement,
        )
        return self._phone_order_started(self._post("phone/auth", body))

    def phone_sign(
        self,
        personal_number: str,
        call_initiator: CallInitiator | str,
        user_visible_data: str,
        *,
        user_visible_data_format: str | None = None,
        user_non_visible_data: bytes | str | None = None,
        requirement: Requirement | None = None,
    ) -> PhoneOrderStarted:
        """Starts a signing during a phone call (``/phone/sign``)."""
        if not user_visible_data:
            raise ValueError("phone_sign needs a non-empty user_visible_data")
        body = self._phone_body(
            personal_number=personal_number,
            call_initiator=call_initiator,
            user_visible_data=user_visible_data,
            user_visible_data_format=user_visible_data_format,
            user_non_visible_data=user_non_visible_data,
            requirement=requirement,
        )
        return self._phone_order_started(self._post("phone/sign", body))

    def collect(self, order_ref: str) -> CollectResult:
        """The order's status (``/collect``); call it every 2 s while pending."""
        return _collect_result(self._post("collect", {"orderRef": order_ref}))

    def cancel(self, order_ref: str) -> None:
        """Cancels a pending order (``/cancel``); afterwards BankID answers invalidParameters for it."""
        self._post("cancel", {"orderRef": order_ref})

    # --- request bodies -----------------------------------------------------------------------------------------

    @staticmethod
    def _start_body(
        *,
        end_user_ip: str,
        user_visible_data: str | None,
        user_visible_data_format: str | None,
        user_non_visible_data: bytes | str | None,
        requirement: Requirement | None,
        return_url: str | None,
        return_risk: bool,
        web: WebData | None,
        app: AppData | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"endUserIp": end_user_ip}
        _add_texts(body, user_visible_data, user_visible_data_format, user_non_visible_data)
        if requirement is not None and (requirement_json := requirement.to_json()):
            body["requirement"] = requirement_json
        if return_url is not None:
            body["returnUrl"] = return_url
        if return_risk:
            body["returnRisk"] = True
        if web is not None:
            body["web"] = web.to_json()
        if app is not None:
            body["app"] = app.to_json()
        return body

    @staticmethod
    def _phone_body(
        *,
        personal_number: str,
        call_initiator: CallInitiator | str,
        user_visible_data: str | None,
        user_visible_data_format: str | None,
        user_non_visible_data: bytes | str | None,
        requirement: Requirement | None,
    ) -> dict[str, Any]:
        initiator = CallInitiator(call_initiator)  # ValueError for anything but "user" and "RP"
        body: dict[str, Any] = {"personalNumber": personal_number, "callInitiator": initiator.value}
        _add_texts(body, user_visible_data, user_visible_data_format, user_non_visible_data)
        if requirement is not None:
            requirement_json = requirement.to_json()
            # The phone flow accepts only these two requirements (reference §1.5).
            extra = set(requirement_json) - {"pinCode", "certificatePolicies"}
            if extra:
                raise ValueError(f"The phone flow does not accept the requirements {sorted(extra)}")
            if requirement_json:
                body["requirement"] = requirement_json
        return body

    # --- transport ----------------------------------------------------------------------------------------------

    def _post(self, endpoint: str, body: Mapping[str, Any]) -> dict[str, Any]:
        content = json.dumps(body, separators=(",", ":")).encode("ascii")
        try:
            response = self._http.post(endpoint, content=content, headers={"Content-Type": CONTENT_TYPE})
        except httpx.HTTPError as exc:
            # Only the exception type and endpoint: httpx messages never hold the body, but keep it that way.
            logger.warning("BankID %s: no answer (%s)", endpoint, type(exc).__name__)
            raise BankIDUnavailable(None, None, f"{type(exc).__name__} calling {endpoint}") from exc
        if response.status_code == 200:
            logger.debug("BankID %s: 200", endpoint)
            data = _json_object(response)
            if data is None:
                raise UnexpectedResponse(200, None, f"{endpoint} answered 200 without a JSON object")
            return data
        error = _error_from(response)
        logger.warning("BankID %s: %s %s", endpoint, response.status_code, error.error_code or "-")
        raise error

    @staticmethod
    def _order_started(data: Mapping[str, Any]) -> OrderStarted:
        try:
            return OrderStarted(
                order_ref=_str(data, "orderRef"),
                auto_start_token=_str(data, "autoStartToken"),
                qr_start_token=_str(data, "qrStartToken"),
                qr_start_secret=_str(data, "qrStartSecret"),
            )
        except (KeyError, TypeError) as exc:
            raise UnexpectedResponse(200, None, f"Bad start answer: {exc}") from exc

    @staticmethod
    def _phone_order_started(data: Mapping[str, Any]) -> PhoneOrderStarted:
        try:
            return PhoneOrderStarted(order_ref=_str(data, "orderRef"))
        except (KeyError, TypeError) as exc:
            raise UnexpectedResponse(200, None, f"Bad start answer: {exc}") from exc


def _add_texts(
    body: dict[str, Any],
    user_visible_data: str | None,
    user_visible_data_format: str | None,
    user_non_visible_data: bytes | str | None,
) -> None:
    if user_visible_data is not None:
        body["userVisibleData"] = _base64(user_visible_data)
    if user_visible_data_format is not None:
        body["userVisibleDataFormat"] = user_visible_data_format
    if user_non_visible_data is not None:
        body["userNonVisibleData"] = _base64(user_non_visible_data)


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _error_from(response: httpx.Response) -> BankIDError:
    data = _json_object(response) or {}
    error_code = data.get("errorCode")
    details = data.get("details")
    retry_after: float | None = None
    reset = response.headers.get("RateLimit-Reset") or response.headers.get("Retry-After")
    if reset is not None:
        try:
            retry_after = float(reset)
        except ValueError:
            retry_after = None
    return error_for(
        response.status_code,
        error_code if isinstance(error_code, str) and error_code else None,
        details if isinstance(details, str) else None,
        retry_after=retry_after,
    )


def _str(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise TypeError(f"{key} is not a non-empty string")
    return value


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{key} is not a string")
    return value


def _collect_result(data: Mapping[str, Any]) -> CollectResult:
    try:
        order_ref = _str(data, "orderRef")
        status = Status(_str(data, "status"))
        raw_hint = _optional_str(data, "hintCode")
        completion = data.get("completionData")
        if status is Status.COMPLETE:
            if not isinstance(completion, Mapping):
                raise TypeError("complete without completionData")
            completion_data: CompletionData | None = _completion_data(completion)
        else:
            completion_data = None
    except (KeyError, TypeError, ValueError) as exc:
        # The messages name fields, never values: completionData holds the personnummer.
        raise UnexpectedResponse(200, None, f"Bad collect answer: {type(exc).__name__}: {exc}") from None
    return CollectResult(
        order_ref=order_ref,
        status=status,
        hint_code=HintCode.parse(raw_hint) if raw_hint is not None else None,
        raw_hint_code=raw_hint,
        completion_data=completion_data,
    )


def _completion_data(data: Mapping[str, Any]) -> CompletionData:
    user = data["user"]
    device = data["device"]
    if not isinstance(user, Mapping) or not isinstance(device, Mapping):
        raise TypeError("user and device must be objects")
    step_up = data.get("stepUp")
    if step_up is not None and not isinstance(step_up, Mapping):
        raise TypeError("stepUp must be an object")
    issue_date = _str(data, "bankIdIssueDate")
    try:
        bank_id_issue_date = parse_issue_date(issue_date)
    except ValueError:
        raise ValueError("bankIdIssueDate is not a date") from None
    return CompletionData(
        user=User(
            personal_number=_str(user, "personalNumber"),
            name=_str(user, "name"),
            given_name=_str(user, "givenName"),
            surname=_str(user, "surname"),
        ),
        device=Device(ip_address=_str(device, "ipAddress"), uhi=_optional_str(device, "uhi")),
        bank_id_issue_date=bank_id_issue_date,
        step_up=dict(step_up) if step_up is not None else None,
        signature=_str(data, "signature"),
        ocsp_response=_str(data, "ocspResponse"),
        risk=_optional_str(data, "risk"),
        raw=dict(data),
    )
