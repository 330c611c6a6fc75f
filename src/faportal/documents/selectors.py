"""Reads for documents (SPEC S5, S6), scoped through ``visible`` and joined, so a page costs a fixed number of queries.

The provider reads with the reporting role at the placement's address; Af's reviewers read every organisation's.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role
from faportal.access.scoping import get_visible_or_404, visible
from faportal.core.dates import YearMonth
from faportal.documents import kinds
from faportal.documents.kinds import DocumentKind, Facts, Period
from faportal.documents.models import Document, DocumentFile, Review, ReviewStatus
from faportal.placements.models import Placement, today
from faportal.placements.selectors import with_interruption, with_status

# What a document's status is, as lists show it (a draft has no review; a replaced one has a submitted correction).
DRAFT = "draft"
REPLACED = "replaced"


def status_of(document: Document, *, replaced: set[int] | None = None) -> str:
    """Utkast, inskickad, mottagen, godkänd, ej godkänd, or ersatt (needs ``review`` read, and ``correction`` unless
    ``replaced`` names the documents whose correction is submitted).
    """
    if document.is_draft:
        return DRAFT
    if replaced is not None:
        if document.pk in replaced:
            return REPLACED
    else:
        correction = getattr(document, "correction", None)
        if correction is not None and not correction.is_draft:
            return REPLACED
    review = getattr(document, "review", None)
    return review.status if review is not None else ReviewStatus.SUBMITTED


def with_review(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Documents with their review and who wrote them (one query), and the corrections that replace them (one more:
    a join to the same table would have the planner scan it).
    """
    return documents.select_related(
        "review", "created_by__person", "submitted_by__person", "review__decided_by"
    ).prefetch_related("correction")


def facts_from_annotated(placement: Placement) -> Facts:
    """The rules' facts of a placement read with ``with_interruption``."""
    return Facts(
        placement_id=placement.pk,
        period=placement.period,
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        interrupts_on=placement.interrupts_on,
    )


# --- the Rapportering tab ---------------------------------------------------------------------------------------


@dataclass
class Line:
    """A document and the earlier versions it replaced, newest first (shown together)."""

    current: Document
    kind: DocumentKind
    period_label: str
    status: str
    earlier: list[Document] = field(default_factory=list)


@dataclass
class Due:
    """Something the provider should submit: a joint plan, or a month's report."""

    kind: DocumentKind
    period: Period
    period_label: str
    deadline: datetime.date | None
    overdue: bool
    document: Document | None  # the draft begun, if any
    rejected: Document | None = None  # not approved: to correct


@dataclass
class Reporting:
    lines: list[Line]
    due: list[Due]
    new: list[tuple[DocumentKind, list[tuple[Period, str]]]]  # what can be started now, per kind
    plan_approved: bool  # the monthly reports' activities come from an approved plan

    @property
    def new_groups(self) -> list[list[tuple[DocumentKind, list[tuple[Period, str]]]]]:
        """What can be started, the plan and the reports of a period first, then the reports of what happened."""
        groups = [[each for each in self.new if not each[0].many], [each for each in self.new if each[0].many]]
        return [group for group in groups if group]


def reporting(*, actor: Actor, placement: Placement) -> Reporting:
    """Rapportering (SPEC S4.6): the placement's documents, what is due, and what can be started now."""
    documents = list(
        with_review(visible(actor, Role.REPORT, Document.objects.filter(placement=placement))).order_by(
            "-period_start", "kind", "-created_at"
        )
    )
    for document in documents:
        document.status = status_of(document)  # type: ignore[attr-defined]
    lines: dict[int, Line] = {}
    for document in sorted(documents, key=lambda d: d.created_at, reverse=True):
        root = document.original_id or document.pk
        kind = kinds.find(document.kind)
        if kind is None:
            continue
        if root not in lines:
            label = kind.period_label(document.period_start, document.period_end)
            lines[root] = Line(document, kind, label, document.status)  # type: ignore[attr-defined]
        else:
            lines[root].earlier.append(document)
    ordered = sorted(lines.values(), key=lambda line: (line.current.period_start, line.kind.key), reverse=True)
    facts = with_documents(facts_from_annotated(placement), documents)
    day = today()
    due = [_correction_due(line) for line in ordered if line.status == ReviewStatus.REJECTED] + _due(
        facts, documents, day
    )
    approved = any(d.kind == "plan" and d.status == ReviewStatus.APPROVED for d in documents)  # type: ignore[attr-defined]
    return Reporting(lines=ordered, due=due, new=_new(facts, documents, day), plan_approved=approved)


def _correction_due(line: Line) -> Due:
    """A document not approved: correct it (or carry on with the correction begun)."""
    document = line.current
    draft = getattr(document, "correction", None)
    period = Period(document.period_start, document.period_end)
    return Due(line.kind, period, line.period_label, None, True, draft if draft and draft.is_draft else None, document)


def with_documents(facts: Facts, documents: Iterable[Document]) -> Facts:
    """The facts with the kinds of the placement's submitted and approved documents (read with their reviews)."""
    sent = [d for d in documents if not d.is_draft]
    return dataclasses.replace(
        facts,
        submitted=frozenset(d.kind for d in sent),
        approved=frozenset(
            d.kind for d in sent if getattr(d, "review", None) is not None and d.review.status == ReviewStatus.APPROVED
        ),
    )


def _new(
    facts: Facts, documents: list[Document], day: datetime.date
) -> list[tuple[DocumentKind, list[tuple[Period, str]]]]:
    offered = []
    for kind in kinds.all_kinds():
        taken = {d.period_start for d in documents if d.kind == kind.key and d.original_id is None}
        periods = kind.new_periods(facts, taken, day)
        if periods:
            offered.append((kind, [(period, kind.period_label(period.start, period.end)) for period in periods]))
    return offered


def _due(facts: Facts, documents: list[Document], day: datetime.date) -> list[Due]:
    """What each kind says is due (the plan, every month over, the final report …), with the draft begun if any."""
    due = []
    for kind in kinds.all_kinds():
        for item in kind.due(facts, documents, day):
            draft = next(
                (d for d in documents if d.kind == kind.key and d.is_draft and d.period_start == item.period.start),
                None,
            )
            label = kind.period_label(item.period.start, item.period.end)
            due.append(Due(kind, item.period, label, item.deadline, item.overdue, draft))
    return due


# --- one document ------------------------------------------------------------------------------------------------


def document(*, actor: Actor, document_id: int, role: Role | AfRole = Role.REPORT) -> Document:
    """One document with its placement (read with its interruption), review and versions; the read is audited."""
    # The placement is read by a query of its own below: joined here too, the query had seventeen tables, which cost
    # PostgreSQL more to plan (tens of ms) than to run.
    found = get_visible_or_404(
        actor,
        role,
        with_review(Document.objects.all()).select_related("corrects__review"),
        audit_read="documents.read",
        pk=document_id,
    )
    found.placement = (
        with_status(with_interruption(Placement.objects.filter(pk=found.placement_id)), today())
        .select_related("participant", "service", "unit", "address__municipality", "supervisor__person", "organisation")
        .get()
    )
    found.status = status_of(found)  # type: ignore[attr-defined]
    return found


def versions(*, actor: Actor, document: Document, role: Role | AfRole = Role.REPORT) -> list[Document]:
    """Every version in the document's line of corrections, newest first, each with its status."""
    root = document.original_id or document.pk
    found = list(
        with_review(
            visible(actor, role, Document.objects.filter(pk=root) | Document.objects.filter(original_id=root))
        ).order_by("-created_at")
    )
    for each in found:
        each.status = status_of(each)  # type: ignore[attr-defined]
    return found


# --- Af's review (S6) ----------------------------------------------------------------------------------------

QUEUE_PAGE = 50


@dataclass
class Queue:
    kind: DocumentKind
    count: int


def review_queues(*, actor: Actor) -> list[Queue]:
    """Every kind's queue of documents waiting for review, with how many wait."""
    counts = dict(
        visible(actor, AfRole.REVIEWER, Review.objects.pending())
        .values_list("kind")
        .annotate(count=Count("pk"))
        .values_list("kind", "count")
    )
    return [Queue(kind, counts.get(kind.key, 0)) for kind in kinds.all_kinds()]


def review_queue(
    *, actor: Actor, kind: DocumentKind, after: tuple[datetime.datetime, int] | None = None
) -> list[Review]:
    """One kind's queue, oldest first, a page at a time from ``after`` (the last row of the page before)."""
    reviews = visible(actor, AfRole.REVIEWER, Review.objects.pending().filter(kind=kind.key))
    if after is not None:
        at, pk = after
        reviews = reviews.filter(submitted_at__gt=at) | reviews.filter(submitted_at=at, pk__gt=pk)
    return list(
        reviews.select_related(
            "document__placement__organisation",
            "document__placement__participant",
            "document__placement__unit",
            "document__corrects",
        ).order_by("submitted_at", "pk")[:QUEUE_PAGE]
    )


def placement_documents(*, actor: Actor, placement: Placement, role: Role | AfRole) -> list[Document]:
    """Every submitted document of a placement, newest first, with its status (the review's context)."""
    found = list(
        with_review(visible(actor, role, Document.objects.submitted().filter(placement=placement))).order_by(
            "-period_start", "-submitted_at"
        )
    )
    for each in found:
        each.status = status_of(each)  # type: ignore[attr-defined]
    return found


def document_file(*, actor: Actor, document_id: int, file_id: int, role: Role | AfRole = Role.REPORT) -> DocumentFile:
    """A file of a document (evidence, the PDF copy) the actor may read, or 404; the read is audited. Af reads the
    files of submitted documents only.
    """
    files = DocumentFile.objects.filter(document_id=document_id)
    if isinstance(role, AfRole):
        files = files.filter(document__submitted_at__isnull=False)
    return get_visible_or_404(actor, role, files, audit_read="documents.file_read", pk=file_id)


def copy_of(document: Document) -> DocumentFile | None:
    """The PDF copy of a submitted document, once the worker has made it."""
    return DocumentFile.objects.filter(document=document, purpose=DocumentFile.Purpose.COPY).first()


def latest_approved_plan(documents: Iterable[Document]) -> Document | None:
    plans = [d for d in documents if d.kind == "plan" and d.status == ReviewStatus.APPROVED]  # type: ignore[attr-defined]
    return max(plans, key=lambda d: d.submitted_at or d.created_at, default=None)


def month_of(document: Document) -> YearMonth:
    return YearMonth.of(document.period_start)
