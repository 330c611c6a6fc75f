"""Ekonomi (SPEC S7.4): the organisation's orders and lines with their state, one-click invoices, a batch with
progress, the invoices with how Af matched them, downloads (XML, PDF), credit notes, ERP uploads, billing details.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from faportal.access.middleware import actor_of
from faportal.access.models import Role
from faportal.access.scoping import get_visible_or_404, require_role
from faportal.billing import forms, selectors, services
from faportal.billing.models import OrderLine
from faportal.billing.rules import Article, LineStatus, MatchStatus
from faportal.core.http import ids_in, posted
from faportal.core.problems import Refused, message

XML = "application/xml"


def _page(request: HttpRequest, rows: object) -> object:
    number = request.GET.get("sida", "1")
    return Paginator(rows, selectors.PAGE_SIZE).get_page(number if number.isascii() and number.isdigit() else 1)  # type: ignore[arg-type]


def _query(request: HttpRequest) -> str:
    pairs = [(key, item) for key, items in request.GET.lists() if key != "sida" for item in items]
    return urlencode(pairs)


def lines(request: HttpRequest) -> HttpResponse:
    """Ordrar och rader: the organisation's order lines, filterable by state, article, month and reference."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    form = forms.LineFilterForm(request.GET or None)
    filters = selectors.LineFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.LineFilters(
            statuses=tuple(LineStatus(status) for status in data["status"]),
            article=Article(data["article"]) if data["article"] else None,
            month=data["month"],
            q=data["q"],
        )
    page = _page(request, selectors.order_lines(actor=actor, filters=filters))
    return render(
        request,
        "billing/lines.html",
        {
            "form": form,
            "page": page,
            "query": _query(request),
            "counts": selectors.line_counts(actor=actor),
            "profile": selectors.profile(actor=actor),
        },
    )


def order(request: HttpRequest, order_id: int) -> HttpResponse:
    """An order: its lines with their state, goods receipts and invoices; the PEPPOL Order to download (S7.5)."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    found = selectors.order(actor=actor, order_id=order_id)
    return render(
        request,
        "billing/order.html",
        {
            "order": found,
            "lines": selectors.order_page_lines(actor=actor, order=found),
            "invoices": selectors.invoices_of_order(actor=actor, order=found),
        },
    )


def order_xml(request: HttpRequest, order_id: int) -> HttpResponse:
    """The order as PEPPOL BIS Ordering 3.0 (UBL Order), as issued (SPEC S7.5)."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    found = selectors.order(actor=actor, order_id=order_id)
    services.record_download(actor=actor, subject=found, what="order_xml")
    return _file(bytes(found.xml), XML, f"order-{found.number}.xml")


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def invoice_line(request: HttpRequest, line_id: int) -> HttpResponse:
    """Fakturera: one invoiceable line becomes an invoice (one action, SPEC S7.4)."""
    actor = actor_of(request)
    line = get_visible_or_404(actor, Role.FINANCE, OrderLine.objects.all(), pk=line_id)
    try:
        invoice = services.invoice_line(actor=actor, line=line)
    except Refused as refused:
        for problem in refused.problems:
            messages.error(request, message(problem))
        return redirect("billing:order", order_id=line.order_id)
    messages.success(
        request, _("Invoice %(number)s is made and sent to Arbetsförmedlingen.") % {"number": invoice.number}
    )
    return redirect("billing:invoice", invoice_id=invoice.pk)


@require_POST
def batch(request: HttpRequest) -> HttpResponse:
    """Fakturera markerade: every chosen invoiceable line becomes an invoice, with progress."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    try:
        started = services.start_batch(actor=actor, line_ids=ids_in(request.POST.getlist("lines")))
    except Refused as refused:
        for problem in refused.problems:
            messages.error(request, message(problem))
        return redirect(f"{reverse('billing:lines')}?{request.POST.get('query', '')}")
    return redirect("billing:batch_status", batch_id=started.pk)


def batch_status(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A batch's progress, then the invoices it made and the lines it could not invoice."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    found = selectors.batch(actor=actor, batch_id=batch_id)
    context = {
        "batch": found,
        "invoices": selectors.batch_invoices(actor=actor, batch=found) if found.is_finished else [],
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "billing/batch.html#progress", context)
    return render(request, "billing/batch.html", context)


def invoices(request: HttpRequest) -> HttpResponse:
    """Fakturor: the organisation's invoices and credit notes, and how Af matched each (SPEC S7.4, S7.6)."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    form = forms.InvoiceFilterForm(request.GET or None)
    filters = selectors.InvoiceFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.InvoiceFilters(
            statuses=tuple(MatchStatus(status) for status in form.cleaned_data["match"]), q=form.cleaned_data["q"]
        )
    page = _page(request, selectors.invoices(actor=actor, filters=filters))
    return render(request, "billing/invoices.html", {"form": form, "page": page, "query": _query(request)})


def invoice(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """An invoice or credit note: what it says, how Af matched it, when it is paid; downloads; credit."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    found = selectors.invoice(actor=actor, invoice_id=invoice_id)
    return render(request, "billing/invoice.html", _invoice_context(actor, found))


def _invoice_context(actor: object, found: object) -> dict[str, object]:
    return {
        "invoice": found,
        "lines": found.lines.select_related("order_line"),  # type: ignore[attr-defined]
        "credit_notes": selectors.credit_notes_of(actor=actor, invoice=found),  # type: ignore[arg-type]
        "reissued": selectors.invoices_after_credit(actor=actor, invoice=found),  # type: ignore[arg-type]
        "outbox": selectors.outbox_entry(actor=actor, invoice=found),  # type: ignore[arg-type]
        "credit_form": forms.CreditForm(),
    }


def invoice_xml(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """The invoice as it was sent (PEPPOL BIS Billing 3.0 UBL)."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    found = selectors.invoice(actor=actor, invoice_id=invoice_id)
    services.record_download(actor=actor, subject=found, what="xml")
    return _file(bytes(found.xml), XML, f"{found.file_stem}.xml")


def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """A readable copy of the invoice (the XML is the invoice)."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    found = selectors.invoice(actor=actor, invoice_id=invoice_id)
    services.record_download(actor=actor, subject=found, what="pdf")
    return _file(bytes(found.pdf), "application/pdf", f"{found.file_stem}.pdf")


@require_POST
def credit(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """Kreditera: a credit note for the whole invoice and, when asked, a new invoice for the same lines."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    found = selectors.invoice(actor=actor, invoice_id=invoice_id)
    form = forms.CreditForm(request.POST)
    reissue = form.is_valid() and form.cleaned_data["reissue"]
    try:
        credit_note, reissued = services.credit_invoice(actor=actor, invoice=found, reissue=reissue)
    except Refused as refused:
        for problem in refused.problems:
            messages.error(request, message(problem))
        return redirect("billing:invoice", invoice_id=found.pk)
    messages.success(
        request,
        _("Credit note %(number)s credits invoice %(invoice)s.")
        % {"number": credit_note.number, "invoice": found.number},
    )
    if reissued:
        messages.success(request, _("The new invoice is %(number)s.") % {"number": reissued[0].number})
        return redirect("billing:invoice", invoice_id=reissued[0].pk)
    return redirect("billing:invoice", invoice_id=credit_note.pk)


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Skicka faktura från eget affärssystem (SPEC S7.4, S7.6): validated; each failed rule in Swedish by its id."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    form = forms.UploadForm(posted(request), request.FILES or None)
    refused: services.DocumentRefused | None = None
    if request.method == "POST" and form.is_valid():
        data = form.document()
        if data is None:
            form.add_error("file", message_for_code("no_file"))
        else:
            try:
                received = services.receive_document(actor=actor, data=data)
            except services.DocumentRefused as exc:
                refused = exc
            except Refused as problems:
                form.add_problems(problems)
            else:
                messages.success(request, _("Invoice %(number)s is received.") % {"number": received.number})
                return redirect("billing:invoice", invoice_id=received.pk)
    return render(request, "billing/upload.html", {"form": form, "refused": refused}, status=422 if refused else 200)


def message_for_code(code: str) -> str:
    from faportal.billing.rules import Code
    from faportal.core.problems import message_for

    return message_for(Code(code))


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Faktureringsuppgifter (SPEC S7.4): address, VAT, F-skatt and account for the organisation's invoices."""
    actor = actor_of(request)
    require_role(actor, Role.FINANCE)
    current = selectors.profile(actor=actor)
    initial = (
        {field: getattr(current, field) for field in forms.ProfileForm.base_fields}
        if current is not None
        else {"vat": "standard_25", "f_skatt": True, "account_kind": "SE:BANKGIRO"}
    )
    form = forms.ProfileForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(actor=actor, values=services.ProfileValues(**form.cleaned_data))
        except Refused as refused:
            form.add_problems(refused)
        else:
            messages.success(request, _("The billing details are saved."))
            return redirect("billing:profile")
    return render(request, "billing/profile.html", {"form": form, "profile": current})
