"""Af's review of the providers' documents (SPEC S5, S6): a queue per kind, oldest first; a document beside its
placement's context; approve, or not with a reason.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from faportal.access.middleware import actor_of
from faportal.access.models import AfRole
from faportal.access.scoping import require_role
from faportal.backoffice.review_forms import ReviewForm
from faportal.core.http import posted
from faportal.core.problems import Refused
from faportal.documents import kinds
from faportal.documents import selectors as document_selectors
from faportal.documents import services as document_services
from faportal.documents.models import Document
from faportal.documents.views import file_response


def _cursor(value: str) -> tuple[datetime.datetime, int] | None:
    """The queue's place to continue from: "<ISO time>_<id>" of the last row of the page before."""
    at, _sep, pk = value.rpartition("_")
    if not (pk.isascii() and pk.isdigit() and len(pk) < 19):
        return None
    try:
        moment = datetime.datetime.fromisoformat(at)
    except ValueError:
        return None
    return (moment, int(pk)) if moment.tzinfo is not None else None


def queue(request: HttpRequest) -> HttpResponse:
    """Granskning: the documents waiting for review, per kind, the oldest first."""
    actor = actor_of(request)
    require_role(actor, AfRole.REVIEWER)
    queues = document_selectors.review_queues(actor=actor)
    chosen = kinds.find(request.GET.get("typ", "")) or next(
        (each.kind for each in queues if each.count), queues[0].kind if queues else None
    )
    after = _cursor(request.GET.get("efter", ""))
    reviews = document_selectors.review_queue(actor=actor, kind=chosen, after=after) if chosen else []
    last = reviews[-1] if len(reviews) == document_selectors.QUEUE_PAGE else None
    return render(
        request,
        "backoffice/review_queue.html",
        {
            "queues": queues,
            "chosen": chosen,
            "reviews": reviews,
            "next_cursor": f"{last.submitted_at.isoformat()}_{last.pk}" if last else "",
            "continued": after is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, document_id: int) -> HttpResponse:
    """One document to review, with its placement's context: the plan and the earlier reports."""
    actor = actor_of(request)
    require_role(actor, AfRole.REVIEWER)
    found = document_selectors.document(actor=actor, document_id=document_id, role=AfRole.REVIEWER)
    form = ReviewForm(posted(request))
    if request.method == "POST" and form.is_valid() and not found.is_draft:
        try:
            document_services.decide(
                actor=actor, document=found, approve=form.approve, reason=form.cleaned_data["reason"]
            )
        except Refused as refused:
            form.add_problems(refused)
        else:
            kind = kinds.kind(found.kind)
            messages.success(
                request,
                (_("Approved: %(document)s.") if form.approve else _("Not approved: %(document)s."))
                % {"document": f"{kind.label}, {kind.period_label(found.period_start, found.period_end)}"},
            )
            following = document_selectors.review_queue(actor=actor, kind=kind)
            if following:
                return redirect("backoffice:review", document_id=following[0].document_id)
            return redirect(reverse("backoffice:review_queue") + f"?typ={kind.key}")
    if request.method == "GET" and not found.is_draft and found.status in ("submitted",):  # type: ignore[attr-defined]
        document_services.receive(actor=actor, document=found)
        found = document_selectors.document(actor=actor, document_id=document_id, role=AfRole.REVIEWER)
    return _page(request, found, form)


def _page(request: HttpRequest, document: Document, form: ReviewForm) -> HttpResponse:
    actor = actor_of(request)
    kind = kinds.kind(document.kind)
    facts = document_services.facts_of(document.placement, document)
    others = document_selectors.placement_documents(actor=actor, placement=document.placement, role=AfRole.REVIEWER)
    plan = document_selectors.latest_approved_plan(others)
    context = {
        "document": document,
        "placement": document.placement,
        "kind": kind,
        "period_label": kind.period_label(document.period_start, document.period_end),
        "content": document.content or {},
        "kind_template": kind.view_template,
        "others": [
            (
                other,
                kinds.kind(other.kind).label,
                kinds.kind(other.kind).period_label(other.period_start, other.period_end),
            )
            for other in others
            if other.pk != document.pk
        ],
        "plan": plan,
        "copy": document_selectors.copy_of(document) if not document.is_draft else None,
        "file_url_name": "backoffice:review_file",
        "form": form,
        "decided": document.status in ("approved", "rejected", "replaced"),  # type: ignore[attr-defined]
        **kind.view_context(document.content or {}, facts, document_services.period_of(document)),
    }
    if plan is not None and plan.pk != document.pk:
        plan_kind = kinds.kind("plan")
        context["plan_context"] = plan_kind.view_context(plan.content or {}, facts, document_services.period_of(plan))
    return render(request, "backoffice/review.html", context)


@require_GET
def review_file(request: HttpRequest, document_id: int, file_id: int) -> HttpResponseBase:
    """A submitted document's file (its evidence, its PDF copy) for the reviewer: always a download."""
    actor = actor_of(request)
    require_role(actor, AfRole.REVIEWER)
    found = document_selectors.document_file(
        actor=actor, document_id=document_id, file_id=file_id, role=AfRole.REVIEWER
    )
    return file_response(found)
