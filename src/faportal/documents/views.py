"""The provider's documents (SPEC S5): the Rapportering tab, a draft saved as one types, the preview, submitting,
a submitted document's page, and corrections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from faportal.access.middleware import actor_of
from faportal.access.models import Role
from faportal.core.problems import Problem, Refused, message, message_for
from faportal.documents import files, kinds, rules, selectors, services, uploads
from faportal.documents.kinds import DocumentKind
from faportal.documents.models import Document, DocumentFile
from faportal.placements import pages
from faportal.placements import selectors as placement_selectors
from faportal.placements.models import today

pages.register_tab(
    pages.Tab(
        "documents:reporting",
        gettext_lazy("Reporting"),
        30,
        also=("documents:document", "documents:preview", "documents:submit", "documents:save", "documents:delete"),
    )
)

FINDING_WORDS = {
    "personnummer": gettext_lazy("looks like a personnummer"),
    "health": gettext_lazy("may be information about health"),
    "ethnicity": gettext_lazy("may be information about ethnic origin"),
    "religion": gettext_lazy("may be information about religion or belief"),
    "politics": gettext_lazy("may be information about political opinions"),
    "union": gettext_lazy("may be information about trade union membership"),
    "sexuality": gettext_lazy("may be information about sex life or sexual orientation"),
    "crime": gettext_lazy("may be information about offences"),
    "social": gettext_lazy("may be information about social circumstances"),
}


def _version(request: HttpRequest) -> int:
    text = request.POST.get("version", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


def _errors(problems: list[Problem], kind: DocumentKind) -> tuple[dict[str, list[str]], list[tuple[str, str, str]]]:
    """Each problem's words at its field, and the error summary's lines (field, label, words)."""
    errors: dict[str, list[str]] = {}
    summary = []
    for problem in problems:
        words = message(problem)
        errors.setdefault(problem.field, []).append(words)
        summary.append((problem.field, kind.field_label(problem.field) if problem.field else "", words))
    return errors, summary


def reporting(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Rapportering (SPEC S4.6): the placement's documents, what is due, and buttons for what can be started."""
    actor = actor_of(request)
    placement = placement_selectors.placement(actor=actor, placement_id=placement_id)
    overview = selectors.reporting(actor=actor, placement=placement)
    return pages.participant_page(request, placement, "documents/reporting.html", reporting=overview)


@require_POST
def start(request: HttpRequest, placement_id: int) -> HttpResponse:
    """Start a new document of a kind, for a period ("kind" and "period" from the Rapportering tab)."""
    actor = actor_of(request)
    placement = placement_selectors.placement(actor=actor, placement_id=placement_id)
    kind = kinds.find(request.POST.get("kind", ""))
    day = kinds.parse_date(request.POST.get("period", "")[:10])
    if kind is None or day is None:
        messages.error(request, _("Choose what to start."))
        return redirect("documents:reporting", placement_id=placement.pk)
    try:
        document = services.start_document(actor=actor, placement=placement, kind_key=kind.key, period_start=day)
    except Refused as refused:
        messages.error(request, " ".join(message(problem) for problem in refused.problems))
        return redirect("documents:reporting", placement_id=placement.pk)
    return redirect("documents:document", document_id=document.pk)


def document(request: HttpRequest, document_id: int) -> HttpResponse:
    """A draft's page, where it is written (and saved as one types); a submitted document's page, to read or print."""
    actor = actor_of(request)
    found = selectors.document(actor=actor, document_id=document_id)
    if found.is_draft:
        checked = request.GET.get("kontroll") == "1"
        problems = services.preview(document=found).problems if checked else []
        return _edit(request, found, found.draft, problems=problems)
    return _view(request, found)


def _edit(
    request: HttpRequest,
    found: Document,
    draft: Mapping[str, list[str]],
    *,
    problems: list[Problem],
    conflict: Refused | None = None,
    status: int = 200,
) -> HttpResponse:
    kind = kinds.kind(found.kind)
    facts = services.facts_of(found.placement, found)
    period = services.period_of(found)
    errors, summary = _errors(problems, kind)
    context = {
        "document": found,
        "kind": kind,
        "period_label": kind.period_label(found.period_start, found.period_end),
        "errors": errors,
        "summary": summary,
        "general_errors": errors.get("", []),
        "conflict": message(conflict.problems[0]) if conflict else "",
        "version": conflict.problems[0].params.get("version") if conflict else found.version,
        "kind_template": kind.edit_template,
        **kind.edit_context(dict(draft), facts, period, today(), errors),
    }
    response = pages.participant_page(request, found.placement, "documents/edit.html", **context)
    response.status_code = status
    return response


def _view(request: HttpRequest, found: Document) -> HttpResponse:
    actor = actor_of(request)
    kind = kinds.kind(found.kind)
    facts = services.facts_of(found.placement, found)
    period = services.period_of(found)
    context = {
        "document": found,
        "kind": kind,
        "period_label": kind.period_label(found.period_start, found.period_end),
        "content": found.content or {},
        "versions": selectors.versions(actor=actor, document=found),
        "can_correct": _can_correct(found, kind),
        "copy": selectors.copy_of(found),
        "file_url_name": "documents:file",
        "kind_template": kind.view_template,
        **kind.view_context(found.content or {}, facts, period),
    }
    return pages.participant_page(request, found.placement, "documents/view.html", **context)


def _can_correct(found: Document, kind: DocumentKind) -> bool:
    status = found.status  # type: ignore[attr-defined]
    return status == "rejected" or (kind.revisable and status == "approved" and not hasattr(found, "correction"))


@csrf_exempt
@require_POST
def save(request: HttpRequest, document_id: int) -> HttpResponse:
    """Spara: the page saves a draft as one types (answered in JSON) and when one leaves it; without JavaScript the
    form's buttons save it and go on (a row added or removed, a step, files attached or removed, or the preview).

    Evidence files arrive here too: the limits go in front of the upload handlers before anything reads the request
    (so this view checks the CSRF token itself, after them).
    """
    if uploads.too_large(request):
        actor = actor_of(request)
        found = selectors.document(actor=actor, document_id=document_id)
        words = message_for(
            rules.Code.UPLOAD_TOO_LARGE, max=rules.EVIDENCE_MAX_FILES, mb=rules.EVIDENCE_MAX_BYTES // 1024 // 1024
        )
        messages.error(request, words)
        return redirect(reverse("documents:document", args=[found.pk]) + "#evidence")
    limit = uploads.limit_uploads(request)
    return _save(request, document_id, limit)


@csrf_protect
def _save(request: HttpRequest, document_id: int, limit: uploads.LimitedUploadHandler) -> HttpResponse:
    actor = actor_of(request)
    found = selectors.document(actor=actor, document_id=document_id)
    data = request.POST.copy()
    if limit.refused:
        # The upload stopped at the file that was too large: what came after it in the form was never read, so the
        # draft is not saved from it (the page saved it as it was typed).
        problem = Problem(
            "evidence",
            rules.Code.EVIDENCE_TOO_LARGE,
            {"name": limit.refused, "max": rules.EVIDENCE_MAX_BYTES // 1024 // 1024},
        )
        return _edit(request, found, found.draft, problems=[problem], status=400)
    background = request.headers.get("X-Autosave") == "1"
    action = request.POST.get("action", "")
    if not background:
        _change_rows(data, request.POST.get("add_row", ""), request.POST.get("remove_row", ""))
        step = request.POST.get("goto_step", "")
        if step in ("1", "2"):
            data["step"] = step
    try:
        saved = services.save_draft(actor=actor, document=found, version=_version(request), data=data)
    except Refused as refused:
        if background:
            code = refused.problems[0].code
            return JsonResponse(
                {"error": code.value, "message": message(refused.problems[0])},
                status=409 if code == rules.Code.STALE_DRAFT else 400,
            )
        if refused.has(rules.Code.NOT_A_DRAFT):
            messages.info(request, message(refused.problems[0]))
            return redirect("documents:document", document_id=found.pk)
        return _edit(request, found, services.draft_from(data), problems=[], conflict=refused, status=409)
    at = timezone.localtime(saved.at).strftime("%H.%M")
    if background:
        return JsonResponse({"version": saved.document.version, "saved_at": at})
    if action == "upload":
        return _attach(request, saved.document)
    removed = request.POST.get("remove_evidence", "")
    if removed.isascii() and removed.isdigit() and len(removed) < 19:
        services.remove_evidence(actor=actor, document=saved.document, file_id=int(removed))
        messages.success(request, _("The file is removed."))
        return redirect(reverse("documents:document", args=[found.pk]) + "#evidence")
    if action == "preview":
        return redirect("documents:preview", document_id=found.pk)
    if action == "delete":
        return redirect("documents:delete", document_id=found.pk)
    if request.POST.get("goto_step"):
        return redirect("documents:document", document_id=found.pk)
    messages.success(request, _("Saved %(time)s.") % {"time": at})
    anchor = "#schedule" if request.POST.get("add_row") or request.POST.get("remove_row") else ""
    return redirect(reverse("documents:document", args=[found.pk]) + anchor)


def _attach(request: HttpRequest, found: Document) -> HttpResponse:
    """Bifoga underlag: the chosen files, after the draft was saved with the rest of the form."""
    actor = actor_of(request)
    try:
        attached = services.attach_evidence(
            actor=actor, document=found, uploads=list(request.FILES.getlist("evidence"))
        )
    except Refused as refused:
        fresh = selectors.document(actor=actor, document_id=found.pk)
        return _edit(request, fresh, fresh.draft, problems=list(refused.problems), status=400)
    names = ", ".join(each.file_name for each in attached.added)
    messages.success(request, _("Attached: %(names)s.") % {"names": names})
    for problem in attached.problems:
        messages.error(request, message(problem))
    return redirect(reverse("documents:document", args=[found.pk]) + "#evidence")


def _change_rows(data: Any, add: str, remove: str) -> None:
    """Without JavaScript, a schedule row is added or removed by a button that saves the draft."""
    if add:
        indices = [
            int(key.split("-")[1]) for key in data if key.startswith("schedule-") and key.split("-")[1].isdigit()
        ]
        data[f"schedule-{max(indices, default=-1) + 1}-provider"] = "provider"
    if remove.isascii() and remove.isdigit():
        for key in [key for key in data if key.startswith(f"schedule-{remove}-")]:
            del data[key]


@require_GET
def preview(request: HttpRequest, document_id: int) -> HttpResponse:
    """Förhandsgranska: the draft as it will be submitted, with any warnings about its free text; or back to the
    draft with every problem at its field.
    """
    actor = actor_of(request)
    found = selectors.document(actor=actor, document_id=document_id)
    if not found.is_draft:
        return redirect("documents:document", document_id=found.pk)
    checked = services.preview(document=found)
    if checked.problems:
        return redirect(reverse("documents:document", args=[found.pk]) + "?kontroll=1")
    return _preview(request, found, checked)


def _preview(
    request: HttpRequest, found: Document, checked: services.Preview, problems: list[Problem] | None = None
) -> HttpResponse:
    kind = kinds.kind(found.kind)
    facts = services.facts_of(found.placement, found)
    content = checked.content or {}
    errors, summary = _errors(problems or [], kind)
    context = {
        "document": found,
        "kind": kind,
        "period_label": kind.period_label(found.period_start, found.period_end),
        "content": content,
        "findings": [
            (kind.field_label(finding.field), finding.excerpt, FINDING_WORDS.get(finding.kind, ""))
            for finding in checked.findings
        ],
        "errors": errors,
        "summary": summary,
        "file_url_name": "documents:file",
        "kind_template": kind.view_template,
        **kind.view_context(content, facts, services.period_of(found)),
    }
    return pages.participant_page(request, found.placement, "documents/preview.html", **context)


@require_POST
def submit(request: HttpRequest, document_id: int) -> HttpResponse:
    """Skicka in, after the preview: explicitly confirmed."""
    actor = actor_of(request)
    found = selectors.document(actor=actor, document_id=document_id)
    try:
        services.submit(
            actor=actor,
            document=found,
            version=_version(request),
            confirmed=request.POST.get("confirmed") == "yes",
            findings_confirmed=request.POST.get("findings_confirmed") == "yes",
        )
    except Refused as refused:
        if refused.has(rules.Code.NOT_A_DRAFT):
            return redirect("documents:document", document_id=found.pk)
        if any(p.field in ("confirmed", "findings_confirmed") for p in refused.problems):
            return _preview(request, found, services.preview(document=found), list(refused.problems))
        if refused.has(rules.Code.STALE_DRAFT):
            messages.warning(request, message(refused.problems[0]))
            return redirect("documents:preview", document_id=found.pk)
        return redirect(reverse("documents:document", args=[found.pk]) + "?kontroll=1")
    kind = kinds.kind(found.kind)
    messages.success(
        request,
        _("%(document)s is submitted to Arbetsförmedlingen.")
        % {"document": f"{kind.label}, {kind.period_label(found.period_start, found.period_end)}"},
    )
    return redirect("documents:document", document_id=found.pk)


@require_POST
def correct(request: HttpRequest, document_id: int) -> HttpResponse:
    """Rätta: a new draft that will replace the document (not approved; or a joint plan to update)."""
    actor = actor_of(request)
    found = selectors.document(actor=actor, document_id=document_id)
    try:
        correction = services.start_correction(actor=actor, document=found)
    except Refused as refused:
        messages.error(request, " ".join(message(problem) for problem in refused.problems))
        return redirect("documents:document", document_id=found.pk)
    return redirect("documents:document", document_id=correction.pk)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, document_id: int) -> HttpResponse:
    """Ta bort utkast, after a confirmation."""
    actor = actor_of(request)
    found = selectors.document(actor=actor, document_id=document_id)
    if not found.is_draft:
        return redirect("documents:document", document_id=found.pk)
    if request.method == "POST":
        placement_id = found.placement_id
        try:
            services.delete_draft(actor=actor, document=found)
        except Refused as refused:
            messages.error(request, " ".join(message(problem) for problem in refused.problems))
            return redirect("documents:document", document_id=found.pk)
        messages.success(request, _("The draft is deleted."))
        return redirect("documents:reporting", placement_id=placement_id)
    kind = kinds.kind(found.kind)
    return pages.participant_page(
        request,
        found.placement,
        "documents/delete.html",
        document=found,
        kind=kind,
        period_label=kind.period_label(found.period_start, found.period_end),
    )


@require_GET
def document_file(request: HttpRequest, document_id: int, file_id: int) -> HttpResponseBase:
    """A document's file (its evidence, its PDF copy), for whoever may read the document: always a download."""
    found = selectors.document_file(actor=actor_of(request), document_id=document_id, file_id=file_id, role=Role.REPORT)
    return file_response(found)


def file_response(found: DocumentFile) -> FileResponse:
    """A stored file as a download that the browser never opens or guesses the type of (SPEC S5.7)."""
    try:
        handle = files.open_stored(found.stored_name)
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=found.file_name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
