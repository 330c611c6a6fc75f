"""Validation of RP API request bodies as BankID does it (reference §1.3–§1.5 and §2.1).

Stricter than BankID in one respect: unknown fields are refused, so that a typo or a v5-era field such as a
top-level ``personalNumber`` in ``/auth`` fails in development instead of being silently ignored.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from faportal.bankid.simulator.errors import RpError, invalid_parameters

AUTH_VISIBLE_MAX = 1_500
SIGN_VISIBLE_MAX = 40_000
NON_VISIBLE_MAX = 200_000
RETURN_URL_MAX = 512

_PERSONAL_NUMBER_RE = re.compile(r"^\d{12}$")
_POLICY_RE = re.compile(r"^[0-9]+(\.([0-9]+|\*))*$")
_START_FIELDS = {
    "endUserIp",
    "requirement",
    "userVisibleData",
    "userVisibleDataFormat",
    "userNonVisibleData",
    "returnUrl",
    "returnRisk",
    "web",
    "app",
}
_PHONE_FIELDS = {
    "personalNumber",
    "callInitiator",
    "requirement",
    "userVisibleData",
    "userVisibleDataFormat",
    "userNonVisibleData",
}
_REQUIREMENT_FIELDS = {"pinCode", "mrtd", "certificatePolicies", "personalNumber", "cardReader", "risk"}
_PHONE_REQUIREMENT_FIELDS = {"pinCode", "certificatePolicies"}
_WEB_LIMITS = {"referringDomain": (3, 253), "userAgent": (1, 256), "deviceIdentifier": (1, 64)}
_APP_LIMITS = {
    "appIdentifier": (1, 256),
    "deviceOS": (1, 256),
    "deviceModelName": (1, 256),
    "deviceIdentifier": (1, 64),
}


@dataclass(frozen=True)
class StartRequest:
    """A validated ``/auth``, ``/sign``, ``/phone/auth`` or ``/phone/sign`` body."""

    kind: str
    end_user_ip: str | None = None
    personal_number: str | None = field(default=None, repr=False)  # requirement.personalNumber or the phone one
    call_initiator: str | None = None
    requirement: dict[str, Any] = field(default_factory=dict, repr=False)
    user_visible_data: str | None = None  # decoded text
    user_visible_data_format: str | None = None
    has_non_visible_data: bool = False
    return_url: str | None = None
    return_risk: bool = False
    web: dict[str, str] | None = None
    app: dict[str, str] | None = None

    @property
    def mrtd(self) -> bool:
        """True if the order requires an ID document scan."""
        return bool(self.requirement.get("mrtd"))

    @property
    def is_phone(self) -> bool:
        """True for the phone flow."""
        return self.kind.startswith("phone/")


def validate_start(kind: str, body: dict[str, Any]) -> StartRequest:
    """Validates a start body for ``kind`` ("auth", "sign", "phone/auth" or "phone/sign") or raises RpError."""
    phone = kind.startswith("phone/")
    signing = kind.endswith("sign")
    _refuse_unknown(body, _PHONE_FIELDS if phone else _START_FIELDS, "")

    visible = _base64_text(body, "userVisibleData", SIGN_VISIBLE_MAX if signing else AUTH_VISIBLE_MAX, signing)
    visible_format = body.get("userVisibleDataFormat")
    if visible_format is not None and visible_format != "simpleMarkdownV1":
        raise invalid_parameters("Invalid userVisibleDataFormat")
    non_visible = _base64_bytes(body, "userNonVisibleData", NON_VISIBLE_MAX)
    requirement = _requirement(body.get("requirement"), phone=phone)

    if phone:
        personal_number = body.get("personalNumber")
        if personal_number is None:
            raise invalid_parameters("Missing personalNumber")
        if not isinstance(personal_number, str) or not _PERSONAL_NUMBER_RE.match(personal_number):
            raise invalid_parameters("Invalid personalNumber")
        call_initiator = body.get("callInitiator")
        if call_initiator not in ("user", "RP"):
            raise invalid_parameters("Invalid callInitiator")
        return StartRequest(
            kind=kind,
            personal_number=personal_number,
            call_initiator=call_initiator,
            requirement=requirement,
            user_visible_data=visible,
            user_visible_data_format=visible_format,
            has_non_visible_data=non_visible is not None,
        )

    end_user_ip = body.get("endUserIp")
    if end_user_ip is None:
        raise invalid_parameters("Missing endUserIp")
    if not isinstance(end_user_ip, str):
        raise invalid_parameters("Invalid endUserIp")
    try:
        ipaddress.ip_address(end_user_ip)
    except ValueError:
        raise invalid_parameters("Invalid endUserIp") from None
    return_url = body.get("returnUrl")
    if return_url is not None and (not isinstance(return_url, str) or not 1 <= len(return_url) <= RETURN_URL_MAX):
        raise invalid_parameters("Invalid returnUrl")
    return_risk = body.get("returnRisk", False)
    if not isinstance(return_risk, bool):
        raise invalid_parameters("Invalid returnRisk")
    return StartRequest(
        kind=kind,
        end_user_ip=end_user_ip,
        personal_number=requirement.get("personalNumber"),
        requirement=requirement,
        user_visible_data=visible,
        user_visible_data_format=visible_format,
        has_non_visible_data=non_visible is not None,
        return_url=return_url,
        return_risk=return_risk,
        web=_device_data(body.get("web"), "web", _WEB_LIMITS),
        app=_device_data(body.get("app"), "app", _APP_LIMITS),
    )


def validate_order_ref(body: dict[str, Any]) -> str:
    """Validates a ``/collect`` or ``/cancel`` body and returns its orderRef, or raises RpError."""
    _refuse_unknown(body, {"orderRef"}, "")
    order_ref = body.get("orderRef")
    if order_ref is None:
        raise invalid_parameters("Missing orderRef")
    if not isinstance(order_ref, str) or not order_ref:
        raise invalid_parameters("Invalid orderRef")
    return order_ref


def _refuse_unknown(body: dict[str, Any], allowed: set[str], prefix: str) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise invalid_parameters(f"Unknown parameter {prefix}{unknown[0]}")


def _base64_bytes(body: dict[str, Any], key: str, max_length: int) -> bytes | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= max_length:
        raise invalid_parameters(f"Invalid {key}")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise invalid_parameters(f"Invalid {key}: not base64") from None


def _base64_text(body: dict[str, Any], key: str, max_length: int, required: bool) -> str | None:
    raw = _base64_bytes(body, key, max_length)
    if raw is None:
        if required:
            raise invalid_parameters(f"Missing {key}")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid_parameters(f"Invalid {key}: not UTF-8") from None


def _requirement(value: Any, *, phone: bool) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_parameters("Invalid requirement")
    _refuse_unknown(value, _PHONE_REQUIREMENT_FIELDS if phone else _REQUIREMENT_FIELDS, "requirement.")
    for key in ("pinCode", "mrtd"):
        if key in value and not isinstance(value[key], bool):
            raise invalid_parameters(f"Invalid requirement.{key}")
    if "certificatePolicies" in value:
        policies = value["certificatePolicies"]
        if (
            not isinstance(policies, list)
            or not policies
            or not all(isinstance(p, str) and _valid_policy(p) for p in policies)
        ):
            raise invalid_parameters("Invalid requirement.certificatePolicies")
    if "personalNumber" in value and (
        not isinstance(value["personalNumber"], str) or not _PERSONAL_NUMBER_RE.match(value["personalNumber"])
    ):
        raise invalid_parameters("Invalid requirement.personalNumber")
    if "cardReader" in value and value["cardReader"] not in ("class1", "class2"):
        raise invalid_parameters("Invalid requirement.cardReader")
    if "risk" in value and value["risk"] not in ("low", "moderate"):
        raise invalid_parameters("Invalid requirement.risk")
    return dict(value)


def _valid_policy(policy: str) -> bool:
    # One "*" wildcard is allowed, from the fifth component on (reference §1.4).
    if not _POLICY_RE.match(policy):
        return False
    parts = policy.split(".")
    wildcards = [index for index, part in enumerate(parts) if part == "*"]
    return not wildcards or (len(wildcards) == 1 and wildcards[0] >= 4)


def _device_data(value: Any, key: str, limits: dict[str, tuple[int, int]]) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_parameters(f"Invalid {key}")
    _refuse_unknown(value, set(limits), f"{key}.")
    for name, item in value.items():
        low, high = limits[name]
        if not isinstance(item, str) or not low <= len(item) <= high:
            raise invalid_parameters(f"Invalid {key}.{name}")
    return dict(value)


def ensure_object(body: Any) -> dict[str, Any]:
    """The request body as a JSON object, or RpError."""
    if not isinstance(body, dict):
        raise invalid_parameters("The body must be a JSON object")
    return body


__all__ = ["RpError", "StartRequest", "ensure_object", "validate_order_ref", "validate_start"]
