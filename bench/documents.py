"""The documents of the benchmark world (issue 7): joint plans and monthly reports, and the pages that show them.

Every participant who has started and has a supervisor has a joint plan, approved (a few still wait for Af); each of
the last three months that is over has its report, approved, except last month's, where a share waits for review,
is not approved, or is missing. At scale 1 that is about a million and a half documents, each with its review.
The measured pages are the reporting tab, a plan, the monthly report's calendar (shown and saved as one types) and
Af's review queue and review page, on the biggest provider.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterator
from typing import Any

from bench.loader import Table, next_id, reset_sequences
from bench.pages import Page, Sample, register
from bench.world import World, step
from django.apps import apps as django_apps
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.core.dates import YearMonth
from faportal.documents import services
from faportal.documents.models import Document, Review

ACTIVITIES = ["matchning", "jobbsokning", "digital"]
NAMES = {"matchning": "Matchning mot arbete", "jobbsokning": "Stöd i jobbsökande", "digital": "Digital kompetens"}


def _plan_content(day: datetime.date) -> dict[str, Any]:
    return {
        "planned_on": day.isoformat(),
        "distance": False,
        "activities": ACTIVITIES,
        "activity_names": NAMES,
        "weeks": 2,
        "schedule": [
            {
                "activity": "digital",
                "day": (day + datetime.timedelta(days=1)).isoformat(),
                "starts_at": "09:00",
                "ends_at": "11:00",
                "place": "Kontoret",
                "provider": "provider",
                "provider_name": "",
                "notes": "",
            }
        ],
        "notes": "Fokus på lager och logistik.",
        "together": True,
    }


def _monthly_content(month: YearMonth) -> dict[str, Any]:
    hours = {
        day.isoformat(): {"matchning": "2.00", "eget_arbete": "3.00"}
        for day in month.days()
        if day.weekday() < 5 and day.day % 3
    }
    return {
        "month": str(month),
        "activities": [*ACTIVITIES, "eget_arbete"],
        "activity_names": {**NAMES, "eget_arbete": "Eget arbete enligt gemensam planering med anordnare"},
        "hours": hours,
        "total": str(5 * len(hours)),
        "language_support": False,
        "suggested_jobs": True,
        "other_info": "",
    }


@step("documents")
def documents(world: World) -> None:
    """Plans and monthly reports for every participant who has started and has a supervisor, with their reviews."""
    w = world
    today = w.today
    this_month = YearMonth.of(today)
    months = [this_month.previous().previous().previous(), this_month.previous().previous(), this_month.previous()]
    month_contents = {month: _monthly_content(month) for month in months}
    reviewer = world.auditor  # Af's person who reviews
    document_id = next_id(Document)
    review_id = next_id(Review)
    reviews: list[tuple[Any, ...]] = []

    def review(doc: int, kind: str, submitted: datetime.datetime, status: str) -> None:
        nonlocal review_id
        decided = status in ("approved", "rejected")
        at = min(submitted + datetime.timedelta(days=2), w.now)
        reviews.append(
            (
                review_id,
                doc,
                kind,
                submitted,
                status,
                at if status != "submitted" else None,
                reviewer if status != "submitted" else None,
                at if decided else None,
                reviewer if decided else None,
                "Timmarna stämmer inte med schemat." if status == "rejected" else "",
            )
        )
        review_id += 1

    def rows() -> Iterator[tuple[Any, ...]]:
        nonlocal document_id
        for k in range(len(w.p_org)):
            supervisor = w.p_supervisor[k]
            starts = w.day(w.p_starts[k])
            if not supervisor or starts > today or w.p_removed[k]:
                continue
            last = w.day(w.p_interrupts[k]) - datetime.timedelta(days=1) if w.p_interrupts[k] else w.day(w.p_ends[k])
            if last < starts:
                continue
            pid = w.placement_id(k)
            planned = w.moment(w.p_starts[k] - 2 if w.p_starts[k] - 2 >= w.p_decided[k] else w.p_decided[k], 3600)
            pending_plan = k % 50 == 7 and last >= today
            yield (
                document_id, pid, "plan", starts, w.day(w.p_ends[k]), None, None, 2, {},
                _plan_content(planned.date()), planned, supervisor, planned, supervisor, planned, supervisor,
            )  # fmt: skip
            review(document_id, "plan", planned, "submitted" if pending_plan else "approved")
            document_id += 1
            for number, month in enumerate(months):
                if month.last_day < starts or month.first_day > last or month.first_day < starts.replace(day=1):
                    continue
                is_last = number == len(months) - 1
                if is_last and k % 10 == 3:
                    continue  # not sent: due
                sent_day = month.last_day + datetime.timedelta(days=2)
                sent = w.moment(min(sent_day, today).toordinal(), 7200)
                status = "approved"
                if is_last:
                    status = {0: "submitted", 1: "received", 2: "rejected"}.get(k % 10, "approved")
                yield (
                    document_id, pid, "monthly_report", month.first_day, month.last_day, None, None, 2, {},
                    month_contents[month], sent, supervisor, sent, supervisor, sent, supervisor,
                )  # fmt: skip
                review(document_id, "monthly_report", sent, status)
                document_id += 1

    Table(
        Document,
        [
            "id",
            "placement_id",
            "kind",
            "period_start",
            "period_end",
            "corrects_id",
            "original_id",
            "version",
            "draft",
            "content",
            "created_at",
            "created_by_id",
            "saved_at",
            "saved_by_id",
            "submitted_at",
            "submitted_by_id",
        ],
    ).write(rows())
    Table(
        Review,
        [
            "id",
            "document_id",
            "kind",
            "submitted_at",
            "status",
            "received_at",
            "received_by_id",
            "decided_at",
            "decided_by_id",
            "reason",
        ],
    ).write(reviews)
    reset_sequences([Document, Review])
    # The placements' copies of how far their reporting has come, as the migration that adds them fills them.
    importlib.import_module("faportal.documents.migrations.0005_fill_reporting_copies").fill(django_apps, None)


# --- what is measured --------------------------------------------------------------------------------------------

_FOUND: dict[int, dict[str, int]] = {}


def _ids(sample: Sample) -> dict[str, int]:
    """The documents the pages open: the supervisor's participant's plan, a draft of this month's report (made here,
    through the services), and a report waiting in Af's queue.
    """
    found = _FOUND.get(id(sample))
    if found is None:
        placement = sample.placement
        plan = Document.objects.filter(placement=placement, kind="plan").order_by("pk").first()
        month = YearMonth.of(timezone.localdate())
        draft = Document.objects.filter(
            placement=placement, kind="monthly_report", period_start=month.first_day
        ).first()
        if draft is None:
            draft = services.start_document(
                actor=Actor.for_staff_account(sample.supervisor),
                placement=placement,
                kind_key="monthly_report",
                period_start=month.first_day,
            )
        waiting = (
            Review.objects.filter(kind="monthly_report", decided_at__isnull=True)
            .order_by("submitted_at", "pk")
            .values_list("document_id", flat=True)
            .first()
        )
        found = _FOUND[id(sample)] = {
            "plan": plan.pk if plan else 0,
            "draft": draft.pk,
            "waiting": waiting or 0,
        }
    return found


def _autosave(sample: Sample) -> dict[str, Any]:
    """The calendar as it is typed: a few cells and the current version (each save moves it on)."""
    draft_id = _ids(sample)["draft"]
    version = Document.objects.filter(pk=draft_id).values_list("version", flat=True).get()
    month = YearMonth.of(timezone.localdate())
    first_weekday = next(day for day in month.days() if day.weekday() < 5)
    return {
        "version": str(version),
        f"hours-matchning-{first_weekday.isoformat()}": "2",
        f"hours-eget_arbete-{first_weekday.isoformat()}": "1,5",
        "language_support": "no",
        "suggested_jobs": "yes",
        "other_info": "Sökte tre tjänster.",
    }


register(
    Page(
        "Rapportering (flik)",
        "provider",
        "supervisor",
        lambda s: f"/deltagare/{s.placement.pk}/rapportering/",
    ),
    Page("Handling: gemensam planering", "provider", "supervisor", lambda s: f"/handlingar/{_ids(s)['plan']}/"),
    Page("Periodisk redovisning: kalendern", "provider", "supervisor", lambda s: f"/handlingar/{_ids(s)['draft']}/"),
    Page(
        "Periodisk redovisning: spara medan man skriver",
        "provider",
        "supervisor",
        lambda s: f"/handlingar/{_ids(s)['draft']}/spara/",
        method="POST",
        body=_autosave,
        headers=(("X-Autosave", "1"),),
    ),
    Page("Deltagarlista, rapport saknas", "provider", "coordinator", "/deltagare/?rapportering=saknas"),
    Page("Deltagarlista, ej godkänd", "provider", "coordinator", "/deltagare/?rapportering=ej-godkand"),
    Page("Af: granskning", "back office", "auditor", "/af/granskning/", acting_for="af"),
    Page(
        "Af: granskning, periodiska redovisningar",
        "back office",
        "auditor",
        "/af/granskning/?typ=monthly_report",
        acting_for="af",
    ),
    Page(
        "Af: granska en redovisning",
        "back office",
        "auditor",
        lambda s: f"/af/granskning/{_ids(s)['waiting']}/",
        acting_for="af",
    ),
)
