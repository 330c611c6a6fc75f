"""The participant list's report column (SPEC S4.5): each participant's joint plan and last month's report, and the
filters "report due" and "not approved".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Exists, F, OuterRef, Q
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.access.scoping import visible
from faportal.core.dates import YearMonth, add_working_days
from faportal.documents import rules
from faportal.documents.models import Document, Review, ReviewStatus
from faportal.documents.selectors import DRAFT, status_of
from faportal.documents.templatetags.documents import status_tag
from faportal.placements import listing
from faportal.placements.models import Placement
from faportal.placements.rules import last_day


@dataclass(frozen=True)
class RowReporting:
    """What the list shows of one participant's reporting."""

    plan: str  # "missing", "draft", or a review status
    plan_deadline: datetime.date | None
    plan_overdue: bool
    month: YearMonth | None  # last month, if the placement ran in it
    month_status: str  # "missing", "draft", or a review status
    rejected: bool  # a document not approved and not yet replaced


def decorate(actor: Actor, rows: Iterable[Placement], day: datetime.date) -> None:
    """Sets ``placement.reporting`` on each row shown, from one query."""
    placements = list(rows)
    ids = [placement.pk for placement in placements]
    last_month = YearMonth.of(day).previous()
    # What the column reads of the rows shown, by the index on the placement: their plans, last month's reports,
    # and what was not approved with the corrections of it; only the fields read (a year's reports, absences and
    # their contents would cost more to load than the page).
    rejected_status = Q(review__status=ReviewStatus.REJECTED) | Q(corrects__review__status=ReviewStatus.REJECTED)
    documents = list(
        visible(actor, Role.REPORT, Document.objects.filter(placement_id__in=ids))
        .filter(Q(kind="plan") | Q(kind="monthly_report", period_start=last_month.first_day) | rejected_status)
        .select_related("review")
        .only("placement_id", "kind", "period_start", "corrects_id", "submitted_at", "created_at", "review__status")
        .order_by("created_at")
    )
    # A document is replaced when its correction is submitted: both are among the rows read.
    replaced = {d.corrects_id for d in documents if d.corrects_id is not None and not d.is_draft}

    def state(document: Document) -> str:
        return status_of(document, replaced=replaced)

    by_placement: dict[int, list[Document]] = {}
    for document in documents:
        by_placement.setdefault(document.placement_id, []).append(document)
    for placement in placements:
        mine = by_placement.get(placement.pk, [])
        first_day = placement.starts_on
        final_day = last_day(ends_on=placement.ends_on, interrupts_on=placement.interrupts_on)
        plans = [d for d in mine if d.kind == "plan"]
        rejected = any(state(d) == ReviewStatus.REJECTED for d in mine)
        plan = state(plans[-1]) if plans else "missing"
        if plans and plan == DRAFT and any(not d.is_draft for d in plans):
            plan = state([d for d in plans if not d.is_draft][-1])
        deadline = rules.plan_deadline(first_day) if final_day >= first_day else None
        ran_last_month = (
            final_day >= last_month.first_day and first_day <= last_month.last_day and final_day >= first_day
        )
        reports = [d for d in mine if d.kind == "monthly_report" and d.period_start == last_month.first_day]
        month_status = state(reports[-1]) if reports else "missing"
        placement.reporting = RowReporting(  # type: ignore[attr-defined]
            plan=plan,
            plan_deadline=deadline,
            plan_overdue=plan in ("missing", DRAFT) and deadline is not None and deadline < day and final_day >= day,
            month=last_month if ran_last_month else None,
            month_status=month_status,
            rejected=rejected,
        )


def _latest_start_with_plan_overdue(day: datetime.date) -> datetime.date:
    """The latest start whose plan deadline (five working days after it) has passed by ``day``."""
    start = day - datetime.timedelta(days=1)
    while add_working_days(start, rules.PLAN_DEADLINE_WORKING_DAYS) >= day:
        start -= datetime.timedelta(days=1)
    return start


def _submitted(kind: str, **lookup: object) -> Exists:
    return Exists(Document.objects.filter(placement=OuterRef("pk"), kind=kind, submitted_at__isnull=False, **lookup))


def due_condition(day: datetime.date) -> Q:
    """Rapport saknas: the plan is overdue, or last month's report is not submitted (the month has ended).

    Read from the placement's own copies (``keep_copies``), so the filter costs what the list costs: only a
    placement whose latest report is for a later month (it ended this month and reported it) is looked up.
    """
    last_month = YearMonth.of(day).previous()
    running = Q(ends_on__gte=day) & (Q(interrupts_on__isnull=True) | Q(interrupts_on__gt=day))
    plan_overdue = running & Q(starts_on__lte=_latest_start_with_plan_overdue(day)) & Q(plan_submitted_at__isnull=True)
    ran_last_month = (
        Q(starts_on__lte=last_month.last_day, ends_on__gte=last_month.first_day)
        & (Q(interrupts_on__isnull=True) | Q(interrupts_on__gt=last_month.first_day))
        & (Q(interrupts_on__isnull=True) | Q(interrupts_on__gt=F("starts_on")))  # it ran at all
    )
    first = last_month.first_day
    not_reported = (
        Q(latest_report_month__isnull=True)
        | Q(latest_report_month__lt=first)
        | (Q(latest_report_month__gt=first) & ~Q(_submitted("monthly_report", period_start=first)))
    )
    return plan_overdue | (ran_last_month & not_reported)


def keep_copies(document: Document) -> None:
    """A submitted plan or monthly report, and any decision or correction, move its placement's copies on
    (``Placement.plan_submitted_at``, ``latest_report_month``, ``has_open_rejection``), which the filters read.
    """
    placement = Placement.objects.filter(pk=document.placement_id)
    if document.kind == "plan" and document.submitted_at is not None:
        placement.filter(plan_submitted_at__isnull=True).update(plan_submitted_at=document.submitted_at)
    elif document.kind == "monthly_report" and document.submitted_at is not None:
        placement.filter(Q(latest_report_month__isnull=True) | Q(latest_report_month__lt=document.period_start)).update(
            latest_report_month=document.period_start
        )
    replaced = Document.objects.filter(corrects=OuterRef("document_id"), submitted_at__isnull=False)
    waiting = (
        Review.objects.filter(document__placement_id=document.placement_id, status=ReviewStatus.REJECTED)
        .exclude(Exists(replaced))
        .exists()
    )
    placement.exclude(has_open_rejection=waiting).update(has_open_rejection=waiting)


def rejected_condition(day: datetime.date) -> Q:
    """Ej godkänd: a document that was not approved and has no submitted correction yet (the placement's copy,
    kept by ``keep_copies``)."""
    return Q(has_open_rejection=True)


def cell(placement: Placement) -> SafeString:
    """The row's cell: the plan's status (overdue after its deadline), last month's report, and anything not
    approved; made in Python, as fifty rows of templates would cost more than the page's queries.
    """
    found: RowReporting | None = getattr(placement, "reporting", None)
    if found is None:
        return SafeString("")
    return _cell(found, get_language())


@lru_cache(maxsize=2048)
def _cell(found: RowReporting, language: str) -> SafeString:
    """``cell`` for one state of a row's reporting in one language: made once, as fifty rows share a few states."""
    if found.plan_overdue and found.plan_deadline is not None:
        deadline = formats.date_format(found.plan_deadline, "SHORT_DATE_FORMAT")
        plan = format_html(
            '<span class="ds-tag" data-color="danger" data-size="sm" title="{}">{}<span class="ds-sr-only"> ({})</span>'
            "</span>",
            _("Due by %(date)s") % {"date": deadline},
            _("Overdue"),
            _("due by %(date)s") % {"date": deadline},
        )
    else:
        plan = status_tag(found.plan)
    items = [format_html('<li><span class="fa-muted">{}</span> {}</li>', _("Plan"), plan)]
    if found.month is not None:
        items.append(
            format_html(
                '<li><span class="fa-muted"><abbr title="{}">{}</abbr></span> {}</li>',
                formats.date_format(found.month.first_day, "F Y"),
                formats.date_format(found.month.first_day, "b"),
                status_tag(found.month_status),
            )
        )
    if found.rejected and "rejected" not in (found.plan, found.month_status):
        items.append(format_html("<li>{}</li>", status_tag("rejected")))
    return format_html('<ul class="fa-report-status">{}</ul>', mark_safe("".join(items)))  # noqa: S308


COLUMN = listing.register_column(
    listing.ListColumn(
        key="rapportering",
        header=gettext_lazy("Reporting"),
        cell=cell,
        decorate=decorate,
        filter_label=gettext_lazy("Reporting"),
        filters=(
            listing.ListFilterOption("saknas", gettext_lazy("Report due"), due_condition),
            listing.ListFilterOption("ej-godkand", gettext_lazy("Not approved"), rejected_condition),
        ),
    )
)
