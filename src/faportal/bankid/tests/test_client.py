import base64
import json
import pickle
from datetime import date
from typing import Any

import httpx
import pytest

from faportal.bankid import errors
from faportal.bankid.client import BankIDClient
from faportal.bankid.types import AppData, CallInitiator, HintCode, Requirement, Status, WebData

BASE = "https://bankid.invalid/rp/v6.0/"
PNR = "199001011234"
STARTED = {
    "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
    "autoStartToken": "7c40b5c9-fa74-49cf-b98c-bfe651f9a7c6",
    "qrStartToken": "67df3917-fa0d-44e5-b327-edcc928297f8",
    "qrStartSecret": "d28db9a7-4cde-429e-a983-359be676944c",
}


class Recorder:
    """A MockTransport handler that records requests and answers with a fixed response."""

    def __init__(self, status: int = 200, body: object = None, headers: dict[str, str] | None = None):
        self.status = status
        self.body = STARTED if body is None else body
        self.headers = headers or {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        content = self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()
        headers = {"Content-Type": "application/json", **self.headers}
        return httpx.Response(self.status, content=content, headers=headers)

    @property
    def last_json(self) -> dict:
        return json.loads(self.requests[-1].content)


def make_client(recorder: Recorder, base_url: str = BASE) -> BankIDClient:
    return BankIDClient(base_url, transport=httpx.MockTransport(recorder))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# --- request bodies -----------------------------------------------------------------------------------------------


def test_auth_posts_json_with_exact_content_type_and_base64_intention():
    recorder = Recorder()
    with make_client(recorder) as client:
        started = client.auth("192.168.0.1", user_visible_data="Logga in i FA-portalen – åäö")
    request = recorder.requests[0]
    assert request.method == "POST"
    assert str(request.url) == BASE + "auth"
    assert request.headers["Content-Type"] == "application/json"
    assert recorder.last_json == {"endUserIp": "192.168.0.1", "userVisibleData": b64("Logga in i FA-portalen – åäö")}
    assert started.order_ref == STARTED["orderRef"]
    assert started.qr_start_secret == STARTED["qrStartSecret"]


def test_auth_sends_every_v6_field_in_camel_case():
    recorder = Recorder()
    with make_client(recorder) as client:
        client.auth(
            "2001:db8::1",
            user_visible_data="**Logga in**",
            user_visible_data_format="simpleMarkdownV1",
            user_non_visible_data=b"\x00\x01",
            requirement=Requirement(
                pin_code=True,
                mrtd=False,
                certificate_policies=("1.2.752.78.1.5",),
                personal_number=PNR,
                card_reader="class1",
                risk="low",
            ),
            return_url="https://portal.example/bankid/return?nonce=abc",
            return_risk=True,
            web=WebData(referring_domain="portal.example", user_agent="Firefox", device_identifier="hash"),
        )
    assert recorder.last_json == {
        "endUserIp": "2001:db8::1",
        "userVisibleData": b64("**Logga in**"),
        "userVisibleDataFormat": "simpleMarkdownV1",
        "userNonVisibleData": base64.b64encode(b"\x00\x01").decode(),
        "requirement": {
            "pinCode": True,
            "mrtd": False,
            "certificatePolicies": ["1.2.752.78.1.5"],
            "personalNumber": PNR,
            "cardReader": "class1",
            "risk": "low",
        },
        "returnUrl": "https://portal.example/bankid/return?nonce=abc",
        "returnRisk": True,
        "web": {"referringDomain": "portal.example", "userAgent": "Firefox", "deviceIdentifier": "hash"},
    }


def test_auth_leaves_out_what_is_not_set():
    recorder = Recorder()
    with make_client(recorder) as client:
        client.auth("10.0.0.1", requirement=Requirement(), app=AppData(app_identifier="se.example", device_os="iOS"))
    assert recorder.last_json == {"endUserIp": "10.0.0.1", "app": {"appIdentifier": "se.example", "deviceOS": "iOS"}}


def test_sign_requires_and_encodes_the_visible_text_and_non_visible_str():
    recorder = Recorder()
    with make_client(recorder) as client:
        client.sign("10.0.0.1", "Jag godkänner", user_non_visible_data="<xml/>")
        with pytest.raises(ValueError, match="user_visible_data"):
            client.sign("10.0.0.1", "")
    assert str(recorder.requests[0].url) == BASE + "sign"
    assert recorder.last_json == {
        "endUserIp": "10.0.0.1",
        "userVisibleData": b64("Jag godkänner"),
        "userNonVisibleData": b64("<xml/>"),
    }


def test_phone_auth_and_sign():
    recorder = Recorder(body={"orderRef": "phone-ref"})
    with make_client(recorder) as client:
        started = client.phone_auth(PNR, CallInitiator.RP, requirement=Requirement(pin_code=True))
        assert recorder.last_json == {"personalNumber": PNR, "callInitiator": "RP", "requirement": {"pinCode": True}}
        assert started.order_ref == "phone-ref"
        client.phone_sign(PNR, "user", "Jag godkänner")
    assert str(recorder.requests[1].url) == BASE + "phone/sign"
    assert recorder.last_json == {
        "personalNumber": PNR,
        "callInitiator": "user",
        "userVisibleData": b64("Jag godkänner"),
    }


def test_phone_flow_refuses_bad_initiator_and_requirements():
    with make_client(Recorder()) as client:
        with pytest.raises(ValueError, match="CallInitiator"):
            client.phone_auth(PNR, "bank")
        with pytest.raises(ValueError, match="mrtd"):
            client.phone_auth(PNR, "user", requirement=Requirement(mrtd=True))


def test_base_url_without_trailing_slash_still_reaches_the_endpoint():
    recorder = Recorder()
    with make_client(recorder, base_url=BASE.rstrip("/")) as client:
        client.auth("10.0.0.1")
    assert str(recorder.requests[0].url) == BASE + "auth"


def test_environment_proxies_and_ca_bundles_are_ignored(monkeypatch):
    # With trust_env the proxy variables would route the call away from the transport we passed in.
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/ca.pem")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem")
    recorder = Recorder()
    with make_client(recorder) as client:
        client.auth("10.0.0.1")
    assert len(recorder.requests) == 1


def test_collect_and_cancel_bodies():
    recorder = Recorder(body={"orderRef": "r", "status": "pending", "hintCode": "outstandingTransaction"})
    with make_client(recorder) as client:
        client.collect("r")
        assert recorder.last_json == {"orderRef": "r"}
        recorder.body = {}
        client.cancel("r")
    assert [str(r.url) for r in recorder.requests] == [BASE + "collect", BASE + "cancel"]


# --- collect parsing ----------------------------------------------------------------------------------------------


def collect_with(body: dict):
    with make_client(Recorder(body=body)) as client:
        return client.collect("r")


def test_collect_pending():
    result = collect_with({"orderRef": "r", "status": "pending", "hintCode": "userSign"})
    assert result.status is Status.PENDING
    assert result.hint_code is HintCode.USER_SIGN
    assert result.raw_hint_code == "userSign"
    assert result.is_pending
    assert result.completion_data is None


def test_collect_unknown_hint_code_keeps_the_raw_string():
    result = collect_with({"orderRef": "r", "status": "failed", "hintCode": "brandNewCode"})
    assert result.status is Status.FAILED
    assert result.hint_code is HintCode.UNKNOWN
    assert result.raw_hint_code == "brandNewCode"


def test_collect_hint_code_unknown_literal_is_also_unknown():
    assert collect_with({"orderRef": "r", "status": "pending", "hintCode": "unknown"}).hint_code is HintCode.UNKNOWN


COMPLETE: dict[str, Any] = {
    "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
    "status": "complete",
    "completionData": {
        "user": {"personalNumber": PNR, "name": "Karl Karlsson", "givenName": "Karl", "surname": "Karlsson"},
        "device": {"ipAddress": "192.168.0.1", "uhi": "OZvYM9VvyiAmG7NA5jU5zqGcVpo="},
        "bankIdIssueDate": "2023-11-29Z",
        "stepUp": {"mrtd": True},
        "signature": "PHNpZ25hdHVyZS8+",
        "ocspResponse": "b2NzcA==",
        "risk": "low",
    },
}


def test_collect_complete():
    result = collect_with(COMPLETE)
    data = result.completion_data
    assert result.status is Status.COMPLETE
    assert result.hint_code is None
    assert data is not None
    assert data.user.personal_number == PNR
    assert (data.user.name, data.user.given_name, data.user.surname) == ("Karl Karlsson", "Karl", "Karlsson")
    assert data.device.ip_address == "192.168.0.1"
    assert data.device.uhi == "OZvYM9VvyiAmG7NA5jU5zqGcVpo="
    assert data.bank_id_issue_date == date(2023, 11, 29)
    assert data.step_up == {"mrtd": True}
    assert data.signature == "PHNpZ25hdHVyZS8+"
    assert data.ocsp_response == "b2NzcA=="
    assert data.risk == "low"
    assert data.raw == COMPLETE["completionData"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("2020-02-01", date(2020, 2, 1)), ("2020-02-01+01:00", date(2020, 2, 1))]
)
def test_issue_date_without_z(raw, expected):
    body = json.loads(json.dumps(COMPLETE))
    body["completionData"]["bankIdIssueDate"] = raw
    del body["completionData"]["stepUp"], body["completionData"]["risk"]
    data = collect_with(body).completion_data
    assert data is not None
    assert data.bank_id_issue_date == expected
    assert data.step_up is None
    assert data.risk is None


def test_reprs_mask_the_personal_number():
    result = collect_with(COMPLETE)
    assert PNR not in repr(result)
    assert "1990********" in repr(result)
    assert PNR not in repr(Requirement(personal_number=PNR))
    assert "PHNpZ25hdHVyZS8+" not in repr(result)


def test_order_started_repr_hides_the_secret():
    with make_client(Recorder()) as client:
        started = client.auth("10.0.0.1")
    assert STARTED["qrStartSecret"] not in repr(started)
    assert STARTED["qrStartToken"] in repr(started)


@pytest.mark.parametrize(
    "body",
    [
        {"orderRef": "r", "status": "waiting"},
        {"orderRef": "r", "status": "complete"},
        {"status": "pending"},
        {"orderRef": "r", "status": "complete", "completionData": {"user": {}, "device": {}}},
        {**COMPLETE, "completionData": {**COMPLETE["completionData"], "bankIdIssueDate": "29/11/2023"}},
        ["not", "an", "object"],
    ],
)
def test_malformed_collect_answer_is_unexpected_response(body):
    with pytest.raises(errors.UnexpectedResponse) as caught:
        collect_with(body)
    assert caught.value.rfa == "RFA22"
    assert PNR not in str(caught.value)


def test_malformed_start_answer_is_unexpected_response():
    with make_client(Recorder(body={"orderRef": "r"})) as client, pytest.raises(errors.UnexpectedResponse):
        client.auth("10.0.0.1")


# --- errors -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_code", "exception", "rfa", "retryable"),
    [
        (400, "alreadyInProgress", errors.AlreadyInProgress, "RFA4", False),
        (400, "invalidParameters", errors.InvalidParameters, None, False),
        (400, "somethingNew", errors.UnknownBankIDError, "RFA22", False),
        (401, "unauthorized", errors.Unauthorized, None, False),
        (403, "unauthorized", errors.Unauthorized, None, False),
        (404, "notFound", errors.NotFound, None, False),
        (405, "methodNotAllowed", errors.MethodNotAllowed, None, False),
        (408, "requestTimeout", errors.RequestTimeout, "RFA5", False),
        (415, "unsupportedMediaType", errors.UnsupportedMediaType, None, False),
        (429, None, errors.RateLimited, "RFA5", True),
        (429, "tooManyRequests", errors.RateLimited, "RFA5", True),
        (500, "internalError", errors.InternalError, "RFA5", False),
        (503, "maintenance", errors.Maintenance, "RFA5", True),
        (500, "maintenance", errors.UnknownBankIDError, "RFA22", False),
        (418, "teapot", errors.UnknownBankIDError, "RFA22", False),
    ],
)
def test_error_mapping(status, error_code, exception, rfa, retryable):
    body = {"errorCode": error_code, "details": "Something"} if error_code else {}
    with make_client(Recorder(status=status, body=body)) as client, pytest.raises(errors.BankIDError) as caught:
        client.auth("10.0.0.1")
    error = caught.value
    assert type(error) is exception
    assert error.status_code == status
    assert error.error_code == error_code
    assert error.rfa == rfa
    assert error.retryable is retryable


@pytest.mark.parametrize(
    ("status", "exception"),
    [
        (502, errors.BankIDUnavailable),
        (504, errors.BankIDUnavailable),
        (404, errors.NotFound),
        (400, errors.UnknownBankIDError),
    ],
)
def test_error_pages_without_a_bankid_body(status, exception):
    recorder = Recorder(status=status, body=b"<html>Bad gateway</html>")
    with make_client(recorder) as client, pytest.raises(exception):
        client.collect("r")


def test_rate_limit_reset_header_is_kept():
    recorder = Recorder(status=429, body={}, headers={"RateLimit-Reset": "7"})
    with make_client(recorder) as client, pytest.raises(errors.RateLimited) as caught:
        client.collect("r")
    assert caught.value.retry_after == 7.0


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("peer closed"),
    ],
)
def test_transport_failure_is_bankid_unavailable(failure):
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure

    client = BankIDClient(BASE, transport=httpx.MockTransport(handler))
    with client, pytest.raises(errors.BankIDUnavailable) as caught:
        client.collect("r")
    assert caught.value.rfa == "RFA5"
    assert caught.value.retryable
    assert caught.value.status_code is None


def test_error_messages_and_reprs_mask_personal_numbers():
    body = {"errorCode": "invalidParameters", "details": f"Invalid personalNumber {PNR}"}
    with make_client(Recorder(status=400, body=body)) as client, pytest.raises(errors.InvalidParameters) as caught:
        client.phone_auth(PNR, "user")
    assert PNR not in str(caught.value)
    assert PNR not in repr(caught.value)
    assert PNR not in (caught.value.details or "")
    assert "1990********" in str(caught.value)


def test_errors_survive_pickling():
    error = errors.RateLimited(429, None, f"pnr {PNR}", retry_after=3.0)
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(copy) is errors.RateLimited
    assert (copy.status_code, copy.details, copy.retry_after, copy.rfa) == (429, "pnr 1990********", 3.0, "RFA5")
    assert str(copy) == str(error)
