"""The documents' pages through real HTTP (SPEC S5, S6): what a supervisor and a reviewer see and do."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faportal.core.dates import YearMonth
from faportal.documents.models import Document, Review, ReviewStatus
from faportal.testing import (
    approved_plan,
    bulk_place,
    plan_draft,
    review_document,
    sign_in,
    submit_document,
    write_document,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's text as a person reads it (tags out, whitespace as single spaces)."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def form_data(draft: dict[str, list[str]], version: int, **extra) -> dict:
    return {**draft, "version": str(version), **extra}


@pytest.fixture
def reporter_client(client, scene):
    sign_in(client, scene.reporter.person)
    return client


def last_month() -> YearMonth:
    return YearMonth.of(datetime.date.today()).previous()


def test_the_reporting_tab_says_what_is_due_and_offers_it(reporter_client, scene):
    page = text(reporter_client.get(f"/deltagare/{scene.placement.pk}/rapportering/"))
    assert "Att skicka in" in page
    assert "Gemensam planering" in page
    assert "Ny gemensam planering" in page
    assert f"Periodisk redovisning, {last_month().first_day:%B %Y}".lower() in page.lower()
    assert "Inga handlingar ännu." in page


def test_a_plan_is_written_previewed_and_submitted(reporter_client, scene):
    started = reporter_client.post(
        f"/deltagare/{scene.placement.pk}/rapportering/ny/",
        {"kind": "plan", "period": scene.placement.starts_on.isoformat()},
    )
    plan = Document.objects.get()
    assert started["Location"] == f"/handlingar/{plan.pk}/"
    edit = text(reporter_client.get(started["Location"]))
    assert "Gemensam planering" in edit
    assert "Deltar deltagaren på distans?" in edit
    assert "Matchning mot arbete Obligatorisk" in edit

    saved = reporter_client.post(
        f"/handlingar/{plan.pk}/spara/", form_data(plan_draft(), plan.version), HTTP_X_AUTOSAVE="1"
    )
    assert saved.status_code == 200
    assert saved.json()["version"] == plan.version + 1
    assert re.fullmatch(r"\d\d\.\d\d", saved.json()["saved_at"])

    to_preview = reporter_client.post(
        f"/handlingar/{plan.pk}/spara/", form_data(plan_draft(), plan.version + 1, action="preview")
    )
    assert to_preview["Location"] == f"/handlingar/{plan.pk}/forhandsgranska/"
    preview = text(reporter_client.get(to_preview["Location"]))
    assert "Förhandsvisning: Gemensam planering" in preview
    assert "Fokus på lager och logistik." in preview
    assert "Kontrollera fritexten" not in preview

    unconfirmed = reporter_client.post(f"/handlingar/{plan.pk}/skicka-in/", {"version": plan.version + 2})
    assert "Bekräfta att uppgifterna stämmer." in text(unconfirmed)
    assert Document.objects.get().is_draft

    submitted = reporter_client.post(
        f"/handlingar/{plan.pk}/skicka-in/", {"version": plan.version + 2, "confirmed": "yes"}
    )
    assert submitted["Location"] == f"/handlingar/{plan.pk}/"
    page = text(reporter_client.get(submitted["Location"]))
    assert "är inskickad till Arbetsförmedlingen" in page
    assert "Inskickad" in page
    assert "Digital kompetens" in page


def test_a_plan_without_a_mandatory_activity_is_said_so_at_the_field_and_nothing_is_lost(reporter_client, scene):
    plan = write_document(
        scene.placement,
        scene.reporter,
        "plan",
        scene.placement.starts_on,
        plan_draft(activities=["jobbsokning", "digital"], notes="Mitt utkast"),
    )
    back = reporter_client.get(f"/handlingar/{plan.pk}/forhandsgranska/")
    assert back["Location"] == f"/handlingar/{plan.pk}/?kontroll=1"
    page = reporter_client.get(back["Location"]).content.decode()
    assert 'href="#f-activities"' in page  # the error summary links to the field
    assert "Planeringen måste innehålla de obligatoriska aktiviteterna: Matchning mot arbete." in text_of(page)
    assert 'id="f-activities_error"' in page
    assert "Mitt utkast" in page


def text_of(body: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_a_stale_save_is_refused_and_what_was_typed_stays(reporter_client, scene):
    plan = write_document(
        scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft(notes="Sparat")
    )
    stale = plan.version - 1
    background = reporter_client.post(
        f"/handlingar/{plan.pk}/spara/", form_data(plan_draft(notes="Annan flik"), stale), HTTP_X_AUTOSAVE="1"
    )
    assert background.status_code == 409
    assert "i ett annat fönster eller av en kollega" in background.json()["message"]
    page = reporter_client.post(f"/handlingar/{plan.pk}/spara/", form_data(plan_draft(notes="Min text"), stale))
    assert page.status_code == 409
    body = page.content.decode()
    assert "Min text" in body  # nothing typed is lost
    assert "Spara min version över den" in text_of(body)
    assert f'name="version" value="{plan.version}"' in body  # saving over it is a choice
    plan.refresh_from_db()
    assert plan.draft["notes"] == ["Sparat"]


def test_leaving_the_page_saves_the_draft(reporter_client, scene):
    """The page's beacon: an ordinary POST with the form and ``leaving``; without JavaScript's header it is the same
    save, answered with a redirect nobody sees."""
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    reporter_client.post(
        f"/handlingar/{plan.pk}/spara/", form_data(plan_draft(notes="Sista orden"), plan.version, leaving="1")
    )
    plan.refresh_from_db()
    assert plan.draft["notes"] == ["Sista orden"]
    assert "leaving" not in plan.draft


def test_rows_are_added_and_removed_without_javascript(reporter_client, scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    reporter_client.post(f"/handlingar/{plan.pk}/spara/", form_data(plan_draft(), plan.version, add_row="1"))
    plan.refresh_from_db()
    assert plan.draft["schedule-1-provider"] == ["provider"]
    page = reporter_client.get(f"/handlingar/{plan.pk}/").content.decode()
    assert 'id="f-schedule-1-day"' in page
    reporter_client.post(f"/handlingar/{plan.pk}/spara/", form_data(plan.draft, plan.version, remove_row="0"))
    plan.refresh_from_db()
    assert not any(key.startswith("schedule-0-") for key in plan.draft)


def report_draft(**cells) -> dict[str, list[str]]:
    return {
        "language_support": ["no"],
        "suggested_jobs": ["yes"],
        "other_info": [""],
        **{k: [v] for k, v in cells.items()},
    }


def open_day(scene) -> datetime.date:
    from faportal.documents.rules import closed_days

    month = last_month()
    placement = scene.placement
    closed = closed_days(month=month, starts_on=placement.starts_on, ends_on=placement.ends_on, interrupts_on=None)
    return next(day for day in month.days() if day not in closed)


def test_the_calendar_shows_the_month_and_refuses_a_nine_hour_day_at_its_cell(reporter_client, scene):
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    day = open_day(scene)
    report = write_document(
        scene.placement,
        scene.reporter,
        "monthly_report",
        last_month().first_day,
        report_draft(**{f"hours-matchning-{day}": "6", f"hours-digital-{day}": "3"}),
    )
    page = reporter_client.get(f"/handlingar/{report.pk}/").content.decode()
    assert f'name="hours-matchning-{day}"' in page
    assert "Eget arbete enligt gemensam planering med anordnare" in page
    assert "Helg" in page
    assert 'value="6"' in page
    back = reporter_client.get(f"/handlingar/{report.pk}/forhandsgranska/")
    checked = reporter_client.get(back["Location"]).content.decode()
    assert f'href="#f-day-{day}"' in checked
    cell = re.search(rf'id="f-day-{day}".*?</td>', checked, re.S).group(0)
    assert "9 timmar totalt: högst 8 timmar per dag." in text_of(cell)


def test_other_information_over_2000_characters_is_refused_and_kept(reporter_client, scene):
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    long_text = "Sökte jobb. " * 200
    report = write_document(
        scene.placement, scene.reporter, "monthly_report", last_month().first_day, report_draft(other_info=long_text)
    )
    page = reporter_client.get(f"/handlingar/{report.pk}/?kontroll=1").content.decode()
    assert "Högst 2000 tecken: texten har 2399." in text_of(page)
    assert long_text.strip() in page


def test_a_hostile_save_is_answered_without_a_server_error(reporter_client, scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    for version in ("", "-1", "²", "9" * 40, "1e9"):
        response = reporter_client.post(f"/handlingar/{plan.pk}/spara/", {"version": version, "notes": "x"})
        assert response.status_code in (302, 409)
    for period in ("", "2026-13-01", "x" * 500, "9999-12-31"):
        response = reporter_client.post(
            f"/deltagare/{scene.placement.pk}/rapportering/ny/", {"kind": "plan", "period": period}
        )
        assert response.status_code == 302
    response = reporter_client.post(
        f"/deltagare/{scene.placement.pk}/rapportering/ny/", {"kind": "bogus", "period": "x"}
    )
    assert response.status_code == 302


def test_af_reviews_in_a_queue_and_the_provider_sees_the_reason(client, scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    submit_document(plan, scene.reporter)
    sign_in(client, scene.reviewer.person)
    queue = text(client.get("/af/granskning/"))
    assert re.search(r"Gemensamma planeringar\s*: 1 väntar", queue)
    assert scene.placement.genomforandereferens in queue
    opened = text(client.get(f"/af/granskning/{plan.pk}/"))
    assert "Mottagen av Af" in opened
    assert "Rut Rapport" in opened  # the placement's context
    assert Review.objects.get(document=plan).status == ReviewStatus.RECEIVED
    no_reason = client.post(f"/af/granskning/{plan.pk}/", {"decision": "reject", "reason": ""})
    assert "Skriv varför handlingen inte godkänns: leverantören läser motiveringen." in text(no_reason)
    rejected = client.post(f"/af/granskning/{plan.pk}/", {"decision": "reject", "reason": "Schemat saknar plats."})
    assert rejected.status_code == 302

    sign_in(client, scene.reporter.person)
    listing = text(client.get("/deltagare/"))
    assert "Granskad" in listing  # the unread flag
    assert "Ej godkänd" in listing
    tab = text(client.get(f"/deltagare/{scene.placement.pk}/rapportering/"))
    assert re.search(r"Att skicka in Gemensam planering ?, .* Ej godkänd Motivering: Schemat saknar plats\. Rätta", tab)
    page = text(client.get(f"/handlingar/{plan.pk}/"))
    assert "Ej godkänd av Arbetsförmedlingen" in page
    assert "Motivering: Schemat saknar plats." in page
    events = text(client.get(f"/deltagare/{scene.placement.pk}/handelser/"))
    assert "Ej godkänd: Gemensam planering" in events
    assert "Motivering: Schemat saknar plats." in events

    corrected = client.post(f"/handlingar/{plan.pk}/ratta/")
    correction = Document.objects.get(corrects=plan)
    assert corrected["Location"] == f"/handlingar/{correction.pk}/"
    assert "Arbetsförmedlingen godkände inte den tidigare versionen" in text(client.get(corrected["Location"]))


def test_pages_outside_ones_scope_are_not_found(client, scene):
    plan = write_document(scene.placement, scene.reporter, "plan", scene.placement.starts_on, plan_draft())
    sign_in(client, scene.world.admin_b.person)  # another organisation, every role
    for url in (f"/handlingar/{plan.pk}/", f"/handlingar/{plan.pk}/forhandsgranska/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/handlingar/{plan.pk}/spara/", {"version": "2", "notes": "x"}).status_code == 404
    plan.refresh_from_db()
    assert plan.draft["notes"] == ["Fokus på lager och logistik."]
    sign_in(client, scene.reviewer.person)  # Af reads through the back office only
    assert client.get(f"/handlingar/{plan.pk}/").status_code == 404


def test_the_participant_list_shows_each_ones_reporting(reporter_client, scene):
    page = text(reporter_client.get("/deltagare/"))
    assert "Rapportering" in page
    assert re.search(r"Planering Försenad \(ska skickas in senast \d{4}-\d\d-\d\d\)", page)  # started weeks ago
    due = text(reporter_client.get("/deltagare/", {"rapportering": "saknas"}))
    assert scene.placement.genomforandereferens in due
    none = text(reporter_client.get("/deltagare/", {"rapportering": "ej-godkand"}))
    assert scene.placement.genomforandereferens not in none


def queries(client, url) -> int:
    """The queries of a page seen before (the first look also records that the person has looked)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_pages_cost_the_same_few_queries_however_many_documents(client, scene):
    """The reporting tab, a document, the calendar and the review queue: constant in the number of documents."""
    from faportal.access.actor import Actor
    from faportal.access.models import Role
    from faportal.placements import services as placement_services

    coordinator = Actor.for_staff_account(scene.world.by_roles[frozenset({Role.RECEIVE})])
    placement_services.assign_supervisor(actor=coordinator, placements=[scene.placement], supervisor=scene.reporter)
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    month = last_month()
    report = write_document(scene.placement, scene.reporter, "monthly_report", month.first_day, report_draft())
    submit_document(report, scene.reporter)
    sign_in(client, scene.reporter.person)
    urls = [f"/deltagare/{scene.placement.pk}/rapportering/", f"/handlingar/{report.pk}/", "/deltagare/"]
    before = {url: queries(client, url) for url in urls}
    draft = write_document(
        scene.placement, scene.reporter, "monthly_report", YearMonth.of(datetime.date.today()).first_day, {}
    )
    before[f"/handlingar/{draft.pk}/"] = queries(client, f"/handlingar/{draft.pk}/")
    # More of everything: earlier months' reports and another plan version, and many more placements at the address.
    month_before = month.previous()
    if month_before.last_day >= scene.placement.starts_on:
        older = write_document(
            scene.placement, scene.reporter, "monthly_report", month_before.first_day, report_draft()
        )
        submit_document(older, scene.reporter)
        review_document(older, scene.reviewer, approve=False)
    bulk_place(scene.world.a11, 60, supervisor=scene.reporter)
    after = {url: queries(client, url) for url in before}
    assert after == before

    sign_in(client, scene.reviewer.person)
    queue_before = queries(client, "/af/granskning/?typ=monthly_report")
    review_before = queries(client, f"/af/granskning/{report.pk}/")
    for _ in range(3):
        another = bulk_review_item(scene)
        assert another
    assert queries(client, "/af/granskning/?typ=monthly_report") == queue_before
    assert queries(client, f"/af/granskning/{report.pk}/") == review_before


def bulk_review_item(scene) -> bool:
    """One more placement at the address with a submitted plan, for the queue to hold."""
    from faportal.testing import place

    other = place(scene.world.a11, decided_on=datetime.date.today() - datetime.timedelta(days=40))
    plan = write_document(other, scene.reporter, "plan", other.starts_on, plan_draft())
    submit_document(plan, scene.reporter)
    return True
