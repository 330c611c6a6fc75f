"""Documents II through real HTTP (SPEC S5.2, S5.3, S5.5–S5.8): each kind started from the Rapportering tab, a bad
input said in Swedish at its field with nothing typed lost, submitted, reviewed by Af, and the outcome seen; what the
tab offers when; evidence uploaded and removed without JavaScript; the final report's two steps; constant queries.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from faportal.access.actor import Actor
from faportal.documents.models import Document, DocumentFile, InformationTopic, ReviewStatus
from faportal.placements.services import interrupt
from faportal.testing import (
    approved_plan,
    attach_evidence,
    bulk_place,
    exe_bytes,
    pdf_bytes,
    png_bytes,
    result_draft,
    review_document,
    sign_in,
    submit_document,
    upload,
    write_document,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def at_field(response, field: str) -> str:
    """The words shown at a field (its validation message)."""
    found = re.search(rf'id="f-{re.escape(field)}_error">(.*?)</p>', response.content.decode(), re.S)
    assert found, f"no message at {field}"
    return " ".join(found.group(1).split())


def interrupted_yesterday(scene) -> None:
    """Af interrupts the placement from today: its last day was yesterday (the final report opens)."""
    interrupt(actor=Actor.system("test"), key="i-test", placement=scene.placement, reason="work", interrupts_on=TODAY)


@dataclass
class Case:
    kind: str
    good: dict[str, list[str]]
    bad: dict[str, list[str]]
    field: str
    words: str
    shows: str  # what the submitted document's page shows of it
    button: str  # the button that starts one
    needs: str = ""  # "plan", "evidence", "ended"


CASES = [
    Case(
        "absence",
        {"day": [YESTERDAY.isoformat()], "reason": ["other_known"], "other_reason": ["doctor"], "extent": ["part"],
         "planned_from": ["09:00"], "planned_to": ["15:00"], "absent_from": ["09:00"], "absent_to": ["11:30"],
         "comment": ["Tandläkaren på förmiddagen."]},
        {"day": [(TODAY + datetime.timedelta(days=2)).isoformat()]},
        "day",
        "Datumet kan inte ligga framåt i tiden",
        "Annan känd orsak: Läkar- eller tandläkarbesök",
        "Rapportera frånvaro",
    ),
    Case(
        "deviation",
        {"day": [YESTERDAY.isoformat()], "reason": ["declined_job"], "which": ["Lagerarbetare hos Logistik AB"],
         "stated_reason": ["För lång resväg."]},
        {"stated_reason": [""]},
        "stated_reason",
        "Fyll i det här: det krävs.",
        "Tackade nej till erbjudet arbete",
        "Rapportera avvikelse",
    ),
    Case(
        "informative",
        {"topic": ["tolk"], "text": ["Deltagaren behöver tolk på arabiska vid möten."],
         "contact_name": ["Rita Rapportör"], "contact_phone": ["08-123 456 78"], "contact_email": [""]},
        {"contact_phone": ["ring mig"]},
        "contact_phone",
        "Skriv ett telefonnummer med siffror",
        "Deltagaren behöver tolk",
        "Ny informativ rapport",
    ),
    Case(
        "signal",
        {"what": ["work"], "extent": ["part"], "percent": ["50"],
         "day": [(TODAY + datetime.timedelta(days=7)).isoformat()]},
        {"percent": ["150"]},
        "percent",
        "Ange omfattningen i procent av heltid",
        "Deltid, 50 %",
        "Ny signal om arbete eller studier",
    ),
    Case(
        "result_1",
        result_draft(),
        {"organisationsnummer": ["556677-8890"]},
        "organisationsnummer",
        "Organisationsnumret är inte giltigt",
        "Lagerbolaget AB",
        "Ny resultatredovisning 1",
        needs="evidence",
    ),
    Case(
        "final_report",
        {"step": ["2"], "occupation": ["work"], "area": ["4"], "group": ["4322"], "employment": ["permanent"],
         "extent": ["full"], "done-matchning": ["Sökte tolv lagerjobb."], "done-jobbsokning": ["Nytt cv."],
         "done-digital": ["Lärde sig Platsbanken."], "progress": ["Mycket bättre intervjuer."],
         "next_step": ["Arbete som lagerarbetare."]},
        {"group": ["5120"]},
        "group",
        "Välj en yrkesgrupp inom det valda yrkesområdet.",
        "Lager- och terminalpersonal",
        "Ny slutredovisning",
        needs="ended",
    ),
]  # fmt: skip


def start(client, scene, button: str) -> Document:
    """Press a "new document" button on the Rapportering tab; the draft's page opens."""
    page = client.get(f"/deltagare/{scene.placement.pk}/rapportering/").content.decode()
    form = re.search(
        rf"<form[^>]*rapportering/ny/[^>]*>((?:(?!</form>).)*?>{re.escape(button)}</button>.*?)</form>", page, re.S
    )
    assert form, f"no button {button!r}"
    fields = dict(re.findall(r'<input type="hidden" name="(kind|period)" value="([^"]*)"', form.group(1)))
    response = client.post(f"/deltagare/{scene.placement.pk}/rapportering/ny/", fields)
    assert response.status_code == 302
    assert response["Location"].startswith("/handlingar/"), client.get(response["Location"]).content[:2000]
    return Document.objects.get(pk=int(response["Location"].split("/")[2]))


def save(client, document: Document, data: dict[str, list[str]], **extra) -> object:
    document.refresh_from_db()
    return client.post(f"/handlingar/{document.pk}/spara/", {**data, "version": str(document.version), **extra})


@pytest.mark.parametrize("case", CASES, ids=[case.kind for case in CASES])
def test_each_kind_from_a_bad_input_to_the_outcome(client, scene, case):
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    if case.needs == "ended":
        interrupted_yesterday(scene)
    sign_in(client, scene.reporter.person)
    document = start(client, scene, case.button)
    assert document.kind == case.kind
    # A bad input: said in Swedish at its field, and what was typed is still there.
    save(client, document, {**case.good, **case.bad})
    document.refresh_from_db()
    checked = client.get(f"/handlingar/{document.pk}/?kontroll=1")
    assert case.words in at_field(checked, case.field)
    assert f'href="#f-{case.field}"' in checked.content.decode()
    for value in case.bad[case.field]:
        assert value in checked.content.decode()
    # Corrected, it can be previewed and submitted.
    save(client, document, case.good)
    if case.needs == "evidence":
        document.refresh_from_db()
        attach_evidence(document, scene.reporter, ("lonespec.pdf", pdf_bytes()))
    preview = client.get(f"/handlingar/{document.pk}/forhandsgranska/")
    assert preview.status_code == 200, text(client.get(preview["Location"]))
    document.refresh_from_db()
    submitted = client.post(f"/handlingar/{document.pk}/skicka-in/", {"version": document.version, "confirmed": "yes"})
    assert submitted.status_code == 302
    page = text(client.get(f"/handlingar/{document.pk}/"))
    assert "Inskickad" in page
    assert case.shows in page
    # Af approves it; the provider sees the outcome, on the page and in the events.
    sign_in(client, scene.reviewer.person)
    queue = text(client.get(f"/af/granskning/?typ={case.kind}"))
    assert scene.placement.genomforandereferens in queue
    review = text(client.get(f"/af/granskning/{document.pk}/"))
    assert case.shows in review
    client.post(f"/af/granskning/{document.pk}/", {"decision": "approve", "reason": ""})
    assert Document.objects.get(pk=document.pk).review.status == ReviewStatus.APPROVED
    sign_in(client, scene.reporter.person)
    assert "Godkänd av Arbetsförmedlingen" in text(client.get(f"/handlingar/{document.pk}/"))
    assert "Godkänd:" in text(client.get(f"/deltagare/{scene.placement.pk}/handelser/"))


def test_reports_of_what_happened_are_numbered_and_dated_by_the_day_they_are_about(client, scene):
    sign_in(client, scene.reporter.person)
    first = start(client, scene, "Rapportera frånvaro")
    second = start(client, scene, "Rapportera frånvaro")
    assert (first.number, second.number) == (1, 2)
    assert first.period_start == TODAY  # until the form says which day
    day = scene.placement.starts_on + datetime.timedelta(days=3)
    save(client, first, {"day": [day.isoformat()], "reason": ["illness"], "extent": ["whole"]})
    first.refresh_from_db()
    assert first.period_start == day
    save(client, first, {"day": ["31/12"], "reason": ["illness"]})  # unreadable: the day stays
    first.refresh_from_db()
    assert first.period_start == day
    assert re.search(
        rf"Avvikelserapport – frånvaro\s+{day.isoformat()}",
        text(client.get(f"/deltagare/{scene.placement.pk}/rapportering/")),
    )


def test_what_the_tab_offers_follows_the_rules(client, scene):
    sign_in(client, scene.reporter.person)
    tab = f"/deltagare/{scene.placement.pk}/rapportering/"
    page = text(client.get(tab))
    for offered in ("Rapportera frånvaro", "Rapportera avvikelse", "Ny informativ rapport",
                    "Ny signal om arbete eller studier", "Ny resultatredovisning 1"):  # fmt: skip
        assert offered in page
    assert "Ny resultatredovisning 2" not in page  # only after an approved result 1
    assert "Ny slutredovisning" not in page  # not before the last month
    result = write_document(scene.placement, scene.reporter, "result_1", scene.placement.starts_on, result_draft())
    attach_evidence(result, scene.reporter, ("intyg.png", png_bytes()))
    result.refresh_from_db()
    submit_document(result, scene.reporter)
    page = text(client.get(tab))
    assert "Ny signal om arbete eller studier" not in page  # a result is submitted
    assert "Ny resultatredovisning 2" not in page
    review_document(result, scene.reviewer)
    assert "Ny resultatredovisning 2" in text(client.get(tab))
    interrupted_yesterday(scene)
    page = text(client.get(tab))
    assert "Ny slutredovisning" in page
    assert re.search(r"Att skicka in.*Slutredovisning", page)


def test_a_signal_is_refused_once_a_result_is_submitted(client, scene):
    signal = write_document(
        scene.placement, scene.reporter, "signal", TODAY,
        {"what": ["studies"], "extent": ["full"], "day": [YESTERDAY.isoformat()], "applied": ["yes"]},
    )  # fmt: skip
    result = write_document(scene.placement, scene.reporter, "result_1", scene.placement.starts_on, result_draft())
    attach_evidence(result, scene.reporter, ("intyg.png", png_bytes()))
    result.refresh_from_db()
    submit_document(result, scene.reporter)
    sign_in(client, scene.reporter.person)
    checked = text(client.get(f"/handlingar/{signal.pk}/?kontroll=1"))
    assert "En resultatredovisning är inskickad för deltagaren" in checked


def test_evidence_is_uploaded_and_removed_without_javascript_and_the_typed_text_is_saved_with_it(client, scene):
    draft = write_document(scene.placement, scene.reporter, "result_1", scene.placement.starts_on, result_draft())
    sign_in(client, scene.reporter.person)
    data = {**{k: v[0] for k, v in result_draft(where="Nytt Lager AB").items()}, "version": str(draft.version)}
    response = client.post(
        f"/handlingar/{draft.pk}/spara/",
        {
            **data,
            "action": "upload",
            "evidence": [upload("lön mars.pdf", pdf_bytes()), upload("bild.png", png_bytes())],
        },
    )
    assert response["Location"] == f"/handlingar/{draft.pk}/#evidence"
    draft.refresh_from_db()
    assert draft.draft["where"] == ["Nytt Lager AB"]  # the form was saved with the upload
    assert "evidence" not in draft.draft
    page = client.get(f"/handlingar/{draft.pk}/").content.decode()
    assert "Bifogat: lön mars.pdf, bild.png." in text_of(page)
    assert "lön mars.pdf" in page
    kept = DocumentFile.objects.filter(document=draft).order_by("pk")
    assert [each.file_name for each in kept] == ["lön mars.pdf", "bild.png"]
    assert f'href="/handlingar/{draft.pk}/filer/{kept[0].pk}/"' in page
    # An executable named like a PDF: said at the field, nothing attached.
    refused = client.post(
        f"/handlingar/{draft.pk}/spara/",
        {**data, "version": str(draft.version), "action": "upload", "evidence": [upload("lonespec.pdf", exe_bytes())]},
    )
    assert refused.status_code == 400
    assert "lonespec.pdf är inte en pdf-, jpeg- eller png-fil" in at_field(refused, "evidence")
    assert DocumentFile.objects.filter(document=draft).count() == 2
    draft.refresh_from_db()
    client.post(
        f"/handlingar/{draft.pk}/spara/", {**data, "version": str(draft.version), "remove_evidence": str(kept[1].pk)}
    )
    assert [each.file_name for each in DocumentFile.objects.filter(document=draft)] == ["lön mars.pdf"]


def text_of(body: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def test_the_final_report_has_two_steps_that_work_without_javascript(client, scene):
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    interrupted_yesterday(scene)
    sign_in(client, scene.reporter.person)
    final = start(client, scene, "Ny slutredovisning")
    page = client.get(f"/handlingar/{final.pk}/").content.decode()
    assert re.search(r'<section class="fa-step" aria-labelledby="step-1-heading">', page)
    assert re.search(r'<section class="fa-step" aria-labelledby="step-2-heading" hidden>', page)
    assert "Förhandsgranska och skicka in" not in text_of(page)  # the first step comes first
    assert '<option value="4322">Lager- och terminalpersonal</option>' in page
    assert "SSYK 2012" in text_of(page)
    response = save(
        client, final, {"step": ["1"], "occupation": ["seeking"], "seeking_reason": ["other"]}, goto_step="2"
    )
    assert response["Location"] == f"/handlingar/{final.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'aria-labelledby="step-1-heading" hidden>', page)
    assert "Förhandsgranska och skicka in" in text_of(page)
    assert re.search(r'value="seeking" id="f-occupation-seeking" checked', page)  # step 1's answers ride along
    checked = client.get(f"/handlingar/{final.pk}/?kontroll=1")
    body = checked.content.decode()
    assert "hidden>" not in body.split("fa-step")[1][:200]  # with problems both steps show
    assert "Fyll i det här: det krävs." in at_field(checked, "seeking_other")
    assert "Fyll i det här: det krävs." in at_field(checked, "done-matchning")
    assert "Fyll i det här: det krävs." in at_field(checked, "progress")


def test_af_edits_the_topics_of_informative_reports(client, scene):
    sign_in(client, scene.reviewer.person)
    response = client.post("/af/granskning/amnen/", {"name": "Deltagaren har flyttat"})
    assert response.status_code == 302
    assert InformationTopic.objects.filter(name="Deltagaren har flyttat", active=True).exists()
    interpreter = InformationTopic.objects.get(code="tolk")
    toggled = client.post(f"/af/granskning/amnen/{interpreter.pk}/", follow=True)
    assert "”Deltagaren behöver tolk” erbjuds inte längre." in text(toggled)
    assert not InformationTopic.objects.get(code="tolk").active
    sign_in(client, scene.reporter.person)
    draft = write_document(scene.placement, scene.reporter, "informative", TODAY, {})
    page = text(client.get(f"/handlingar/{draft.pk}/"))
    assert "Deltagaren har flyttat" in page
    assert "Deltagaren behöver tolk" not in page
    assert "Gun Granskare" not in page
    assert scene.reporter.person.full_name in page  # the contact details are the writer's


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_new_pages_cost_the_same_few_queries_however_many_documents_and_files(client, scene):
    approved_plan(scene.placement, scene.reporter, scene.reviewer)
    result = write_document(scene.placement, scene.reporter, "result_1", scene.placement.starts_on, result_draft())
    attach_evidence(result, scene.reporter, ("a.png", png_bytes()))
    absence = write_document(
        scene.placement, scene.reporter, "absence", TODAY,
        {"day": [YESTERDAY.isoformat()], "reason": ["illness"], "extent": ["whole"]},
    )  # fmt: skip
    submit_document(absence, scene.reporter)
    final = write_document(scene.placement, scene.reporter, "informative", TODAY, {})
    sign_in(client, scene.reporter.person)
    urls = [
        f"/handlingar/{result.pk}/",
        f"/handlingar/{absence.pk}/",
        f"/handlingar/{final.pk}/",
        f"/deltagare/{scene.placement.pk}/rapportering/",
    ]
    before = {url: queries(client, url) for url in urls}
    attach_evidence(result, scene.reporter, ("b.png", png_bytes()), ("c.png", png_bytes()), ("d.pdf", pdf_bytes()))
    for day in range(2, 6):
        more = write_document(
            scene.placement, scene.reporter, "deviation", TODAY,
            {"day": [(TODAY - datetime.timedelta(days=day)).isoformat()], "reason": ["misconduct"],
             "conduct": ["x"], "support": ["y"]},
        )  # fmt: skip
        submit_document(more, scene.reporter)
    bulk_place(scene.world.a11, 30, supervisor=scene.reporter)
    assert {url: queries(client, url) for url in urls} == before

    result.refresh_from_db()
    submit_document(result, scene.reporter)
    sign_in(client, scene.reviewer.person)
    review_urls = [f"/af/granskning/{result.pk}/", "/af/granskning/?typ=deviation", "/af/granskning/amnen/"]
    before = {url: queries(client, url) for url in review_urls}
    for day in range(6, 9):
        more = write_document(
            scene.placement, scene.reporter, "deviation", TODAY,
            {"day": [(TODAY - datetime.timedelta(days=day)).isoformat()], "reason": ["misconduct"],
             "conduct": ["x"], "support": ["y"]},
        )  # fmt: skip
        submit_document(more, scene.reporter)
    InformationTopic.objects.create(code="ny", name="Nytt ämne")
    assert {url: queries(client, url) for url in review_urls} == before
    assert reverse("backoffice:review", args=[result.pk]) == review_urls[0]
