"""The simulator's state machine, driven directly with a hand-moved clock (no HTTP)."""

import base64
import threading

import pytest

from faportal.bankid.qr import qr_content
from faportal.bankid.simulator.errors import RpError, SimulatorRefused, UnknownOrder
from faportal.bankid.simulator.state import Simulator, VirtualClock
from faportal.bankid.simulator.validation import validate_start

RP = "rp-1"
PNR = "199001011234"
OTHER_PNR = "198002022222"


class Hand:
    """A clock source that only moves when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def hand() -> Hand:
    return Hand()


@pytest.fixture
def state(hand: Hand) -> Simulator:
    return Simulator(clock=VirtualClock(hand))


def start(state: Simulator, kind: str = "auth", **fields) -> dict:
    body = {"endUserIp": "192.168.0.1", **fields} if not kind.startswith("phone/") else fields
    if kind.endswith("sign") and "userVisibleData" not in body:
        body["userVisibleData"] = base64.b64encode(b"Jag godkanner").decode()
    return state.start_order(validate_start(kind, body), RP)


def frame(order: dict, qr_time: int) -> str:
    return qr_content(order["qrStartToken"], order["qrStartSecret"], qr_time)


def hint(state: Simulator, order_ref: str) -> tuple[str, str | None]:
    answer = state.collect(order_ref, RP)
    return answer["status"], answer.get("hintCode")


def test_qr_flow_to_complete(state, hand):
    order = start(state)
    assert hint(state, order["orderRef"]) == ("pending", "outstandingTransaction")
    hand.now += 3.4
    assert state.scan(frame(order, 3)) == order["orderRef"]
    assert hint(state, order["orderRef"]) == ("pending", "userSign")
    state.approve(order["orderRef"], personal_number=PNR, given_name="Karl", surname="Karlsson")
    answer = state.collect(order["orderRef"], RP)
    assert answer["status"] == "complete"
    data = answer["completionData"]
    assert data["user"] == {"personalNumber": PNR, "name": "Karl Karlsson", "givenName": "Karl", "surname": "Karlsson"}
    assert data["device"]["ipAddress"] == "192.168.0.1"
    assert data["bankIdIssueDate"] == "2024-01-01Z"
    assert base64.b64decode(data["signature"]).startswith(b"<?xml")
    assert base64.b64decode(data["ocspResponse"])
    assert "stepUp" not in data
    assert "risk" not in data


@pytest.mark.parametrize(
    ("age", "qr_time", "accepted"), [(5.5, 5, True), (5.5, 3, False), (5.5, 8, False), (0.2, 2, True)]
)
def test_scan_accepts_qr_time_within_two_seconds(state, hand, age, qr_time, accepted):
    order = start(state)
    hand.now += age
    if accepted:
        state.scan(frame(order, qr_time))
    else:
        with pytest.raises(SimulatorRefused, match="Stale or future QR code"):
            state.scan(frame(order, qr_time))


def test_scan_refuses_a_wrong_hmac_and_garbage(state):
    order = start(state)
    wrong = qr_content(order["qrStartToken"], "not-the-secret", 0)
    with pytest.raises(SimulatorRefused, match="qrAuthCode"):
        state.scan(wrong)
    with pytest.raises(SimulatorRefused, match="Not a BankID QR code"):
        state.scan("bankid.x.01.abc")
    with pytest.raises(UnknownOrder):
        state.scan(qr_content("unknown-token", order["qrStartSecret"], 0))


def test_scan_twice_is_refused(state):
    order = start(state)
    state.scan(frame(order, 0))
    with pytest.raises(SimulatorRefused, match="already in the app"):
        state.scan(frame(order, 0))


def test_autostart_flow(state):
    order = start(state)
    assert state.open(order["autoStartToken"]) == order["orderRef"]
    assert hint(state, order["orderRef"]) == ("pending", "started")
    state.pick(order["orderRef"])
    assert hint(state, order["orderRef"]) == ("pending", "userSign")
    with pytest.raises(SimulatorRefused):
        state.pick(order["orderRef"])


def test_approve_from_started_picks_implicitly(state):
    order = start(state)
    state.open(order["autoStartToken"])
    state.approve(order["orderRef"], personal_number=PNR, given_name="A", surname="B")
    assert state.collect(order["orderRef"], RP)["status"] == "complete"


def test_approve_needs_the_app_to_have_the_order(state):
    order = start(state)
    with pytest.raises(SimulatorRefused, match="scan its QR code or open it"):
        state.approve(order["orderRef"], personal_number=PNR, given_name="A", surname="B")


def test_approve_refuses_another_person_than_required(state):
    order = start(state, requirement={"personalNumber": PNR})
    state.scan(frame(order, 0))
    with pytest.raises(SimulatorRefused, match="1990") as caught:
        state.approve(order["orderRef"], personal_number=OTHER_PNR, given_name="A", surname="B")
    assert PNR not in str(caught.value)
    state.approve(order["orderRef"], personal_number=PNR, given_name="A", surname="B")


def test_approve_validates_its_input(state):
    order = start(state)
    state.scan(frame(order, 0))
    with pytest.raises(SimulatorRefused, match="12 digits"):
        state.approve(order["orderRef"], personal_number="9001011234", given_name="A", surname="B")
    with pytest.raises(SimulatorRefused, match="givenName"):
        state.approve(order["orderRef"], personal_number=PNR, given_name=" ", surname="B")
    with pytest.raises(UnknownOrder):
        state.approve("nope", personal_number=PNR, given_name="A", surname="B")


def test_mrtd_goes_through_user_mrtd_and_returns_step_up(state):
    order = start(state, requirement={"mrtd": True}, returnRisk=True)
    state.scan(frame(order, 0))
    assert hint(state, order["orderRef"]) == ("pending", "userMrtd")
    state.approve(order["orderRef"], personal_number=PNR, given_name="A", surname="B", risk="moderate")
    data = state.collect(order["orderRef"], RP)["completionData"]
    assert data["stepUp"] == {"mrtd": True}
    assert data["risk"] == "moderate"


def test_risk_above_the_requirement_blocks(state):
    order = start(state, requirement={"risk": "low"})
    state.scan(frame(order, 0))
    state.approve(order["orderRef"], personal_number=PNR, given_name="A", surname="B", risk="moderate")
    assert hint(state, order["orderRef"]) == ("failed", "transactionRiskBlocked")


def test_user_cancel_and_forced_failures(state):
    first, second, third = start(state), start(state), start(state)
    state.user_cancel(first["orderRef"])
    state.fail(second["orderRef"], "certificateErr")
    state.fail(third["orderRef"], "someFutureCode")
    assert hint(state, first["orderRef"]) == ("failed", "userCancel")
    assert hint(state, second["orderRef"]) == ("failed", "certificateErr")
    assert hint(state, third["orderRef"]) == ("failed", "someFutureCode")
    with pytest.raises(SimulatorRefused, match="hintCode"):
        state.fail(start(state)["orderRef"], "not a code")


def test_forced_pending_hint(state):
    order = start(state)
    state.set_hint(order["orderRef"], "processing")
    assert hint(state, order["orderRef"]) == ("pending", "processing")


def test_driver_actions_on_a_finished_order_are_refused(state):
    order = start(state)
    state.user_cancel(order["orderRef"])
    with pytest.raises(SimulatorRefused, match="already failed/userCancel"):
        state.fail(order["orderRef"], "certificateErr")


@pytest.mark.parametrize(
    ("seconds", "expected"), [(30.0, ("pending", "outstandingTransaction")), (30.1, ("failed", "startFailed"))]
)
def test_not_picked_up_within_30_seconds_is_start_failed(state, hand, seconds, expected):
    order = start(state)
    hand.now += seconds
    assert hint(state, order["orderRef"]) == expected


def test_picked_up_order_is_not_start_failed_but_expires_after_180_seconds(state, hand):
    order = start(state)
    state.scan(frame(order, 0))
    hand.now += 180
    assert hint(state, order["orderRef"]) == ("pending", "userSign")
    hand.now += 0.5
    assert hint(state, order["orderRef"]) == ("failed", "expiredTransaction")


def test_advance_moves_the_virtual_clock(state):
    order = start(state)
    assert state.advance(31) == 31
    assert hint(state, order["orderRef"]) == ("failed", "startFailed")
    fresh = start(state)
    state.advance(181)
    assert hint(state, fresh["orderRef"]) == ("failed", "expiredTransaction")
    with pytest.raises(SimulatorRefused):
        state.advance(-1)


def test_timed_out_order_refuses_the_app(state):
    order = start(state)
    state.advance(31)
    with pytest.raises(SimulatorRefused, match="failed/startFailed"):
        state.scan(frame(order, 31))


def test_strict_collect_returns_a_terminal_status_once(state):
    order = start(state)
    state.user_cancel(order["orderRef"])
    assert hint(state, order["orderRef"]) == ("failed", "userCancel")
    with pytest.raises(RpError, match="invalidParameters"):
        state.collect(order["orderRef"], RP)


def test_non_strict_collect_repeats_within_the_window(hand):
    state = Simulator(strict=False, clock=VirtualClock(hand))
    order = start(state)
    state.scan(frame(order, 0))
    state.approve(order["orderRef"], personal_number=PNR, given_name="A", surname="B")
    assert state.collect(order["orderRef"], RP)["status"] == "complete"
    hand.now += 179
    assert state.collect(order["orderRef"], RP)["status"] == "complete"
    hand.now += 2
    with pytest.raises(RpError, match="invalidParameters"):
        state.collect(order["orderRef"], RP)


def test_failed_order_can_be_collected_for_five_minutes(hand):
    state = Simulator(strict=False, clock=VirtualClock(hand))
    order = start(state)
    state.user_cancel(order["orderRef"])
    hand.now += 299
    assert hint(state, order["orderRef"]) == ("failed", "userCancel")
    hand.now += 2
    with pytest.raises(RpError):
        state.collect(order["orderRef"], RP)


def test_set_strict_and_reset(state):
    state.set_strict(False)
    assert not state.strict
    state.advance(5)
    start(state)
    state.reset()
    assert state.strict
    assert state.clock_offset == 0
    assert state.orders() == []


def test_cancel_removes_the_order_for_the_rp(state):
    order = start(state)
    assert state.cancel(order["orderRef"], RP) == {}
    for call in (state.collect, state.cancel):
        with pytest.raises(RpError) as caught:
            call(order["orderRef"], RP)
        assert (caught.value.status, caught.value.error_code) == (400, "invalidParameters")
    with pytest.raises(SimulatorRefused, match="cancelled"):
        state.approve(order["orderRef"], personal_number=PNR, given_name="A", surname="B")


def test_another_rp_certificate_cannot_see_the_order(state):
    order = start(state)
    with pytest.raises(RpError, match="invalidParameters"):
        state.collect(order["orderRef"], "rp-2")


def test_already_in_progress_cancels_the_running_order(state):
    first = start(state, requirement={"personalNumber": PNR})
    with pytest.raises(RpError) as caught:
        start(state, requirement={"personalNumber": PNR})
    assert (caught.value.status, caught.value.error_code) == (400, "alreadyInProgress")
    assert hint(state, first["orderRef"]) == ("failed", "cancelled")
    assert len(state.orders()) == 1
    # Once nothing is running for the person, a new order starts.
    assert start(state, requirement={"personalNumber": PNR})["orderRef"]
    assert start(state, requirement={"personalNumber": OTHER_PNR})["orderRef"]


def test_phone_flow(state):
    order = start(state, "phone/auth", personalNumber=PNR, callInitiator="RP")
    assert set(order) == {"orderRef"}
    # Like BankID's test server: nothing reached the app yet, until the person opens it during the call.
    assert hint(state, order["orderRef"]) == ("pending", "outstandingTransaction")
    state.receive(order["orderRef"])
    assert hint(state, order["orderRef"]) == ("pending", "userCallConfirm")
    state.confirm_call(order["orderRef"])
    assert hint(state, order["orderRef"]) == ("pending", "userSign")
    with pytest.raises(SimulatorRefused):
        state.approve(order["orderRef"], personal_number=OTHER_PNR, given_name="A", surname="B")
    state.approve(order["orderRef"], personal_number=PNR, given_name="A", surname="B")
    assert state.collect(order["orderRef"], RP)["completionData"]["device"]["ipAddress"] == "192.0.2.1"


@pytest.mark.parametrize("kind", ["phone/auth", "phone/sign"])
def test_a_phone_order_waits_for_the_app_like_any_other_and_fails_after_30_seconds(state, hand, kind):
    order = start(state, kind, personalNumber=PNR, callInitiator="user")["orderRef"]
    assert hint(state, order) == ("pending", "outstandingTransaction")
    with pytest.raises(SimulatorRefused, match="not reached the app"):
        state.approve(order, personal_number=PNR, given_name="A", surname="B")
    with pytest.raises(SimulatorRefused, match="waiting for confirmation"):
        state.confirm_call(order)
    state.set_hint(order, "noClient")  # the other answer BankID gives before the app has the order
    assert hint(state, order) == ("pending", "noClient")
    hand.now += 30.0
    assert hint(state, order) == ("pending", "noClient")
    hand.now += 0.1
    assert hint(state, order) == ("failed", "startFailed")
    with pytest.raises(SimulatorRefused, match="failed/startFailed"):
        state.receive(order)


def test_a_phone_order_received_in_time_no_longer_times_out_at_30_seconds(state, hand):
    order = start(state, "phone/sign", personalNumber=PNR, callInitiator="RP")["orderRef"]
    hand.now += 29
    state.receive(order)
    with pytest.raises(SimulatorRefused, match="already in the app"):
        state.receive(order)
    hand.now += 60
    assert hint(state, order) == ("pending", "userCallConfirm")
    hand.now += 100
    assert hint(state, order) == ("failed", "expiredTransaction")


def test_only_a_phone_order_is_received(state):
    order = start(state)["orderRef"]
    with pytest.raises(SimulatorRefused, match="Only a phone order"):
        state.receive(order)
    with pytest.raises(UnknownOrder):
        state.receive("no-such-order")


def test_phone_order_for_a_running_person_is_already_in_progress(state):
    start(state, "phone/sign", personalNumber=PNR, callInitiator="user")
    with pytest.raises(RpError, match="alreadyInProgress"):
        start(state, requirement={"personalNumber": PNR})


def test_injected_errors_are_used_up(state):
    state.inject_error(503, "maintenance", times=2)
    state.inject_error(429, "tooManyRequests")
    first, second, third = (state.take_injected_error() for _ in range(3))
    assert first is not None
    assert second is not None
    assert third is not None
    assert (first.status, first.error_code, second.error_code) == (503, "maintenance", "maintenance")
    assert third.status == 429
    assert third.headers["RateLimit-Remaining"] == "0"
    assert state.take_injected_error() is None
    with pytest.raises(SimulatorRefused):
        state.inject_error(200, "fine")


def test_orders_never_show_the_secret_or_the_personal_number(state):
    order = start(state, requirement={"personalNumber": PNR})
    listed = repr(state.orders())
    assert order["qrStartSecret"] not in listed
    assert PNR not in listed
    assert "1990********" in listed


def test_current_qr_is_the_frame_the_portal_should_show(state, hand):
    order = start(state)
    hand.now += 7.9
    assert state.current_qr(order["orderRef"]) == frame(order, 7)
    state.scan_current(order["orderRef"])
    assert state.current_qr(order["orderRef"]) is None


def test_finished_orders_are_forgotten_after_ten_minutes(state):
    order = start(state)
    state.user_cancel(order["orderRef"])
    state.advance(601)
    assert state.orders() == []


def test_concurrent_starts_are_safe(state):
    results: list[str] = []
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for _ in range(20):
                results.append(start(state)["orderRef"])
                state.orders()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 160
    assert len(state.orders()) == 160
