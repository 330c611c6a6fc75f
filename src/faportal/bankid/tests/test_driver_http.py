"""The driver listener: its JSON API through SimulatorDriver, the demo page and its forms."""

import json
import logging
import re
import time

import httpx
import pytest

from faportal.bankid.qr import qr_content, qr_time
from faportal.bankid.simulator.driver import SimulatorDriver
from faportal.bankid.simulator.errors import SimulatorRefused, UnknownOrder
from faportal.bankid.types import Requirement

PNR = "199001011234"


@pytest.fixture
def page(bankid_server, sim):
    with httpx.Client(base_url=bankid_server.driver_url, trust_env=False) as http:
        yield http


def write_identities(path, identities):
    path.write_text(json.dumps(identities), encoding="utf-8")


def test_orders_list_state_but_never_the_secret(client, driver, page):
    order = client.auth("10.0.0.1", user_visible_data="Logga in")
    listed = driver.orders()
    assert [o["orderRef"] for o in listed] == [order.order_ref]
    assert listed[0]["hintCode"] == "outstandingTransaction"
    assert listed[0]["userVisibleData"] == "Logga in"
    assert order.qr_start_secret not in page.get("/driver/orders").text
    assert order.qr_start_secret not in page.get("/").text
    assert order.qr_start_secret not in page.get("/frames").text


def test_driver_errors_are_clear(client, driver):
    with pytest.raises(UnknownOrder, match="No such order"):
        driver.user_cancel("no-such-order")
    order = client.auth("10.0.0.1")
    with pytest.raises(SimulatorRefused, match="scan its QR code or open it") as caught:
        driver.approve(order.order_ref, PNR, "Karl", "Karlsson")
    assert caught.value.status == 400
    with pytest.raises(SimulatorRefused, match="Missing qr"):
        driver.scan("")
    with pytest.raises(SimulatorRefused, match="must be a number"):
        driver._post("advance", {"seconds": "ten"})


def test_approve_refuses_a_mismatching_required_personal_number(client, driver):
    order = client.auth("10.0.0.1", requirement=Requirement(personal_number=PNR))
    driver.open(order.auto_start_token)
    with pytest.raises(SimulatorRefused, match=r"personnummer in its requirement \(1990\*{8}\)"):
        driver.approve(order.order_ref, "198002022222", "Eva", "Svensson")


def test_driver_json_needs_json(page):
    response = page.post("/driver/reset", content=b"", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert page.post("/driver/nope", json={}).status_code == 404
    assert page.get("/driver/reset").status_code == 405


def test_set_hint_and_reset_through_the_driver(client, driver):
    order = client.auth("10.0.0.1")
    driver.set_hint(order.order_ref, "noClient")
    assert client.collect(order.order_ref).raw_hint_code == "noClient"
    driver.advance(12.5)
    driver.reset()
    assert driver.orders() == []


# --- the demo page ------------------------------------------------------------------------------------------------


def test_demo_page_lists_a_pending_order_with_its_live_qr(client, page):
    order = client.auth("10.0.0.1", user_visible_data="Logga in i FA-portalen")
    response = page.get("/")
    html = response.text
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="sv">' in html
    assert "<h1>Simulerad BankID-app</h1>" in html
    assert "Logga in i FA-portalen" in html
    assert f'id="qr-{order.order_ref}"' in html
    assert "<svg" in html
    assert "Skanna QR-koden" in html
    assert "Öppna med autostart" in html
    assert "Avbryt" in html
    assert "certificateErr" in html
    found = re.search(r"script-src 'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert found is not None
    nonce = found.group(1)
    assert f'<script nonce="{nonce}">' in html
    frames = page.get("/frames").json()
    assert order.order_ref in frames["frames"]
    assert frames["version"] >= 1


def test_every_form_control_has_a_label(client, driver, page, identities_file):
    write_identities(identities_file, [{"personalNumber": PNR, "givenName": "Karl", "surname": "Karlsson"}])
    order = client.auth("10.0.0.1")
    driver.open(order.auto_start_token)
    client.auth("10.0.0.2")
    html = page.get("/").text
    visible_inputs = re.findall(r'<(?:input|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)
    assert visible_inputs
    for control_id in visible_inputs:
        assert f'<label for="{control_id}">' in html
    assert not re.search(r'<(?:input|select)(?![^>]*type="hidden")(?![^>]*\bid=)[^>]*>', html)


def test_identities_file_is_read_on_each_view(client, driver, page, identities_file):
    order = client.auth("10.0.0.1")
    driver.open(order.auto_start_token)
    assert "Godkänn som Karl" not in page.get("/").text
    write_identities(
        identities_file,
        [
            {"personalNumber": PNR, "givenName": "Karl", "surname": "Karlsson", "label": "Karl (handledare)"},
            {"personalNumber": "bad", "givenName": "X", "surname": "Y"},
        ],
    )
    html = page.get("/").text
    assert "Godkänn som Karl (handledare)" in html
    assert "1 poster" in html


def test_scan_and_approve_with_the_page_forms(client, page, identities_file):
    write_identities(identities_file, [{"personalNumber": PNR, "givenName": "Karl", "surname": "Karlsson"}])
    order = client.auth("10.0.0.1")
    response = page.post("/ui/scan", data={"orderRef": order.order_ref, "next": "/"})
    assert response.status_code == 303
    assert "meddelande=" in response.headers["Location"]
    assert client.collect(order.order_ref).raw_hint_code == "userSign"
    assert "Godkänn som Karl Karlsson" in page.get("/").text
    page.post("/ui/approve", data={"orderRef": order.order_ref, "identity": PNR})
    result = client.collect(order.order_ref)
    assert result.completion_data is not None
    assert result.completion_data.user.name == "Karl Karlsson"


def test_a_phone_order_is_opened_confirmed_and_approved_with_the_page_forms(client, page, identities_file):
    write_identities(identities_file, [{"personalNumber": PNR, "givenName": "Karl", "surname": "Karlsson"}])
    order = client.phone_auth(PNR, "user")
    shown = page.get("/").text
    assert "Öppna BankID-appen (samtalet pågår)" in shown
    assert "Skanna QR-koden" not in shown  # a phone order has no QR code
    assert client.collect(order.order_ref).raw_hint_code == "outstandingTransaction"
    page.post("/ui/receive", data={"orderRef": order.order_ref, "next": "/"})
    assert client.collect(order.order_ref).raw_hint_code == "userCallConfirm"
    page.post("/ui/confirm_call", data={"orderRef": order.order_ref, "next": "/"})
    assert client.collect(order.order_ref).raw_hint_code == "userSign"
    page.post("/ui/approve", data={"orderRef": order.order_ref, "identity": PNR})
    assert client.collect(order.order_ref).completion_data is not None


def test_approve_by_hand_typed_identity(client, page):
    order = client.auth("10.0.0.1")
    page.post("/ui/open", data={"orderRef": order.order_ref})
    response = page.post(
        "/ui/approve",
        data={"orderRef": order.order_ref, "personalNumber": "19900101-1239", "givenName": "Eva", "surname": "Ek"},
    )
    assert response.status_code == 303
    data = client.collect(order.order_ref).completion_data
    assert data is not None
    assert (data.user.personal_number, data.user.name) == ("199001011239", "Eva Ek")


def status_message(page, response):
    """The message the page shows after a form post (in its status region)."""
    shown = page.get(response.headers["Location"]).text
    found = re.search(r'<div role="status" id="status">([^<]*)</div>', shown)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            {"personalNumber": "19900101-1234", "givenName": "Eva", "surname": "Ek"},
            "Ordern är inte godkänd. Personnumret är inte giltigt: kontrollsiffran (den sista siffran) stämmer inte.",
        ),
        (
            {"personalNumber": "19901301-1234", "givenName": "Eva", "surname": "Ek"},
            "Ordern är inte godkänd. Personnumret innehåller inget giltigt födelsedatum.",
        ),
        (
            {"personalNumber": "20300101-1232", "givenName": "Eva", "surname": "Ek"},
            "Ordern är inte godkänd. Personnumret har ett födelsedatum i framtiden: ingen har fått det ännu.",
        ),
        (
            {"personalNumber": "900101-1239", "givenName": "Eva", "surname": "Ek"},
            "Ordern är inte godkänd. Skriv personnumret med 12 siffror: ÅÅÅÅMMDD-NNNN.",
        ),
        (
            {"personalNumber": "199001011239", "givenName": "Eva", "surname": " "},
            "Ordern är inte godkänd. Skriv både förnamn och efternamn.",
        ),
    ],
)
def test_a_typed_identity_that_bankid_could_not_have_is_not_approved(client, page, typed, message):
    order = client.auth("10.0.0.1")
    page.post("/ui/open", data={"orderRef": order.order_ref})
    response = page.post("/ui/approve", data={"orderRef": order.order_ref, "next": "/", **typed})
    assert response.status_code == 303
    assert status_message(page, response) == message
    assert "1234" not in response.headers["Location"]  # the typed number is not echoed into the address
    result = client.collect(order.order_ref)
    assert result.status.value == "pending"
    assert result.completion_data is None
    # The order is still there to approve with a valid identity.
    assert "Godkänn som en annan person" in page.get("/").text


def test_the_driver_still_approves_any_twelve_digits_for_tests_of_the_portal(client, driver):
    order = client.auth("10.0.0.1")
    driver.open(order.auto_start_token)
    driver.approve(order.order_ref, PNR, "Karl", "Karlsson")  # a wrong check digit: the portal must refuse it
    data = client.collect(order.order_ref).completion_data
    assert data is not None
    assert data.user.personal_number == PNR


def test_refused_page_action_shows_the_reason(client, page):
    order = client.auth("10.0.0.1")
    typed = {"personalNumber": "199001011239", "givenName": "Eva", "surname": "Ek"}
    response = page.post("/ui/approve", data={"orderRef": order.order_ref, **typed})  # not scanned or opened yet
    assert "Gick+inte" in response.headers["Location"]
    assert "Gick inte" in page.get(response.headers["Location"]).text


def test_fail_and_cancel_with_the_page_forms(client, page):
    first, second = client.auth("10.0.0.1"), client.auth("10.0.0.2")
    page.post("/ui/fail", data={"orderRef": first.order_ref, "hintCode": "certificateErr"})
    page.post("/ui/cancel", data={"orderRef": second.order_ref})
    assert client.collect(first.order_ref).raw_hint_code == "certificateErr"
    assert client.collect(second.order_ref).raw_hint_code == "userCancel"


def test_cross_site_form_posts_are_refused(client, page):
    order = client.auth("10.0.0.1")
    response = page.post("/ui/scan", data={"orderRef": order.order_ref}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert client.collect(order.order_ref).raw_hint_code == "outstandingTransaction"


def test_open_page_opens_the_order_and_offers_approval(client, page, identities_file):
    write_identities(identities_file, [{"personalNumber": PNR, "givenName": "Karl", "surname": "Karlsson"}])
    order = client.auth("10.0.0.1", return_url="https://portal.example/bankid/klar?nonce=n1")
    response = page.get("/open", params={"autostarttoken": order.auto_start_token})
    assert response.status_code == 200
    assert "Godkänn som Karl Karlsson" in response.text
    assert client.collect(order.order_ref).raw_hint_code == "started"
    # Reloading the page is harmless.
    assert page.get("/open", params={"autostarttoken": order.auto_start_token}).status_code == 200
    back = page.post(
        "/ui/approve",
        data={"orderRef": order.order_ref, "identity": PNR, "next": f"/open?autostarttoken={order.auto_start_token}"},
    )
    # Like the app on the same device: back to the service's returnUrl.
    assert back.status_code == 303
    assert back.headers["Location"] == "https://portal.example/bankid/klar?nonce=n1"
    assert client.collect(order.order_ref).completion_data is not None


def test_open_page_for_an_unknown_token(page):
    response = page.get("/open", params={"autostarttoken": "nope"})
    assert response.status_code == 404
    assert "Ingen order har den här autostarttoken" in response.text


def test_personal_numbers_stay_out_of_the_log(page, caplog):
    with caplog.at_level(logging.INFO, logger="faportal.bankid.simulator"):
        page.get("/driver/orders", params={"pnr": PNR})
        deadline = time.monotonic() + 2
        while not caplog.records and time.monotonic() < deadline:
            time.sleep(0.01)
    assert caplog.records
    assert PNR not in caplog.text
    assert "1990********" in caplog.text


def test_scanning_the_frame_shown_by_the_page_through_the_driver(client, driver):
    # What a browser test of the portal does: read the QR content the portal rendered, and scan it.
    order = client.auth("10.0.0.1")
    started_at = time.time()
    shown = qr_content(order.qr_start_token, order.qr_start_secret, qr_time(started_at, time.time()))
    assert driver.scan(shown) == order.order_ref


def test_driver_over_its_own_url(bankid_server, sim):
    with SimulatorDriver(bankid_server.driver_url.rstrip("/")) as driver:
        assert driver.orders() == []
