import base64

import pytest

from faportal.bankid.simulator.errors import RpError
from faportal.bankid.simulator.validation import validate_order_ref, validate_start


def b64(data: str | bytes) -> str:
    return base64.b64encode(data.encode() if isinstance(data, str) else data).decode()


def test_valid_auth():
    request = validate_start(
        "auth",
        {
            "endUserIp": "192.168.0.1",
            "userVisibleData": b64("Logga in"),
            "requirement": {"personalNumber": "199001011234", "mrtd": True, "certificatePolicies": ["1.2.3.4.*"]},
            "returnRisk": True,
            "web": {"referringDomain": "portal.example", "userAgent": "UA", "deviceIdentifier": "x"},
        },
    )
    assert request.user_visible_data == "Logga in"
    assert request.personal_number == "199001011234"
    assert request.mrtd
    assert request.return_risk


@pytest.mark.parametrize(
    ("kind", "body", "details"),
    [
        ("auth", {}, "Missing endUserIp"),
        ("auth", {"endUserIp": "999.1.1.1"}, "Invalid endUserIp"),
        ("auth", {"endUserIp": 17}, "Invalid endUserIp"),
        ("auth", {"endUserIp": "10.0.0.1", "personalNumber": "199001011234"}, "Unknown parameter personalNumber"),
        ("auth", {"endUserIp": "10.0.0.1", "userVisibleData": "not base64!"}, "Invalid userVisibleData: not base64"),
        ("auth", {"endUserIp": "10.0.0.1", "userVisibleData": ""}, "Invalid userVisibleData"),
        ("auth", {"endUserIp": "10.0.0.1", "userVisibleData": b64("x" * 1200)}, "Invalid userVisibleData"),
        ("auth", {"endUserIp": "10.0.0.1", "userVisibleData": b64(b"\xff\xfe")}, "not UTF-8"),
        ("auth", {"endUserIp": "10.0.0.1", "userVisibleDataFormat": "html"}, "Invalid userVisibleDataFormat"),
        ("auth", {"endUserIp": "10.0.0.1", "userNonVisibleData": b64(b"x" * 150_001)}, "Invalid userNonVisibleData"),
        ("auth", {"endUserIp": "10.0.0.1", "returnUrl": "x" * 513}, "Invalid returnUrl"),
        ("auth", {"endUserIp": "10.0.0.1", "returnRisk": "yes"}, "Invalid returnRisk"),
        ("auth", {"endUserIp": "10.0.0.1", "requirement": []}, "Invalid requirement"),
        (
            "auth",
            {"endUserIp": "10.0.0.1", "requirement": {"personalNumber": "9001011234"}},
            "requirement.personalNumber",
        ),
        ("auth", {"endUserIp": "10.0.0.1", "requirement": {"pinCode": "true"}}, "Invalid requirement.pinCode"),
        ("auth", {"endUserIp": "10.0.0.1", "requirement": {"cardReader": "class3"}}, "requirement.cardReader"),
        ("auth", {"endUserIp": "10.0.0.1", "requirement": {"risk": "high"}}, "Invalid requirement.risk"),
        ("auth", {"endUserIp": "10.0.0.1", "requirement": {"certificatePolicies": ["1.*"]}}, "certificatePolicies"),
        ("auth", {"endUserIp": "10.0.0.1", "requirement": {"allowFingerprint": True}}, "requirement.allowFingerprint"),
        ("auth", {"endUserIp": "10.0.0.1", "web": {"referringDomain": "x"}}, "Invalid web.referringDomain"),
        ("auth", {"endUserIp": "10.0.0.1", "web": {"userAgent": "a", "cookie": "c"}}, "Unknown parameter web.cookie"),
        ("sign", {"endUserIp": "10.0.0.1"}, "Missing userVisibleData"),
        ("phone/auth", {"callInitiator": "user"}, "Missing personalNumber"),
        ("phone/auth", {"personalNumber": "19900101-1234", "callInitiator": "user"}, "Invalid personalNumber"),
        ("phone/auth", {"personalNumber": "199001011234", "callInitiator": "bank"}, "Invalid callInitiator"),
        ("phone/auth", {"personalNumber": "199001011234", "callInitiator": "RP", "endUserIp": "10.0.0.1"}, "endUserIp"),
        (
            "phone/auth",
            {"personalNumber": "199001011234", "callInitiator": "RP", "requirement": {"mrtd": True}},
            "Unknown parameter requirement.mrtd",
        ),
        ("phone/sign", {"personalNumber": "199001011234", "callInitiator": "RP"}, "Missing userVisibleData"),
    ],
)
def test_invalid_start_bodies(kind, body, details):
    with pytest.raises(RpError) as caught:
        validate_start(kind, body)
    assert caught.value.status == 400
    assert caught.value.error_code == "invalidParameters"
    assert details in caught.value.details


def test_sign_accepts_long_text():
    request = validate_start("sign", {"endUserIp": "10.0.0.1", "userVisibleData": b64("x" * 29_000)})
    assert request.user_visible_data == "x" * 29_000


@pytest.mark.parametrize(
    ("body", "details"),
    [({}, "Missing orderRef"), ({"orderRef": 1}, "Invalid orderRef"), ({"orderRef": "a", "x": 1}, "x")],
)
def test_invalid_order_ref_bodies(body, details):
    with pytest.raises(RpError, match=details):
        validate_order_ref(body)
