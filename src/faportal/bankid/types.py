"""Typed requests and results of the BankID RP API v6.0 (reference §1.3–§1.7)."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from faportal.core.privacy import mask_personal_number


class Status(enum.StrEnum):
    """The ``status`` of a collected order."""

    PENDING = "pending"
    FAILED = "failed"
    COMPLETE = "complete"


class HintCode(enum.StrEnum):
    """The ``hintCode`` of a pending or failed order; BankID may add codes without notice, hence ``UNKNOWN``."""

    # pending
    OUTSTANDING_TRANSACTION = "outstandingTransaction"
    NO_CLIENT = "noClient"
    STARTED = "started"
    USER_MRTD = "userMrtd"
    USER_CALL_CONFIRM = "userCallConfirm"
    USER_SIGN = "userSign"
    # failed
    EXPIRED_TRANSACTION = "expiredTransaction"
    CERTIFICATE_ERR = "certificateErr"
    USER_CANCEL = "userCancel"
    CANCELLED = "cancelled"
    START_FAILED = "startFailed"
    USER_DECLINED_CALL = "userDeclinedCall"
    NOT_SUPPORTED_BY_USER_APP = "notSupportedByUserApp"
    TRANSACTION_RISK_BLOCKED = "transactionRiskBlocked"
    # Our fallback; never sent by BankID. The raw string is kept in CollectResult.raw_hint_code.
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, raw: str) -> HintCode:
        """Maps a raw hint code to the enum, unknown codes to ``UNKNOWN``."""
        try:
            code = cls(raw)
        except ValueError:
            return cls.UNKNOWN
        return cls.UNKNOWN if code is cls.UNKNOWN else code


class CallInitiator(enum.StrEnum):
    """Who called whom in the phone flow (``callInitiator``)."""

    USER = "user"
    RP = "RP"


@dataclass(frozen=True)
class Requirement:
    """The ``requirement`` object of a start request (reference §1.4)."""

    pin_code: bool | None = None
    mrtd: bool | None = None
    certificate_policies: tuple[str, ...] | None = None
    personal_number: str | None = field(default=None, repr=False)
    card_reader: str | None = None
    risk: str | None = None

    def __repr__(self) -> str:
        pnr = mask_personal_number(self.personal_number) if self.personal_number else None
        return (
            f"Requirement(pin_code={self.pin_code!r}, mrtd={self.mrtd!r}, "
            f"certificate_policies={self.certificate_policies!r}, personal_number={pnr!r}, "
            f"card_reader={self.card_reader!r}, risk={self.risk!r})"
        )

    def to_json(self) -> dict[str, Any]:
        """The camelCase JSON object, without the keys that are not set."""
        body: dict[str, Any] = {
            "pinCode": self.pin_code,
            "mrtd": self.mrtd,
            "certificatePolicies": list(self.certificate_policies) if self.certificate_policies is not None else None,
            "personalNumber": self.personal_number,
            "cardReader": self.card_reader,
            "risk": self.risk,
        }
        return {key: value for key, value in body.items() if value is not None}


@dataclass(frozen=True)
class WebData:
    """Device data of a browser flow (``web``), which feeds BankID's risk assessment."""

    referring_domain: str | None = None
    user_agent: str | None = None
    device_identifier: str | None = None

    def to_json(self) -> dict[str, str]:
        """The camelCase JSON object, without the keys that are not set."""
        body = {
            "referringDomain": self.referring_domain,
            "userAgent": self.user_agent,
            "deviceIdentifier": self.device_identifier,
        }
        return {key: value for key, value in body.items() if value is not None}


@dataclass(frozen=True)
class AppData:
    """Device data of a native-app flow (``app``)."""

    app_identifier: str | None = None
    device_os: str | None = None
    device_model_name: str | None = None
    device_identifier: str | None = None

    def to_json(self) -> dict[str, str]:
        """The camelCase JSON object, without the keys that are not set."""
        body = {
            "appIdentifier": self.app_identifier,
            "deviceOS": self.device_os,
            "deviceModelName": self.device_model_name,
            "deviceIdentifier": self.device_identifier,
        }
        return {key: value for key, value in body.items() if value is not None}


@dataclass(frozen=True)
class OrderStarted:
    """The answer to ``/auth`` and ``/sign``; the secret stays server-side and out of reprs and logs."""

    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str = field(repr=False)


@dataclass(frozen=True)
class PhoneOrderStarted:
    """The answer to ``/phone/auth`` and ``/phone/sign``."""

    order_ref: str


@dataclass(frozen=True)
class User:
    """``completionData.user``."""

    personal_number: str = field(repr=False)
    name: str
    given_name: str
    surname: str

    def __repr__(self) -> str:
        return (
            f"User(personal_number={mask_personal_number(self.personal_number)!r}, name={self.name!r}, "
            f"given_name={self.given_name!r}, surname={self.surname!r})"
        )


@dataclass(frozen=True)
class Device:
    """``completionData.device``: the user agent's IP address as BankID saw it and a hardware id."""

    ip_address: str
    uhi: str | None = None


@dataclass(frozen=True)
class CompletionData:
    """``completionData`` of a complete order; ``raw`` is the JSON as received, to keep for audit."""

    user: User
    device: Device
    bank_id_issue_date: date
    step_up: Mapping[str, Any] | None = field(default=None, hash=False)
    signature: str = field(default="", repr=False)
    ocsp_response: str = field(default="", repr=False)
    risk: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)


@dataclass(frozen=True)
class CollectResult:
    """The answer to ``/collect``."""

    order_ref: str
    status: Status
    hint_code: HintCode | None = None
    raw_hint_code: str | None = None
    completion_data: CompletionData | None = None

    @property
    def is_pending(self) -> bool:
        """True while the caller should keep collecting (every 2 s)."""
        return self.status is Status.PENDING


_ISSUE_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:?\d{2})?$")


def parse_issue_date(value: str) -> date:
    """Parses ``bankIdIssueDate``, accepting both "2023-11-29" and the real-world "2023-11-29Z" (reference §1.7)."""
    match = _ISSUE_DATE_RE.match(value.strip())
    if match is None:
        raise ValueError(f"Not a BankID issue date: {value!r}")
    return date.fromisoformat(match.group(1))
