"""Sign-in pages (SPEC S1): BankID with the animated QR code or on this device, and signing out."""

from __future__ import annotations

import math
import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from faportal.bankid.messages import message as bankid_message
from faportal.core.http import htmx_redirect, is_mobile, safe_next_url
from faportal.identity.bankid_provider import ui_language
from faportal.identity.middleware import seconds_left
from faportal.identity.providers import Mode, Progress, State, get_provider
from faportal.identity.services import (
    LAST_ACTIVITY_KEY,
    InvalidPersonnummer,
    UnknownPerson,
    begin_identification,
    complete_identification,
    identification_purpose,
    registration_next,
    sign_out,
)


def _qr_svg(content: str) -> SafeString:
    # segno escapes nothing user-controlled here: the content is our own "bankid.<token>.<time>.<hmac>" string.
    svg = segno.make_qr(content, error="l").svg_inline(scale=5, border=2, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308


def _context(request: HttpRequest, progress: Progress, **extra: Any) -> dict[str, Any]:
    mobile = is_mobile(request)
    return {
        "progress": progress,
        "purpose": "register" if extra.get("registration") else identification_purpose(request),
        "mobile": mobile,
        "question": bankid_message("RFA20" if mobile else "RFA19", ui_language()),
        "start_app_label": bankid_message("RFA18", ui_language()),
        "qr_svg": _qr_svg(progress.qr_content) if progress.qr_content else "",
        "simulator_app_url": settings.BANKID_SIMULATOR_APP_URL,
        **extra,
    }


def _render_panel(request: HttpRequest, progress: Progress, **extra: Any) -> HttpResponse:
    """The BankID panel: the whole panel for htmx (swapped in place), else the whole page."""
    context = _context(request, progress, **extra)
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "identity/login.html#bankid_panel", context)
        response["HX-Retarget"] = "#bankid-panel"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "identity/login.html", context)


@require_GET
def login_page(request: HttpRequest) -> HttpResponse:
    """Logga in: choose Mobilt BankID (QR) or BankID on this device."""
    registration = request.GET.get("registrering", "")
    if registration_next(registration) is None:
        registration = ""
        if request.user.is_authenticated:
            return redirect(safe_next_url(request, request.GET.get("next"), reverse("home")))
    if request.GET.get("utloggad") == "inaktiv":
        messages.info(request, _("You were signed out because you had not been active for a while. Sign in again."))
    elif request.GET.get("utloggad") == "ja":
        messages.success(request, _("You are signed out."))
    # Where to go afterwards travels in the form, not the session: the browser's own requests (a favicon, another
    # tab) must not change it.
    next_url = safe_next_url(request, request.GET.get("next"), "")
    progress = get_provider().poll(request)
    if progress.state != State.PENDING:  # a fresh page: an earlier, abandoned purpose no longer applies
        begin_identification(request, purpose="register" if registration else "login", next_url=reverse("home"))
    return render(request, "identity/login.html", _context(request, progress, next=next_url, registration=registration))


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Start a BankID order: the QR code for another device, or autostart on this one."""
    mode = Mode.THIS_DEVICE if request.POST.get("mode") == Mode.THIS_DEVICE else Mode.OTHER_DEVICE
    registration = request.POST.get("registrering", "")
    registration_target = registration_next(registration)
    if registration_target is not None:
        begin_identification(request, purpose="register", next_url=registration_target)
    else:
        registration = ""
        begin_identification(
            request, purpose="login", next_url=safe_next_url(request, request.POST.get("next"), reverse("home"))
        )
    progress = get_provider().start(request, mode=mode, purpose=identification_purpose(request))
    return _render_panel(request, progress, next=request.POST.get("next", ""), registration=registration)


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """Polled every second: the next QR frame and message, or the end of the order."""
    progress = get_provider().poll(request)
    # A registration's signed link travels in the polling URL too, so that "try again" after a failure registers.
    registration = request.GET.get("registrering", "")
    if registration_next(registration) is None:
        registration = ""
    if progress.state == State.COMPLETE and progress.identity is not None:
        try:
            url = complete_identification(request, progress.identity)
        except UnknownPerson:
            message = _(
                "There is no staff account in FA-portalen for you. Ask your organisation's permission "
                "administrator to invite you, then follow the link in the invitation e-mail."
            )
        except InvalidPersonnummer:
            message = _(
                "The identification was not accepted: the personnummer is not valid (the date of birth or the last "
                "digit is wrong)."
            )
        else:
            return htmx_redirect(url) if request.htmx else HttpResponseRedirect(url)  # type: ignore[attr-defined]
        failed = Progress(state=State.FAILED, message=message, mode=progress.mode)
        return _render_panel(request, failed, registration=registration)
    if progress.state == State.PENDING and request.htmx:  # type: ignore[attr-defined]
        context = _context(
            request, progress, registration=registration, message_changed=request.GET.get("shown") != progress.rfa
        )
        return render(request, "identity/login.html#bankid_live", context)
    return _render_panel(request, progress, refresh=progress.state == State.PENDING, registration=registration)


@require_GET
def open_app(request: HttpRequest) -> HttpResponse:
    """Start the BankID app on this device (the autostart link), noting the attempt for the right messages."""
    url = get_provider().launch(request)
    if url is None:
        return redirect("identity:login")
    response = HttpResponse(status=302)
    response["Location"] = url  # a bankid:/// or app.bankid.com URL: HttpResponseRedirect refuses the scheme
    return response


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    """Avbryt: cancel the order at BankID and go back to the choice."""
    get_provider().cancel(request)
    if request.htmx:  # type: ignore[attr-defined]
        return _render_panel(request, Progress(state=State.IDLE))
    return redirect("identity:login")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Logga ut."""
    sign_out(request)
    return redirect(f"{reverse('identity:login')}?utloggad=ja")


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds until the idle timeout, for the warning dialog (a background request: not activity)."""
    if not request.user.is_authenticated:
        return JsonResponse({"seconds_left": 0})
    # Rounded up: the page must never believe the session is over while the server still holds it open.
    return JsonResponse({"seconds_left": max(0, math.ceil(seconds_left(request)))})


@require_POST
def session_extend(request: HttpRequest) -> HttpResponse:
    """Fortsätt vara inloggad."""
    if not request.user.is_authenticated:
        return JsonResponse({"seconds_left": 0}, status=401)
    request.session[LAST_ACTIVITY_KEY] = time.time()
    return JsonResponse({"seconds_left": int(seconds_left(request))})
