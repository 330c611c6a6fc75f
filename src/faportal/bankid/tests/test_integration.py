"""The real client against the real simulator over mutual TLS, as the portal will use them."""

import ssl
import time

import httpx
import pytest

from faportal.bankid import errors
from faportal.bankid.client import BankIDClient, ssl_context_for
from faportal.bankid.messages import message, rfa_for_collect
from faportal.bankid.qr import qr_content, qr_time
from faportal.bankid.simulator.errors import SimulatorRefused
from faportal.bankid.types import HintCode, OrderStarted, Requirement, Status

PNR = "199001011234"


def start_qr_order(client: BankIDClient, **kwargs) -> tuple[OrderStarted, float]:
    order = client.auth("192.168.0.1", user_visible_data="Logga in i FA-portalen", **kwargs)
    # The portal stores this moment when the answer arrives (reference §1.10).
    return order, time.time()


def current_frame(order: OrderStarted, started_at: float) -> str:
    return qr_content(order.qr_start_token, order.qr_start_secret, qr_time(started_at, time.time()))


def rfa(result) -> str:
    return rfa_for_collect(result, qr=True, autostart_attempted=False, mobile=False)


def test_qr_login_from_start_to_complete(client, driver):
    order, started_at = start_qr_order(client)
    pending = client.collect(order.order_ref)
    assert (pending.status, pending.hint_code) == (Status.PENDING, HintCode.OUTSTANDING_TRANSACTION)
    assert message(rfa(pending)) == "Starta BankID-appen."

    assert driver.scan(current_frame(order, started_at)) == order.order_ref
    signing = client.collect(order.order_ref)
    assert signing.hint_code is HintCode.USER_SIGN
    assert rfa(signing) == "RFA9"

    driver.approve(order.order_ref, PNR, "Karl", "Karlsson")
    result = client.collect(order.order_ref)
    assert result.status is Status.COMPLETE
    data = result.completion_data
    assert data is not None
    assert data.user.personal_number == PNR
    assert data.user.name == "Karl Karlsson"
    assert data.device.ip_address == "192.168.0.1"
    assert data.bank_id_issue_date.isoformat() == "2024-01-01"


def test_scan_refuses_a_wrong_hmac(client, driver):
    order, started_at = start_qr_order(client)
    forged = qr_content(order.qr_start_token, "a-guessed-secret", qr_time(started_at, time.time()))
    with pytest.raises(SimulatorRefused, match="qrAuthCode"):
        driver.scan(forged)
    assert client.collect(order.order_ref).hint_code is HintCode.OUTSTANDING_TRANSACTION


def test_scan_refuses_a_stale_qr_time(client, driver):
    order, started_at = start_qr_order(client)
    stale = qr_content(order.qr_start_token, order.qr_start_secret, qr_time(started_at, time.time()) + 5)
    with pytest.raises(SimulatorRefused, match="qrTime is 5"):
        driver.scan(stale)


def test_autostart_then_approve(client, driver):
    order = client.auth("10.1.2.3")
    assert driver.open(order.auto_start_token) == order.order_ref
    started = client.collect(order.order_ref)
    assert started.hint_code is HintCode.STARTED
    assert rfa_for_collect(started, qr=False, autostart_attempted=True, mobile=True) == "RFA15B"
    driver.approve(order.order_ref, PNR, "Karl", "Karlsson")
    assert client.collect(order.order_ref).status is Status.COMPLETE


def test_sign_with_mrtd_and_risk(client, driver):
    order = client.sign(
        "10.1.2.3", "Jag intygar att uppgifterna stämmer", requirement=Requirement(mrtd=True), return_risk=True
    )
    started_at = time.time()
    driver.scan(current_frame(order, started_at))
    assert client.collect(order.order_ref).hint_code is HintCode.USER_MRTD
    driver.approve(order.order_ref, PNR, "Karl", "Karlsson")
    data = client.collect(order.order_ref).completion_data
    assert data is not None
    assert data.step_up == {"mrtd": True}
    assert data.risk == "low"


def test_phone_auth(client, driver):
    order = client.phone_auth(PNR, "RP")
    assert client.collect(order.order_ref).hint_code is HintCode.OUTSTANDING_TRANSACTION
    driver.receive(order.order_ref)
    assert client.collect(order.order_ref).hint_code is HintCode.USER_CALL_CONFIRM
    driver.confirm_call(order.order_ref)
    driver.approve(order.order_ref, PNR, "Karl", "Karlsson")
    assert client.collect(order.order_ref).status is Status.COMPLETE


def test_cancel_then_collect_and_cancel_are_invalid(client):
    order, _ = start_qr_order(client)
    client.cancel(order.order_ref)
    with pytest.raises(errors.InvalidParameters) as caught:
        client.collect(order.order_ref)
    assert caught.value.rfa is None
    with pytest.raises(errors.InvalidParameters):
        client.cancel(order.order_ref)


def test_user_cancel(client, driver):
    order, started_at = start_qr_order(client)
    driver.scan(current_frame(order, started_at))
    driver.user_cancel(order.order_ref)
    result = client.collect(order.order_ref)
    assert (result.status, result.hint_code) == (Status.FAILED, HintCode.USER_CANCEL)
    assert message(rfa(result)) == "Åtgärden avbruten."


def test_forced_certificate_error(client, driver):
    order, _ = start_qr_order(client)
    driver.fail(order.order_ref, "certificateErr")
    result = client.collect(order.order_ref)
    assert result.hint_code is HintCode.CERTIFICATE_ERR
    assert rfa(result) == "RFA16"


def test_unknown_forced_failure_is_rfa22(client, driver):
    order, _ = start_qr_order(client)
    driver.fail(order.order_ref, "somethingNew")
    result = client.collect(order.order_ref)
    assert (result.hint_code, result.raw_hint_code) == (HintCode.UNKNOWN, "somethingNew")
    assert rfa(result) == "RFA22"


def test_not_scanned_within_30_seconds_is_start_failed(client, driver):
    order, _ = start_qr_order(client)
    driver.advance(31)
    result = client.collect(order.order_ref)
    assert (result.status, result.hint_code) == (Status.FAILED, HintCode.START_FAILED)
    assert rfa(result) == "RFA17B"


def test_older_than_180_seconds_is_expired(client, driver):
    order, started_at = start_qr_order(client)
    driver.scan(current_frame(order, started_at))
    driver.advance(181)
    result = client.collect(order.order_ref)
    assert (result.status, result.hint_code) == (Status.FAILED, HintCode.EXPIRED_TRANSACTION)
    assert rfa(result) == "RFA8"


def test_injected_maintenance(client, driver):
    driver.inject_error(503, "maintenance")
    with pytest.raises(errors.Maintenance) as caught:
        client.auth("10.0.0.1")
    assert caught.value.rfa == "RFA5"
    assert caught.value.retryable
    assert message(caught.value.rfa) == "Internt tekniskt fel. Försök igen."
    # The injection is used up by one call.
    assert client.auth("10.0.0.1").order_ref


def test_injected_rate_limit_carries_the_reset_header(client, driver):
    driver.inject_error(429, "tooManyRequests")
    with pytest.raises(errors.RateLimited) as caught:
        client.collect("any")
    assert caught.value.retry_after == 1.0


def test_already_in_progress(client):
    first = client.auth("10.0.0.1", requirement=Requirement(personal_number=PNR))
    with pytest.raises(errors.AlreadyInProgress) as caught:
        client.auth("10.0.0.2", requirement=Requirement(personal_number=PNR))
    assert caught.value.rfa == "RFA4"
    assert PNR not in str(caught.value)
    result = client.collect(first.order_ref)
    assert (result.status, result.hint_code) == (Status.FAILED, HintCode.CANCELLED)
    assert rfa(result) == "RFA3"


def test_terminal_status_is_collected_once(client, driver):
    order, _ = start_qr_order(client)
    driver.user_cancel(order.order_ref)
    assert client.collect(order.order_ref).status is Status.FAILED
    with pytest.raises(errors.InvalidParameters):
        client.collect(order.order_ref)


def test_terminal_status_repeats_when_not_strict(client, driver):
    driver.set_strict(False)
    order, _ = start_qr_order(client)
    driver.user_cancel(order.order_ref)
    assert client.collect(order.order_ref).hint_code is HintCode.USER_CANCEL
    assert client.collect(order.order_ref).hint_code is HintCode.USER_CANCEL


def test_invalid_parameters_carry_details(client):
    with pytest.raises(errors.InvalidParameters) as caught:
        client.auth("not-an-ip")
    assert caught.value.details == "Invalid endUserIp"


# --- transport and HTTP rules ------------------------------------------------------------------------------------


@pytest.fixture
def raw_http(bankid_server, sim):
    paths = bankid_server.cert_paths
    context = ssl_context_for(paths.ca, paths.rp_client_cert, paths.rp_client_key)
    with httpx.Client(base_url=bankid_server.rp_base_url, verify=context, trust_env=False) as http:
        yield http


def test_client_without_a_certificate_is_refused(bankid_server, sim):
    context = ssl.create_default_context(cafile=str(bankid_server.cert_paths.ca))
    anonymous = BankIDClient(bankid_server.rp_base_url, ssl_context=context)
    with anonymous, pytest.raises(errors.BankIDUnavailable) as caught:
        anonymous.auth("10.0.0.1")
    assert caught.value.rfa == "RFA5"
    assert sim.orders() == []


def test_client_refuses_a_server_outside_its_pinned_ca(bankid_server, sim, tmp_path):
    # Trusting only another CA (here: the default system store) the simulator's certificate must fail.
    paths = bankid_server.cert_paths
    context = ssl.create_default_context()
    context.load_cert_chain(str(paths.rp_client_cert), str(paths.rp_client_key))
    misconfigured = BankIDClient(bankid_server.rp_base_url, ssl_context=context)
    with misconfigured, pytest.raises(errors.BankIDUnavailable):
        misconfigured.auth("10.0.0.1")
    assert sim.orders() == []


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "text/plain", None])
def test_wrong_content_type_is_415(raw_http, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = raw_http.post("auth", content=b'{"endUserIp":"10.0.0.1"}', headers=headers)
    assert response.status_code == 415
    assert response.json()["errorCode"] == "unsupportedMediaType"
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_are_405(raw_http, method):
    response = raw_http.request(method, "auth")
    assert response.status_code == 405
    assert response.json()["errorCode"] == "methodNotAllowed"


def test_unknown_path_is_404(raw_http):
    response = raw_http.post("payment-typo", json={})
    assert (response.status_code, response.json()["errorCode"]) == (404, "notFound")


def test_non_json_body_is_invalid_parameters(raw_http):
    response = raw_http.post("auth", content=b"endUserIp=10.0.0.1", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"errorCode": "invalidParameters", "details": "Invalid JSON"}


def test_wrong_base_url_is_not_found(bankid_server, sim):
    paths = bankid_server.cert_paths
    context = ssl_context_for(paths.ca, paths.rp_client_cert, paths.rp_client_key)
    wrong = bankid_server.rp_base_url.replace("v6.0", "v5.1")
    with BankIDClient(wrong, ssl_context=context) as client, pytest.raises(errors.NotFound):
        client.auth("10.0.0.1")


def test_connection_refused_is_unavailable(sim):
    with BankIDClient("https://127.0.0.1:9/rp/v6.0/", timeout=1) as client, pytest.raises(errors.BankIDUnavailable):
        client.collect("r")
