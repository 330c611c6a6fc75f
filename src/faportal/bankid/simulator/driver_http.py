"""The driver listener (plain HTTP on loopback): the JSON driver API and the demo "BankID app" page.

JSON endpoints (POST, ``Content-Type: application/json``; errors are 400 or 404 with ``{"error", "reason"}``):

    /driver/scan {qr}                      → {orderRef}   the app scans a QR code (HMAC and ±2 s checked)
    /driver/open {autoStartToken}          → {orderRef}   the app is started with an autostart token
    /driver/pick {orderRef}                               started → userSign (the user picks an ID)
    /driver/receive {orderRef}                            phone: the app finds the order → userCallConfirm
    /driver/confirm_call {orderRef}                       phone: userCallConfirm → userSign
    /driver/approve {orderRef, personalNumber, givenName, surname, risk?, bankIdIssueDate?} → {orderRef, status}
                                                          any 12 digits, so that a test can play a BankID that
                                                          answers with a personnummer the portal must refuse
    /driver/cancel {orderRef}                             the user cancels in the app (failed/userCancel)
    /driver/fail {orderRef, hintCode}                     forced failure with any hint code
    /driver/set_hint {orderRef, hintCode}                 forced pending hint code
    /driver/advance {seconds}              → {clockOffset}
    /driver/inject_error {status, errorCode, details?, times?}   the next RP call(s) answer this error
    /driver/strict {strict}                               collect-once on/off
    /driver/reset {}
    GET /driver/orders                     → {orders: [...], strict, clockOffset}

Requiring ``application/json`` also keeps other web sites out: a browser cannot send it cross-origin without a CORS
preflight, which this server never approves. The HTML forms under ``/ui/`` check the Origin instead.

The page's "Godkänn som en annan person" approves only a personnummer the real BankID could answer with (12 digits, a
real date of birth, a correct check digit); otherwise it says why and approves nothing.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from faportal.bankid.simulator.errors import SimulatorRefused, UnknownOrder
from faportal.bankid.simulator.http_common import BodyError, SimulatorHandler, SimulatorHTTPServer
from faportal.bankid.simulator.identities import load_identities, normalise_personal_number, typed_identity_problem
from faportal.bankid.simulator.page import qr_svg, render_not_found, render_page, safe_return_url
from faportal.bankid.simulator.state import Simulator

logger = logging.getLogger("faportal.bankid.simulator.driver")


class DriverServer(SimulatorHTTPServer):
    """The plain-HTTP listener for the driver API and the demo page."""

    def __init__(self, host: str, port: int, simulator: Simulator, identities_file: Path | None) -> None:
        self.simulator = simulator
        self.identities_file = identities_file
        super().__init__(host, port, DriverHandler)


class _TypedIdentityRefused(SimulatorRefused):
    """What a person typed on the page is not an identity BankID could answer with; the reason is Swedish."""


def _first(query: dict[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    return values[0] if values else None


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SimulatorRefused(f"Missing {key}")
    return value.strip()


def _optional_text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise SimulatorRefused(f"{key} must be a string")
    return value


def _number(body: dict[str, Any], key: str) -> float:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SimulatorRefused(f"{key} must be a number")
    return float(value)


def _integer(body: dict[str, Any], key: str, default: int | None = None) -> int:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SimulatorRefused(f"{key} must be an integer")
    return value


def _approve(sim: Simulator, body: dict[str, Any]) -> dict[str, Any]:
    return sim.approve(
        _text(body, "orderRef"),
        personal_number=normalise_personal_number(_text(body, "personalNumber")),
        given_name=_text(body, "givenName"),
        surname=_text(body, "surname"),
        risk=_optional_text(body, "risk"),
        bank_id_issue_date=_optional_text(body, "bankIdIssueDate"),
    )


def _inject(sim: Simulator, body: dict[str, Any]) -> dict[str, Any]:
    sim.inject_error(
        _integer(body, "status"),
        _text(body, "errorCode"),
        _optional_text(body, "details"),
        times=_integer(body, "times", 1),
    )
    return {}


def _strict(sim: Simulator, body: dict[str, Any]) -> dict[str, Any]:
    strict = body.get("strict")
    if not isinstance(strict, bool):
        raise SimulatorRefused("strict must be true or false")
    sim.set_strict(strict)
    return {"strict": strict}


def _empty(action: Callable[[], None]) -> dict[str, Any]:
    action()
    return {}


_JSON_ACTIONS: dict[str, Callable[[Simulator, dict[str, Any]], dict[str, Any]]] = {
    "scan": lambda sim, body: {"orderRef": sim.scan(_text(body, "qr"))},
    "open": lambda sim, body: {"orderRef": sim.open(_text(body, "autoStartToken"))},
    "pick": lambda sim, body: _empty(lambda: sim.pick(_text(body, "orderRef"))),
    "receive": lambda sim, body: _empty(lambda: sim.receive(_text(body, "orderRef"))),
    "confirm_call": lambda sim, body: _empty(lambda: sim.confirm_call(_text(body, "orderRef"))),
    "approve": _approve,
    "cancel": lambda sim, body: _empty(lambda: sim.user_cancel(_text(body, "orderRef"))),
    "fail": lambda sim, body: _empty(lambda: sim.fail(_text(body, "orderRef"), _text(body, "hintCode"))),
    "set_hint": lambda sim, body: _empty(lambda: sim.set_hint(_text(body, "orderRef"), _text(body, "hintCode"))),
    "advance": lambda sim, body: {"clockOffset": sim.advance(_number(body, "seconds"))},
    "inject_error": _inject,
    "strict": _strict,
    "reset": lambda sim, body: _empty(sim.reset),
}

_UI_DONE = {
    "scan": "QR-koden är skannad.",
    "open": "Appen är startad med autostart.",
    "pick": "BankID är valt.",
    "receive": "Appen har ordern.",
    "confirm_call": "Samtalet är bekräftat.",
    "approve": "Ordern är godkänd.",
    "cancel": "Ordern är avbruten i appen.",
    "fail": "Ordern har misslyckats.",
}


class DriverHandler(SimulatorHandler):
    """Routes the driver API, the demo page, ``/open`` and the page's forms."""

    server: DriverServer

    # --- GET ----------------------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        """Pages and read-only JSON."""
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/":
            self._page(query)
        elif url.path == "/open":
            self._open_page(query)
        elif url.path == "/frames":
            self._frames()
        elif url.path == "/driver/orders":
            sim = self.server.simulator
            self.send_json(200, {"orders": sim.orders(), "strict": sim.strict, "clockOffset": sim.clock_offset})
        elif url.path.startswith("/driver/") or url.path.startswith("/ui/"):
            self.send_json(405, {"error": "methodNotAllowed", "reason": "Use POST"}, {"Allow": "POST"})
        else:
            self._html(404, render_not_found("Sidan finns inte.", self._nonce()), self._nonce())

    def _nonce(self) -> str:
        if not hasattr(self, "_csp_nonce"):
            self._csp_nonce = secrets.token_urlsafe(16)
        return self._csp_nonce

    def _html(self, status: int, page: str, nonce: str, headers: dict[str, str] | None = None) -> None:
        csp = (
            "default-src 'none'; style-src 'unsafe-inline'; "
            f"script-src 'nonce-{nonce}'; connect-src 'self'; form-action 'self' http: https:; "
            "base-uri 'none'; frame-ancestors 'none'"
        )
        all_headers = {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff"}
        all_headers.update(headers or {})
        self.send_bytes(status, "text/html; charset=utf-8", page.encode("utf-8"), all_headers)

    def _frames_for(self, orders: list[dict[str, Any]]) -> dict[str, str]:
        frames = {}
        for order in orders:
            if order["status"] == "pending" and not order["pickedUp"] and order["qrStartToken"]:
                try:
                    content = self.server.simulator.current_qr(order["orderRef"])
                except UnknownOrder:
                    continue
                if content is not None:
                    frames[order["orderRef"]] = qr_svg(content)
        return frames

    def _frames(self) -> None:
        sim = self.server.simulator
        orders = sim.orders()
        self.send_json(200, {"version": sim.version, "frames": self._frames_for(orders)})

    def _page(self, query: dict[str, list[str]]) -> None:
        sim = self.server.simulator
        identities, problem = load_identities(self.server.identities_file)
        orders = sim.orders()
        nonce = self._nonce()
        page = render_page(
            orders=orders,
            identities=identities,
            identities_problem=problem,
            frames=self._frames_for(orders),
            message=_first(query, "meddelande"),
            version=sim.version,
            nonce=nonce,
            next_path="/",
        )
        self._html(200, page, nonce)

    def _open_page(self, query: dict[str, list[str]]) -> None:
        """The target of the portal's "Öppna i simulerad BankID-app" link: opens the order and offers approval."""
        sim = self.server.simulator
        token = _first(query, "autostarttoken") or ""
        nonce = self._nonce()
        try:
            order_ref = sim.order_ref_for_token(token)
        except UnknownOrder:
            self._html(
                404, render_not_found("Ingen order har den här autostarttoken. Den kan ha gått ut.", nonce), nonce
            )
            return
        message = _first(query, "meddelande")
        try:
            sim.open(token)
        except UnknownOrder:
            pass
        except SimulatorRefused as exc:
            # Reloading the page after the app has opened the order is normal; other refusals are shown.
            if "already in the app" not in exc.reason:
                message = message or f"Gick inte att öppna: {exc.reason}"
        identities, problem = load_identities(self.server.identities_file)
        orders = [sim.order(order_ref)]
        page = render_page(
            orders=orders,
            identities=identities,
            identities_problem=problem,
            frames={},
            message=message,
            version=sim.version,
            nonce=nonce,
            next_path="/open?" + urlencode({"autostarttoken": token}),
            heading="Simulerad BankID-app: öppnad med autostart",
            intro="Appen har startats med portalens autostarttoken. Välj vem som godkänner.",
            show_finished=False,
        )
        self._html(200, page, nonce)

    # --- POST ---------------------------------------------------------------------------------------------------

    def do_POST(self) -> None:
        """The JSON driver API and the page's forms."""
        path = urlsplit(self.path).path
        if path.startswith("/driver/"):
            self._json_action(path[len("/driver/") :])
        elif path.startswith("/ui/"):
            self._ui_action(path[len("/ui/") :])
        else:
            self.discard_body()
            self.send_json(404, {"error": "notFound", "reason": "No such path"})

    def _json_action(self, name: str) -> None:
        action = _JSON_ACTIONS.get(name)
        if action is None:
            self.discard_body()
            status = 405 if name == "orders" else 404
            self.send_json(status, {"error": "notFound", "reason": f"No driver action {name!r}"})
            return
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            self.discard_body()
            self.send_json(415, {"error": "unsupportedMediaType", "reason": "Send Content-Type: application/json"})
            return
        try:
            raw = self.read_body()
            try:
                body = json.loads(raw) if raw else {}
            except (ValueError, UnicodeDecodeError):
                raise SimulatorRefused("The body is not JSON") from None
            if not isinstance(body, dict):
                raise SimulatorRefused("The body must be a JSON object")
            result = action(self.server.simulator, body)
        except BodyError as exc:
            self.send_json(400, {"error": "refused", "reason": str(exc)})
            return
        except SimulatorRefused as exc:
            error = "notFound" if exc.status == 404 else "refused"
            self.send_json(exc.status, {"error": error, "reason": exc.reason})
            return
        self.send_json(200, result)

    def _same_origin(self) -> bool:
        # Refuse form posts from other sites (a page elsewhere could otherwise approve orders in a demo).
        if self.headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none"):
            return False
        origin = self.headers.get("Origin")
        if origin is None or origin == "null":
            return origin is None
        return urlsplit(origin).netloc == self.headers.get("Host")

    def _ui_action(self, name: str) -> None:
        try:
            raw = self.read_body()
        except BodyError as exc:
            self.send_json(400, {"error": "refused", "reason": str(exc)})
            return
        if name not in _UI_DONE:
            self._html(404, render_not_found("Det finns ingen sådan åtgärd.", self._nonce()), self._nonce())
            return
        if not self._same_origin():
            self.send_json(403, {"error": "forbidden", "reason": "Cross-origin form posts are refused"})
            return
        form = {key: values[0] for key, values in parse_qs(raw.decode("utf-8", "replace")).items()}
        next_path = form.get("next", "/")
        if not next_path.startswith("/") or next_path.startswith("//"):
            next_path = "/"
        sim = self.server.simulator
        order_ref = form.get("orderRef", "")
        redirect_to: str | None = None
        try:
            if name == "scan":
                sim.scan_current(order_ref)
            elif name == "open":
                token = sim.order(order_ref)["autoStartToken"]
                if not token:
                    raise SimulatorRefused("The order has no autostart token")
                sim.open(token)
            elif name == "pick":
                sim.pick(order_ref)
            elif name == "receive":
                sim.receive(order_ref)
            elif name == "confirm_call":
                sim.confirm_call(order_ref)
            elif name == "approve":
                self._ui_approve(form)
            elif name == "cancel":
                sim.user_cancel(order_ref)
            elif name == "fail":
                sim.fail(order_ref, form.get("hintCode", ""))
            if name in ("approve", "cancel"):
                # Like the real app on the same device, go back to the service's returnUrl when there is one.
                order = sim.order(order_ref)
                if order["autostarted"]:
                    redirect_to = safe_return_url(order["returnUrl"])
            message = _UI_DONE[name]
            if name == "approve" and sim.order(order_ref)["status"] != "complete":
                message = f"Ordern godkändes inte: {sim.order(order_ref)['hintCode']}."
        except _TypedIdentityRefused as exc:
            message = f"Ordern är inte godkänd. {exc.reason}"
        except SimulatorRefused as exc:
            message = f"Gick inte: {exc.reason}"
        separator = "&" if "?" in next_path else "?"
        location = redirect_to or f"{next_path}{separator}{urlencode({'meddelande': message})}"
        self.send_bytes(303, "text/plain; charset=utf-8", b"", {"Location": location})

    def _ui_approve(self, form: dict[str, str]) -> None:
        sim = self.server.simulator
        order_ref = form.get("orderRef", "")
        if form.get("identity"):
            identities, _ = load_identities(self.server.identities_file)
            wanted = normalise_personal_number(form["identity"])
            identity = next((i for i in identities if i.personal_number == wanted), None)
            if identity is None:
                raise SimulatorRefused("The demo identity is no longer in the identities file")
            sim.approve(
                order_ref,
                personal_number=identity.personal_number,
                given_name=identity.given_name,
                surname=identity.surname,
            )
            return
        personal_number = form.get("personalNumber", "")
        given_name, surname = form.get("givenName", ""), form.get("surname", "")
        problem = typed_identity_problem(personal_number, given_name, surname)
        if problem:
            raise _TypedIdentityRefused(problem)
        sim.approve(
            order_ref,
            personal_number=normalise_personal_number(personal_number),
            given_name=given_name,
            surname=surname,
        )

    def _not_allowed(self) -> None:
        self.discard_body()
        self.send_json(405, {"error": "methodNotAllowed", "reason": "Use GET or POST"}, {"Allow": "GET, POST"})

    do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed
