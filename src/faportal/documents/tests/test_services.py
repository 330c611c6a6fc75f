"""One life cycle for every document (SPEC S5, S6): drafts, submitting, the review, corrections, and finality."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import Http404

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.audit.models import AuditEvent
from faportal.core.dates import YearMonth
from faportal.core.problems import Refused
from faportal.documents import events, services
from faportal.documents.models import Document, FinalRowError, Review, ReviewStatus
from faportal.documents.rules import Code
from faportal.documents.selectors import status_of
from faportal.placements.models import Event
from faportal.placements.selectors import participant_list, unread_counts
from faportal.testing import (
    approved_plan,
    plan_draft,
    review_document,
    submit_document,
    write_document,
)

pytestmark = pytest.mark.django_db


def last_month() -> YearMonth:
    return YearMonth.of(datetime.date.today()).previous()


def test_a_plan_goes_from_draft_to_approved(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    assert plan.is_draft
    assert status_of(plan) == "draft"

    submit_document(plan, scene.reporter)
    plan.refresh_from_db()
    assert plan.content["activities"] == ["matchning", "jobbsokning", "digital"]
    assert plan.draft == {}
    assert Review.objects.get(document=plan).status == ReviewStatus.SUBMITTED

    services.receive(actor=scene.reviewer_actor, document=plan)
    assert Review.objects.get(document=plan).status == ReviewStatus.RECEIVED
    review_document(plan, scene.reviewer)
    review = Review.objects.get(document=plan)
    assert (review.status, review.decided_by_id) == (ReviewStatus.APPROVED, scene.reviewer.person_id)
    audited = AuditEvent.objects.filter(subject_type="documents.Document", subject_id=str(plan.pk))
    actions = list(audited.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        "documents.draft_started",
        "documents.draft_saved",
        "documents.submitted",
        "documents.received",
        "documents.approved",
    ]
    kinds = list(Event.objects.filter(placement=scene.placement).order_by("at", "pk").values_list("kind", flat=True))
    assert kinds[-2:] == [events.SUBMITTED.code, events.APPROVED.code]


def test_only_the_reporting_role_at_the_address_writes(scene):
    at_other_address = scene.world.by_roles[frozenset({Role.RECEIVE})]  # A11, but not reporting
    with pytest.raises(Http404):
        services.start_document(
            actor=Actor.for_staff_account(at_other_address),
            placement=scene.placement,
            kind_key="plan",
            period_start=scene.placement.starts_on,
        )
    with pytest.raises(Http404):
        services.start_document(
            actor=Actor.for_staff_account(scene.world.admin_b),  # another organisation, every role
            placement=scene.placement,
            kind_key="plan",
            period_start=scene.placement.starts_on,
        )
    assert not Document.objects.exists()


def test_one_plan_per_period_and_one_report_per_month(scene):
    write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    with pytest.raises(Refused) as error:
        services.start_document(
            actor=scene.reporter_actor,
            placement=scene.placement,
            kind_key="plan",
            period_start=scene.placement.starts_on,
        )
    assert error.value.codes == [Code.ALREADY_EXISTS]
    month = last_month()
    write_document(scene.placement, scene.reporter, "monthly_report", month.first_day, {})
    with pytest.raises(Refused):
        services.start_document(
            actor=scene.reporter_actor,
            placement=scene.placement,
            kind_key="monthly_report",
            period_start=month.first_day,
        )
    assert Document.objects.count() == 2


def test_no_report_for_a_month_the_placement_does_not_run_in(scene):
    before = YearMonth.of(scene.placement.starts_on).previous()
    ahead = YearMonth.of(datetime.date.today()).next()
    for month in (before, ahead):
        with pytest.raises(Refused) as error:
            services.start_document(
                actor=scene.reporter_actor,
                placement=scene.placement,
                kind_key="monthly_report",
                period_start=month.first_day,
            )
        assert error.value.codes == [Code.PERIOD_NOT_OPEN]


def test_a_stale_draft_is_never_overwritten(scene):
    plan = write_document(
        scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft(notes="Flik 1")
    )
    first_tab_version = plan.version - 1  # the page opened before the save above
    with pytest.raises(Refused) as error:
        services.save_draft(
            actor=scene.reporter_actor, document=plan, version=first_tab_version, data=plan_draft(notes="Flik 2")
        )
    assert error.value.codes == [Code.STALE_DRAFT]
    assert error.value.problems[0].params["version"] == plan.version
    plan.refresh_from_db()
    assert plan.draft["notes"] == ["Flik 1"]


def test_saving_as_one_types_is_one_change_in_the_log(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    for word in ("a", "ab", "abc"):
        services.save_draft(
            actor=scene.reporter_actor, document=plan, version=plan.version, data=plan_draft(notes=word)
        )
        plan.refresh_from_db()
    assert plan.draft["notes"] == ["abc"]
    assert AuditEvent.objects.filter(action="documents.draft_saved", subject_id=str(plan.pk)).count() == 1


def test_the_draft_keeps_what_was_typed_even_when_it_is_wrong(scene):
    data = plan_draft(**{"schedule-0-day": "31/12", "notes": "x" * 2500})
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, data)
    assert plan.draft["schedule-0-day"] == ["31/12"]
    checked = services.preview(document=plan)
    assert {(problem.field, problem.code) for problem in checked.problems} == {
        ("schedule-0-day", Code.INVALID_DATE),
        ("notes", Code.TOO_LONG),
    }
    with pytest.raises(Refused):
        submit_document(plan, scene.reporter)
    assert Document.objects.get(pk=plan.pk).is_draft


def test_submitting_needs_an_explicit_confirmation(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    with pytest.raises(Refused) as error:
        services.submit(
            actor=scene.reporter_actor, document=plan, version=plan.version, confirmed=False, findings_confirmed=False
        )
    assert error.value.by_field() == {"confirmed": [Code.NOT_CONFIRMED]}
    assert Document.objects.get(pk=plan.pk).is_draft


def test_a_warning_about_the_free_text_must_be_seen_before_submitting(scene):
    plan = write_document(
        scene.placement,
        scene.reporter,
        "plan",
        scene.placement.starts_on,
        plan_draft(notes="Sjukskriven i två veckor."),
    )
    checked = services.preview(document=plan)
    assert [(finding.field, finding.kind) for finding in checked.findings] == [("notes", "health")]
    with pytest.raises(Refused) as error:
        services.submit(
            actor=scene.reporter_actor, document=plan, version=plan.version, confirmed=True, findings_confirmed=False
        )
    assert error.value.by_field() == {"findings_confirmed": [Code.SENSITIVE_NOT_CONFIRMED]}
    services.submit(
        actor=scene.reporter_actor, document=plan, version=plan.version, confirmed=True, findings_confirmed=True
    )
    event = AuditEvent.objects.get(action="documents.submitted")
    assert event.data["warnings_confirmed"] == ["health"]


def test_a_submitted_document_never_changes(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    submit_document(plan, scene.reporter)
    plan = Document.objects.get(pk=plan.pk)
    plan.content = {"activities": []}
    with pytest.raises(FinalRowError), transaction.atomic():
        plan.save()
    with pytest.raises(FinalRowError), transaction.atomic():
        Document.objects.filter(pk=plan.pk).update(content={})
    with pytest.raises(FinalRowError), transaction.atomic():
        Document.objects.filter(pk=plan.pk).delete()
    with pytest.raises(FinalRowError), transaction.atomic():
        plan.delete()
    with pytest.raises(Refused) as error:
        services.save_draft(actor=scene.reporter_actor, document=plan, version=plan.version, data={})
    assert error.value.codes == [Code.NOT_A_DRAFT]
    assert Document.objects.get(pk=plan.pk).content["activities"] == ["matchning", "jobbsokning", "digital"]


def test_the_database_itself_refuses_to_change_a_submitted_document(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    submit_document(plan, scene.reporter)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE documents_document SET content = %s WHERE id = %s", ["{}", plan.pk])
    assert Document.objects.get(pk=plan.pk).content["weeks"] == 2


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_a_submitted_document_or_a_decided_review(scene):
    if connection.vendor != "postgresql":
        pytest.skip("the delete triggers are PostgreSQL's")
    plan = approved_plan(scene.placement, scene.reporter, scene.reviewer)
    for table in ("documents_review", "documents_document"):
        column = "document_id" if table == "documents_review" else "id"
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [plan.pk])  # noqa: S608 - our own table names
    assert Review.objects.filter(document=plan, status=ReviewStatus.APPROVED).exists()


def test_a_draft_can_be_deleted_a_submitted_document_cannot(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    services.delete_draft(actor=scene.reporter_actor, document=plan)
    assert not Document.objects.exists()
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    submit_document(plan, scene.reporter)
    with pytest.raises(Refused):
        services.delete_draft(actor=scene.reporter_actor, document=plan)


def test_a_rejection_needs_a_reason_and_the_provider_sees_it(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    submit_document(plan, scene.reporter)
    with pytest.raises(Refused) as error:
        services.decide(actor=scene.reviewer_actor, document=plan, approve=False, reason="  ")
    assert error.value.by_field() == {"reason": [Code.REASON_REQUIRED]}
    services.decide(actor=scene.reviewer_actor, document=plan, approve=False, reason="Schemat saknar plats.")
    review = Review.objects.get(document=plan)
    assert (review.status, review.reason) == (ReviewStatus.REJECTED, "Schemat saknar plats.")
    event = Event.objects.filter(placement=scene.placement).latest("at")
    assert (event.kind, event.data["reason"]) == (events.REJECTED.code, "Schemat saknar plats.")
    # The supervisor's list flags it as unread until the participant is opened again.
    assert unread_counts(actor=scene.reporter_actor)["review"] == 1
    with pytest.raises(Refused) as again:
        services.decide(actor=scene.reviewer_actor, document=plan, approve=True)
    assert again.value.codes == [Code.ALREADY_DECIDED]


def test_a_decided_review_never_changes(scene):
    plan = approved_plan(scene.placement, scene.reporter, scene.reviewer)
    with pytest.raises(FinalRowError), transaction.atomic():
        Review.objects.filter(document=plan).update(status=ReviewStatus.REJECTED, reason="Nej")
    assert Review.objects.get(document=plan).status == ReviewStatus.APPROVED


def test_only_af_reviewers_review(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    submit_document(plan, scene.reporter)
    for actor in (scene.reporter_actor, Actor.for_staff_account(scene.world.admin_a)):
        with pytest.raises(Http404):
            services.decide(actor=actor, document=plan, approve=True)
    assert Review.objects.get(document=plan).status == ReviewStatus.SUBMITTED


def test_a_correction_replaces_the_rejected_version(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft(notes="Först"))
    submit_document(plan, scene.reporter)
    review_document(plan, scene.reviewer, approve=False, reason="Lägg till en aktivitet.")
    correction = services.start_correction(actor=scene.reporter_actor, document=plan)
    assert (correction.corrects_id, correction.original_id) == (plan.pk, plan.pk)
    assert correction.draft["notes"] == ["Först"]  # it starts from what the rejected version said
    assert services.start_correction(actor=scene.reporter_actor, document=plan) == correction  # carries on
    services.save_draft(
        actor=scene.reporter_actor, document=correction, version=correction.version, data=plan_draft(notes="Rättad")
    )
    correction.refresh_from_db()
    submit_document(correction, scene.reporter)
    plan = Document.objects.select_related("review", "correction").get(pk=plan.pk)
    assert status_of(plan) == "replaced"
    assert Review.objects.get(document=correction).status == ReviewStatus.SUBMITTED
    assert Event.objects.filter(placement=scene.placement, kind=events.SUBMITTED.code, data__corrects=True).exists()


def test_only_a_rejected_document_or_an_approved_plan_is_corrected(scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    submit_document(plan, scene.reporter)
    with pytest.raises(Refused) as error:
        services.start_correction(actor=scene.reporter_actor, document=plan)  # waiting for review
    assert error.value.codes == [Code.NOT_CORRECTABLE]
    review_document(plan, scene.reviewer)
    update = services.start_correction(actor=scene.reporter_actor, document=plan)  # a plan is updated
    assert update.corrects_id == plan.pk
    month = last_month()
    report = write_document(scene.placement, scene.reporter, "monthly_report", month.first_day, report_draft())
    submit_document(report, scene.reporter)
    review_document(report, scene.reviewer)
    with pytest.raises(Refused):
        services.start_correction(actor=scene.reporter_actor, document=report)  # an approved report stays


def report_draft(**changes):
    data = {"language_support": ["no"], "suggested_jobs": ["yes"], "other_info": [""]}
    data.update({key: [value] for key, value in changes.items()})
    return data


def first_open_day(month: YearMonth, placement) -> datetime.date:
    from faportal.documents.rules import closed_days

    closed = closed_days(month=month, starts_on=placement.starts_on, ends_on=placement.ends_on, interrupts_on=None)
    return next(day for day in month.days() if day not in closed)


def test_a_monthly_report_needs_an_approved_plan_and_an_ended_month(scene):
    month = last_month()
    report = write_document(scene.placement, scene.reporter, "monthly_report", month.first_day, report_draft())
    assert [problem.code for problem in services.preview(document=report).problems] == [Code.NO_APPROVED_PLAN]
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    assert services.preview(document=report).problems == []

    this_month = YearMonth.of(datetime.date.today())
    current = write_document(scene.placement, scene.reporter, "monthly_report", this_month.first_day, report_draft())
    problems = services.preview(document=current).problems
    assert [problem.code for problem in problems] == [Code.NOT_YET_SUBMITTABLE]
    assert problems[0].params == {"date": this_month.next().first_day.isoformat()}


def test_a_monthly_report_with_a_nine_hour_day_is_refused_at_that_day(scene):
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    month = last_month()
    day = first_open_day(month, scene.placement)
    draft = report_draft(**{f"hours-matchning-{day}": "6", f"hours-eget_arbete-{day}": "3"})
    report = write_document(scene.placement, scene.reporter, "monthly_report", month.first_day, draft)
    (problem,) = services.preview(document=report).problems
    assert (problem.field, problem.code, problem.params["total"]) == (f"day-{day}", Code.DAY_OVER_MAX, "9")
    services.save_draft(
        actor=scene.reporter_actor,
        document=report,
        version=report.version,
        data=report_draft(**{f"hours-matchning-{day}": "5", f"hours-eget_arbete-{day}": "3"}),
    )
    report.refresh_from_db()
    submit_document(report, scene.reporter)
    report.refresh_from_db()
    assert report.content["hours"] == {day.isoformat(): {"eget_arbete": "3.00", "matchning": "5.00"}}
    assert report.content["total"] == "8.00"


def test_a_monthly_report_offers_only_the_plans_activities_and_own_work(scene):
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    month = last_month()
    day = first_open_day(month, scene.placement)
    report = write_document(
        scene.placement,
        scene.reporter,
        "monthly_report",
        month.first_day,
        report_draft(**{f"hours-praktik-{day}": "2"}),
    )
    (problem,) = services.preview(document=report).problems
    assert (problem.field, problem.code) == (f"hours-praktik-{day}", Code.UNKNOWN_ACTIVITY)


def test_a_zero_hour_month_is_a_valid_report(scene):
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    report = write_document(scene.placement, scene.reporter, "monthly_report", last_month().first_day, report_draft())
    submit_document(report, scene.reporter)
    report.refresh_from_db()
    assert (report.content["total"], report.content["hours"]) == ("0", {})


def test_the_list_filters_on_reports_due_and_not_approved(scene):
    from faportal.placements.selectors import ListFilters

    due = ListFilters(columns=(("rapportering", "saknas"),))
    rejected = ListFilters(columns=(("rapportering", "ej-godkand"),))
    actor = scene.reporter_actor
    assert [p.pk for p in participant_list(actor=actor, filters=due)] == [scene.placement.pk]  # plan and report
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    assert [p.pk for p in participant_list(actor=actor, filters=due)] == [scene.placement.pk]  # last month's report
    report = write_document(scene.placement, scene.reporter, "monthly_report", last_month().first_day, report_draft())
    submit_document(report, scene.reporter)
    assert list(participant_list(actor=actor, filters=due)) == []
    assert list(participant_list(actor=actor, filters=rejected)) == []
    review_document(report, scene.reviewer, approve=False, reason="Kontrollera dagarna.")
    assert [p.pk for p in participant_list(actor=actor, filters=rejected)] == [scene.placement.pk]
    correction = services.start_correction(actor=actor, document=report)
    submit_document(correction, scene.reporter)
    assert list(participant_list(actor=actor, filters=rejected)) == []


def test_the_placement_keeps_how_far_its_reporting_has_come_and_the_migration_fills_it(scene):
    """The "report due" filter reads the placement's copies: a submitted plan and monthly report move them on; a
    draft does not; the migration that adds them fills them from the documents already submitted."""
    import importlib

    from django.apps import apps

    from faportal.placements.models import Placement

    placement = scene.placement
    plan = write_document(placement, scene.reporter, "plan", placement.starts_on, plan_draft())
    assert Placement.objects.get(pk=placement.pk).plan_submitted_at is None  # a draft is not a plan
    submit_document(plan, scene.reporter)
    review_document(plan, scene.reviewer)  # the month's report needs an approved plan
    plan.refresh_from_db()
    report = write_document(placement, scene.reporter, "monthly_report", last_month().first_day, report_draft())
    submit_document(report, scene.reporter)
    review_document(report, scene.reviewer, approve=False, reason="Kontrollera dagarna.")
    fields = ("plan_submitted_at", "latest_report_month", "has_open_rejection")
    copies = Placement.objects.values_list(*fields).get(pk=placement.pk)
    assert copies == (plan.submitted_at, last_month().first_day, True)
    Placement.objects.filter(pk=placement.pk).update(
        plan_submitted_at=None, latest_report_month=None, has_open_rejection=False
    )
    importlib.import_module("faportal.documents.migrations.0005_fill_reporting_copies").fill(apps, None)
    assert Placement.objects.values_list(*fields).get(pk=placement.pk) == copies
    correction = services.start_correction(actor=scene.reporter_actor, document=report)
    submit_document(correction, scene.reporter)  # the rejected report is replaced: nothing waits any more
    assert not Placement.objects.get(pk=placement.pk).has_open_rejection


def test_a_report_for_a_later_month_does_not_hide_a_missing_one(scene):
    """A placement that ended this month may report this month before last month: last month is still due."""
    from faportal.placements.models import Placement
    from faportal.placements.selectors import ListFilters

    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    due = ListFilters(columns=(("rapportering", "saknas"),))
    this_month = YearMonth.of(datetime.date.today()).first_day
    Placement.objects.filter(pk=scene.placement.pk).update(latest_report_month=this_month)
    assert [p.pk for p in participant_list(actor=scene.reporter_actor, filters=due)] == [scene.placement.pk]
    report = write_document(scene.placement, scene.reporter, "monthly_report", last_month().first_day, report_draft())
    submit_document(report, scene.reporter)
    assert Placement.objects.get(pk=scene.placement.pk).latest_report_month == this_month  # never moves back
    assert list(participant_list(actor=scene.reporter_actor, filters=due)) == []


def test_af_edits_the_catalogue_and_a_new_mandatory_activity_binds_new_plans(scene):
    services.save_activity(
        actor=scene.reviewer_actor,
        code="cv",
        values=services.ActivityValues(name="Cv-verkstad", description="", mandatory=True, active=True, position=5),
    )
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    (problem,) = services.preview(document=plan).problems
    assert (problem.code, problem.params["activities"]) == (Code.MANDATORY_MISSING, "Cv-verkstad")
    with pytest.raises(Refused):
        services.save_activity(
            actor=scene.reviewer_actor,
            code="cv",
            values=services.ActivityValues(name="Igen", description="", mandatory=False, active=True, position=5),
        )
    with pytest.raises(Http404):
        services.save_activity(
            actor=scene.reporter_actor,
            code="egen",
            values=services.ActivityValues(name="Egen", description="", mandatory=False, active=True, position=5),
        )
    assert AuditEvent.objects.filter(action="documents.catalogue_changed").count() == 1


def test_af_adds_a_sensitive_word_and_the_writer_is_warned(scene):
    plan = write_document(
        scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft(notes="Går på Anonyma Spelare.")
    )
    assert services.preview(document=plan).findings == []
    services.add_sensitive_term(actor=scene.reviewer_actor, term="  Spelare ", category="health")
    assert [finding.match for finding in services.preview(document=plan).findings] == ["Spelare"]
    from faportal.documents.models import SensitiveTerm

    term = SensitiveTerm.objects.get(term="spelare")
    services.set_sensitive_term_active(actor=scene.reviewer_actor, term=term, active=False)
    assert services.preview(document=plan).findings == []
