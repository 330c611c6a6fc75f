"""The demo "BankID app" page: plain server-rendered HTML in Swedish, usable by keyboard and without JavaScript."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any
from urllib.parse import urlsplit

import segno

from faportal.bankid.simulator.identities import Identity

FAIL_HINTS = (
    "certificateErr",
    "startFailed",
    "expiredTransaction",
    "notSupportedByUserApp",
    "transactionRiskBlocked",
    "userDeclinedCall",
    "unknownFutureCode",
)

_KINDS = {
    "auth": "Identifiering",
    "sign": "Underskrift",
    "phone/auth": "Identifiering (telefon)",
    "phone/sign": "Underskrift (telefon)",
}

_PENDING_TEXT = {
    "outstandingTransaction": "Väntar på att QR-koden skannas eller att appen startas",
    "noClient": "Appen har inte fått ordern",
    "started": "Appen är startad och söker efter BankID",
    "userSign": "Väntar på säkerhetskoden",
    "userMrtd": "Väntar på att ID-handlingen läses av",
    "userCallConfirm": "Väntar på att samtalet bekräftas",
}

_CSS = """
:root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
.badge { display: inline-block; background: #fff3cd; border: 1px solid #8a6d00; padding: .25rem .5rem; }
.order { border: 1px solid #6b6b6b; border-radius: .5rem; padding: 1rem; margin: 1rem 0; }
.orders { list-style: none; padding: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.qr svg { width: 12rem; height: 12rem; background: #fff; }
form { margin: .5rem 0; }
fieldset { border: 1px solid #6b6b6b; border-radius: .25rem; margin: .5rem 0; }
button { font: inherit; padding: .4rem .8rem; margin: .2rem .4rem .2rem 0; border-radius: .25rem;
         border: 2px solid #1f4e9a; background: #1f4e9a; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #1f4e9a; }
button.danger { border-color: #a4161a; background: #fff; color: #a4161a; }
input, select { font: inherit; padding: .3rem; border: 1px solid #4a4a4a; border-radius: .25rem; }
label { display: block; margin-top: .4rem; }
:focus-visible { outline: 3px solid #ff8c00; outline-offset: 2px; }
#status:not(:empty) { border-left: .3rem solid #1f4e9a; padding: .5rem 1rem; background: #eef3fb; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid #b0b0b0; padding: .3rem; vertical-align: top; }
"""

# Refreshes the QR frames every second and reloads the page when the orders change, unless the user is busy in a
# form (reloading would move their focus and lose what they typed); then it offers a link instead.
_SCRIPT = """
(function () {
  var version = document.body.getAttribute("data-version");
  var notice = document.getElementById("changed");
  if (window.location.search.indexOf("meddelande=") !== -1) {
    var url = new URL(window.location.href);
    url.searchParams.delete("meddelande");
    window.history.replaceState(null, "", url.toString());
  }
  function tick() {
    fetch("/frames", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (data) {
      Object.keys(data.frames).forEach(function (ref) {
        var el = document.getElementById("qr-" + ref);
        if (el) { el.innerHTML = data.frames[ref]; }
      });
      if (String(data.version) !== version) {
        var active = document.activeElement;
        if (!active || active === document.body) { window.location.reload(); } else { notice.hidden = false; }
      }
    }).catch(function () {});
  }
  window.setInterval(tick, 1000);
})();
"""


def qr_svg(content: str) -> str:
    """The QR code as inline SVG, hidden from screen readers (its figure has a text alternative)."""
    svg = segno.make(content, error="l", micro=False).svg_inline(scale=4, border=4)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def safe_return_url(url: str | None) -> str | None:
    """The returnUrl if it is an http(s) URL the page may link or redirect to."""
    if not url:
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'


def _button_form(action: str, order_ref: str, next_path: str, label: str, css: str = "") -> str:
    css_attr = f' class="{css}"' if css else ""
    return (
        f'<form method="post" action="/ui/{action}">{_hidden("orderRef", order_ref)}{_hidden("next", next_path)}'
        f'<button type="submit"{css_attr}>{escape(label)}</button></form>'
    )


def _status_text(order: Mapping[str, Any]) -> str:
    hint = order["hintCode"]
    if order["cancelledByRp"]:
        return "Avbruten av tjänsten"
    if order["status"] == "complete":
        return f"Godkänd som {order['approvedAs']}"
    if order["status"] == "failed":
        return f"Misslyckad ({hint})"
    return f"{_PENDING_TEXT.get(hint, 'Pågår')} ({hint})"


def _order_article(
    order: Mapping[str, Any], identities: list[Identity], frames: Mapping[str, str], next_path: str
) -> str:
    ref = order["orderRef"]
    short = ref[:8]
    hint = order["hintCode"]
    title_id = f"t-{ref}"
    rows = [("Status", _status_text(order))]
    if order["userVisibleData"]:
        heading = "Att skriva under" if order["kind"].endswith("sign") else "Min avsikt"
        rows.append((heading, order["userVisibleData"]))
    if order["requiredPersonalNumber"]:
        rows.append(("Kräver personnummer", order["requiredPersonalNumber"]))
    if order["endUserIp"]:
        rows.append(("Användarens IP-adress", order["endUserIp"]))
    rows.append(("Ålder", f"{order['ageSeconds']:.0f} s"))
    details = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in rows)
    parts = [
        f'<article class="order" aria-labelledby="{title_id}">',
        f'<h3 id="{title_id}">{escape(_KINDS.get(order["kind"], order["kind"]))} · order {escape(short)}</h3>',
        f"<dl>{details}</dl>",
    ]
    if order["status"] == "pending" and not order["cancelledByRp"]:
        if not order["pickedUp"]:
            if ref in frames:
                parts.append(
                    '<figure><div class="qr" role="img" aria-label="QR-kod för ordern" id="qr-'
                    f'{escape(ref)}">{frames[ref]}</div>'
                    "<figcaption>Den QR-kod portalen ska visa just nu. Den byts varje sekund.</figcaption></figure>"
                )
            if order["kind"].startswith("phone/"):
                parts.append(_button_form("receive", ref, next_path, "Öppna BankID-appen (samtalet pågår)"))
            else:
                parts.append(_button_form("scan", ref, next_path, "Skanna QR-koden"))
            if order["autoStartToken"]:
                parts.append(_button_form("open", ref, next_path, "Öppna med autostart", "secondary"))
        else:
            if hint == "started":
                parts.append(_button_form("pick", ref, next_path, "Välj BankID", "secondary"))
            if hint == "userCallConfirm":
                parts.append(_button_form("confirm_call", ref, next_path, "Bekräfta samtalet", "secondary"))
            parts.append(_approve_forms(ref, identities, next_path))
        parts.append(_button_form("cancel", ref, next_path, "Avbryt", "danger"))
        parts.append(_fail_form(ref, next_path))
    elif return_url := safe_return_url(order["returnUrl"]):
        parts.append(f'<p><a href="{escape(return_url)}">Återgå till tjänsten</a></p>')
    parts.append("</article>")
    return "".join(parts)


def _approve_forms(ref: str, identities: list[Identity], next_path: str) -> str:
    common = _hidden("orderRef", ref) + _hidden("next", next_path)
    parts = []
    if identities:
        buttons = "".join(
            f'<button type="submit" name="identity" value="{escape(i.personal_number)}">'
            f"Godkänn som {escape(i.label)}</button>"
            for i in identities
        )
        parts.append(
            f'<form method="post" action="/ui/approve">{common}<fieldset><legend>Godkänn med säkerhetskod</legend>'
            f"{buttons}</fieldset></form>"
        )
    parts.append(
        f'<form method="post" action="/ui/approve">{common}'
        "<fieldset><legend>Godkänn som en annan person</legend>"
        f'<label for="pnr-{ref}">Personnummer (12 siffror: ÅÅÅÅMMDD-NNNN)</label>'
        f'<input id="pnr-{ref}" name="personalNumber" inputmode="numeric" autocomplete="off" required>'
        f'<label for="given-{ref}">Förnamn</label>'
        f'<input id="given-{ref}" name="givenName" autocomplete="off" required>'
        f'<label for="surname-{ref}">Efternamn</label>'
        f'<input id="surname-{ref}" name="surname" autocomplete="off" required>'
        '<p><button type="submit">Godkänn med angiven identitet</button></p>'
        "</fieldset></form>"
    )
    return "".join(parts)


def _fail_form(ref: str, next_path: str) -> str:
    options = "".join(f'<option value="{escape(h)}">{escape(h)}</option>' for h in FAIL_HINTS)
    return (
        f'<form method="post" action="/ui/fail">{_hidden("orderRef", ref)}{_hidden("next", next_path)}'
        f'<label for="hint-{ref}">Felkod</label>'
        f'<select id="hint-{ref}" name="hintCode">{options}</select> '
        '<button type="submit" class="danger">Misslyckas</button></form>'
    )


def _finished_table(orders: Iterable[Mapping[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{escape(o['orderRef'][:8])}</td><td>{escape(_KINDS.get(o['kind'], o['kind']))}</td>"
        f"<td>{escape(_status_text(o))}</td><td>{'ja' if o['collected'] else 'nej'}</td></tr>"
        for o in orders
    )
    if not rows:
        return "<p>Inga avslutade ordrar.</p>"
    return (
        '<table><caption class="skip">Avslutade ordrar</caption><thead><tr><th scope="col">Order</th>'
        '<th scope="col">Typ</th><th scope="col">Resultat</th><th scope="col">Hämtad av tjänsten</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def render_page(
    *,
    orders: list[dict[str, Any]],
    identities: list[Identity],
    identities_problem: str | None,
    frames: Mapping[str, str],
    message: str | None,
    version: int,
    nonce: str,
    next_path: str,
    heading: str = "Simulerad BankID-app",
    intro: str | None = None,
    show_finished: bool = True,
) -> str:
    """The whole page: pending orders and a table of finished ones, or (``show_finished=False``) one order."""
    pending = [o for o in orders if o["status"] == "pending" and not o["cancelledByRp"]]
    finished = [o for o in orders if not (o["status"] == "pending" and not o["cancelledByRp"])]
    if show_finished:
        pending_html = (
            '<ul class="orders">'
            + "".join(f"<li>{_order_article(o, identities, frames, next_path)}</li>" for o in pending)
            + "</ul>"
            if pending
            else "<p>Inga pågående ordrar. Starta en inloggning i portalen.</p>"
        )
        sections = [
            f'<section aria-labelledby="h-pending"><h2 id="h-pending">Pågående ordrar</h2>{pending_html}</section>',
            f'<section aria-labelledby="h-finished"><h2 id="h-finished">Avslutade ordrar</h2>'
            f"{_finished_table(finished)}</section>",
        ]
    else:
        # A single order (the /open page), whatever its state.
        sections = [
            '<section aria-labelledby="h-order"><h2 id="h-order">Ordern</h2>'
            + "".join(_order_article(o, identities, frames, next_path) for o in orders)
            + "</section>"
        ]
    identity_text = (
        f"<p>{len(identities)} demoidentiteter är inlästa.</p>" if identities else "<p>Inga demoidentiteter.</p>"
    )
    if identities_problem:
        identity_text += f"<p>{escape(identities_problem)}</p>"
    sections.append(
        '<section aria-labelledby="h-identities"><h2 id="h-identities">Demoidentiteter</h2>'
        f"{identity_text}<p>Du kan också skriva in ett personnummer och ett namn för hand.</p></section>"
    )
    intro_html = f"<p>{escape(intro)}</p>" if intro else ""
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)} – FA-portalen</title><style>{_CSS}</style></head>"
        f'<body data-version="{version}"><a class="skip" href="#main">Hoppa till innehållet</a>'
        '<header><p class="badge">Endast för utveckling och demo – detta är inte BankID</p>'
        f"<h1>{escape(heading)}</h1></header>"
        f'<main id="main">{intro_html}<div role="status" id="status">{escape(message) if message else ""}</div>'
        f'<p id="changed" hidden>Ordrarna har ändrats. <a href="{escape(next_path)}">Uppdatera sidan</a></p>'
        f'<noscript><p>Sidan uppdateras inte av sig själv utan JavaScript. <a href="{escape(next_path)}">'
        "Uppdatera sidan</a></p></noscript>"
        + "".join(sections)
        + f'</main><script nonce="{escape(nonce)}">{_SCRIPT}</script></body></html>'
    )


def render_not_found(message: str, nonce: str) -> str:
    """A small page for an unknown autostart token or path."""
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Hittades inte – Simulerad BankID-app</title><style>{_CSS}</style></head>"
        f'<body><main id="main"><h1>Hittades inte</h1><p>{escape(message)}</p>'
        '<p><a href="/">Till alla ordrar</a></p></main></body></html>'
    )
