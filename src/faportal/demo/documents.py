"""Demo documents: every kind in every state, so a newcomer sees a lived-in portal (issues 7 and 10).

Each participant who has started gets a plan written before the start and reviewed by Åsa Öberg a day or two later,
and a monthly report for every month that is over, sent early the next month and reviewed a few days after. Some
are left as Af will find them: plans overdue, waiting for review, not approved with a correction begun; last
month's reports missing, as a draft, waiting, received or not approved. Beside them: absence and deviation reports,
informative reports, signals of work, result reports with their evidence (a payslip as a PDF, a contract as a
photo), and final reports of the placements that have ended or are in their last month. Everything goes through the
document services on the day it would have happened (the clock is moved there), so the timeline, the unread flags,
the review queue and the audit log look like real use; the worker makes the PDF copies once `make run` starts it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import AfStaffAccount, StaffAccount
from faportal.core.dates import YearMonth, add_working_days, is_working_day
from faportal.documents import kinds, rules, services
from faportal.documents.kinds import Facts, monthly
from faportal.documents.models import Document
from faportal.placements.models import Placement

AF_REVIEWER_NAME = ("Åsa", "Öberg")

PLAN_NOTES = [
    "Fokus på lager och logistik. Deltagaren vill ha heltid.",
    "Deltagaren söker arbete inom restaurang och vill träna på intervjuer.",
    "Mål: arbete inom butik i närområdet. Körkort pågår.",
    "",
]
SCHEDULE_NOTES = ["Sök tjänsterna som lagerarbetare hos Logistikbolaget AB", "Ta med cv", "Träffa rekryterare", ""]
PLACES = ["Kontoret, Drottninggatan 45", "Digitalt möte", "Arbetsgivarens lokaler", "Biblioteket"]
REJECTION_REASONS = [
    "Timmarna för den 12:e är fler än planeringen medger. Kontrollera och rätta dagen.",
    "Planeringen saknar schema för de kommande veckorna. Lägg till aktiviteterna med tid och plats.",
    "Övriga upplysningar beskriver deltagarens hälsa. Skriv sakligt om vad deltagaren har gjort.",
]
MONTH_NOTES = [
    "Deltagaren har sökt sex tjänster och varit på en intervju.",
    "Eget arbete med cv och personligt brev. Två arbetsgivarbesök.",
    "",
]


@contextmanager
def on(moment: datetime.datetime) -> Iterator[None]:
    """Run the block as if it were ``moment``: the services date what they do by the clock."""
    import time_machine

    with time_machine.travel(moment, tick=False):
        yield


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def load(*, organisation_ids: list[int]) -> int:
    """Create the demo documents for these organisations' placements unless there are some already."""
    if Document.objects.filter(placement__organisation_id__in=organisation_ids).exists():
        return 0
    reviewer = AfStaffAccount.objects.filter(
        person__given_name=AF_REVIEWER_NAME[0], person__surname=AF_REVIEWER_NAME[1]
    ).first()
    if reviewer is None:
        return 0
    rng = random.Random(7)
    today = timezone.localdate()
    placements = (
        Placement.objects.filter(organisation_id__in=organisation_ids, supervisor__isnull=False, starts_on__lte=today)
        .select_related("supervisor__person")
        .order_by("pk")
    )
    for index, placement in enumerate(placements):
        _documents_for(placement, index, rng, reviewer, today)
    return Document.objects.filter(placement__organisation_id__in=organisation_ids).count()


def _writer(placement: Placement) -> Actor:
    """The supervisor, acting with the reporting role at the placement's address."""
    assert placement.supervisor_id is not None
    supervisor = StaffAccount.objects.select_related("person", "organisation").get(pk=placement.supervisor_id)
    return Actor.for_staff_account(supervisor)


def _documents_for(
    placement: Placement, index: int, rng: random.Random, reviewer: AfStaffAccount, today: datetime.date
) -> None:
    writer = _writer(placement)
    facts = services.facts_of(placement)
    plan_day = max(placement.decided_on + datetime.timedelta(days=3), placement.starts_on - datetime.timedelta(days=2))
    plan_day = min(plan_day, today)
    variant = index % 10
    if variant == 9 and facts.last_day >= today:
        return  # no plan yet: overdue in the lists
    plan = _plan(placement, writer, plan_day, rng)
    if plan is None:
        return
    review_day = min(add_working_days(plan_day, 1), today)
    if variant == 8 and facts.last_day >= today:
        return  # waiting for Af's review
    if variant == 7 and facts.last_day >= today:
        _review(plan, reviewer, review_day, approve=False, rng=rng)
        with on(at(today, 8, 30)):
            services.start_correction(actor=writer, document=plan)
        return
    _review(plan, reviewer, review_day, approve=True, rng=rng)
    months = rules.report_due_months(first_day=facts.first_day, last_day=facts.last_day, today=today)
    for number, month in enumerate(months):
        last = number == len(months) - 1
        sent = min(add_working_days(month.last_day, 1), today)
        if last and variant in (0, 5):
            continue  # not sent yet: due
        report = _monthly(placement, writer, month, sent, rng, leave_draft=last and variant == 1)
        if report is None or not last:
            if report is not None:
                _review(report, reviewer, min(add_working_days(sent, 3), today), approve=True, rng=rng)
            continue
        if variant == 2:
            continue  # waiting for review
        if variant == 3:
            services.receive(actor=Actor.for_af_account(reviewer), document=report)
            continue
        _review(report, reviewer, min(add_working_days(sent, 2), today), approve=variant != 4, rng=rng)
    _reports(placement, writer, facts, index, rng, reviewer, today, months)


EMPLOYERS = [("Logistikbolaget i Stockholm AB", "5566778899"), ("Restaurang Smak AB", "5560000043"), ("", "0000000000")]
DEVIATIONS = [
    ("declined_job", {"which": "Lagerarbetare hos Logistikbolaget AB, erbjudet vid arbetsgivarträffen.",
                      "stated_reason": "Deltagaren sa att arbetstiderna inte passar."}),
    ("cannot_benefit", {"problem": "Deltagaren har svårt att följa gruppaktiviteterna på svenska.",
                        "support": "Vi har bokat enskilda samtal och material på lätt svenska."}),
    ("misconduct", {"conduct": "Deltagaren lämnade gruppaktiviteten efter en konflikt med en annan deltagare.",
                    "support": "Samtal med deltagaren dagen efter; nästa aktivitet sker enskilt."}),
]  # fmt: skip


def _reports(
    placement: Placement,
    writer: Actor,
    facts: Facts,
    index: int,
    rng: random.Random,
    reviewer: AfStaffAccount,
    today: datetime.date,
    months: list[YearMonth],
) -> None:
    """Documents II's kinds, each in a few of its states, for the participants whose plan was approved."""
    days = [day for month in months for day in month.days() if facts.first_day <= day <= facts.last_day]
    open_days = [day for day in days if is_working_day(day) and day < today]
    if not open_days:
        return
    if index % 3 == 0:  # an illness, approved; now and then a part-day absence still waiting
        day = rng.choice(open_days)
        absence = _write(writer, placement, "absence", day + datetime.timedelta(days=1), {
            "day": [day.isoformat()], "reason": ["illness"], "extent": ["whole"], "comment": [""],
        })  # fmt: skip
        if absence is not None:
            _review(absence, reviewer, min(add_working_days(day, 3), today), approve=True, rng=rng)
        if index % 6 == 0:
            day = open_days[-1]
            _write(writer, placement, "absence", min(day + datetime.timedelta(days=1), today), {
                "day": [day.isoformat()], "reason": ["other_known"], "other_reason": ["doctor"], "extent": ["part"],
                "planned_from": ["09:00"], "planned_to": ["15:00"], "absent_from": ["09:00"],
                "absent_to": ["11:00"], "comment": ["Tandläkarbesök på förmiddagen, deltog efter lunch."],
            })  # fmt: skip
    if index % 7 == 2:
        reason, texts = DEVIATIONS[index % len(DEVIATIONS)]
        day = rng.choice(open_days)
        deviation = _write(writer, placement, "deviation", day + datetime.timedelta(days=1), {
            "day": [day.isoformat()], "reason": [reason], **{name: [value] for name, value in texts.items()},
        })  # fmt: skip
        if deviation is not None and index % 2:
            _review(deviation, reviewer, min(add_working_days(day, 2), today), approve=True, rng=rng)
    if index % 5 == 1:
        informative = _write(writer, placement, "informative", open_days[len(open_days) // 2], {
            "topic": ["tolk"], "text": ["Deltagaren vill ha tolk på arabiska vid trepartssamtalet."],
            "contact_name": [writer.label], "contact_phone": ["08-123 456 78"], "contact_email": [""],
        })  # fmt: skip
        if informative is not None:
            af = Actor.for_af_account(reviewer)  # her roles as they are now (the clock goes back below)
            with on(at(min(add_working_days(informative.period_start, 1), today), 10, 5)):
                services.receive(actor=af, document=informative)
    if len(months) >= 2 and index % 4 == 3:
        _results(placement, writer, facts, index, rng, reviewer, today, open_days)
    if facts.last_day < today or (facts.last_day - today).days < 25:
        _final(placement, writer, facts, index, reviewer, today)


def _results(
    placement: Placement,
    writer: Actor,
    facts: Facts,
    index: int,
    rng: random.Random,
    reviewer: AfStaffAccount,
    today: datetime.date,
    open_days: list[datetime.date],
) -> None:
    """A signal of work, then result report 1 with a payslip and a contract; for some, result 2 a while later."""
    starts = open_days[len(open_days) * 2 // 3]
    employer, number = EMPLOYERS[index % len(EMPLOYERS)]
    signal = _write(writer, placement, "signal", starts - datetime.timedelta(days=7), {
        "what": ["work"], "extent": ["part"], "percent": ["75"], "day": [starts.isoformat()],
    })  # fmt: skip
    if signal is not None:
        _review(signal, reviewer, min(add_working_days(starts, -3), today), approve=True, rng=rng)
    written = min(starts + datetime.timedelta(days=10), today)
    result = _write(writer, placement, "result_1", written, {
        "what": ["work"], "extent": ["part"], "percent": ["75"], "as_wanted": ["yes"],
        "where": [employer or "Enskild firma, Bagge bygg"], "starts_on": [starts.isoformat()],
        "organisationsnummer": [number],
    }, evidence=[("lonespecifikation.pdf", _payslip(employer or "Bagge bygg", starts)),
                 ("anstallningsavtal.png", _photo())])  # fmt: skip
    if result is None:
        return
    if index % 8 == 3:
        return  # waiting for review
    _review(result, reviewer, min(add_working_days(written, 2), today), approve=True, rng=rng)
    later = min(written + datetime.timedelta(days=30), today)
    if index % 8 == 7 and later > add_working_days(written, 2):
        _write(writer, placement, "result_2", later, {
            "what": ["work"], "extent": ["full"], "where": [employer or "Bagge bygg"],
            "starts_on": [starts.isoformat()], "organisationsnummer": [number],
        }, evidence=[("lonespecifikation-2.pdf", _payslip(employer or "Bagge bygg", later))])  # fmt: skip


def _final(
    placement: Placement, writer: Actor, facts: Facts, index: int, reviewer: AfStaffAccount, today: datetime.date
) -> None:
    """The final report: submitted and approved after the end; begun (step 2) in the last month."""
    from faportal.documents.kinds.final import activities_of

    opens = rules.final_report_from(first_day=facts.first_day, last_day=facts.last_day)
    if today < opens:
        return
    ended = facts.last_day < today
    day = min(facts.last_day + datetime.timedelta(days=2), today) if ended else today
    data: dict[str, list[str]] = {
        "step": ["2"],
        "occupation": ["work" if index % 2 else "seeking"],
        "area": ["4"], "group": ["4322"], "employment": ["fixed_term"], "extent": ["full"],
        "seeking_reason": ["no_match_yet"],
        "progress": ["Deltagaren söker nu arbete självständigt och har gått på tre intervjuer."],
        "next_step": ["Fortsätta söka lagerarbete; körkort B är ett steg mot fler tjänster."],
    }  # fmt: skip
    for activity in activities_of(facts):
        data[f"done-{activity.code}"] = [f"{activity.name}: enligt planeringen, varje vecka."]
    final = _write(writer, placement, "final_report", day, data, submit=ended)
    if final is not None and ended and index % 2:
        _review(final, reviewer, min(add_working_days(day, 2), today), approve=True, rng=random.Random(index))


def _write(
    writer: Actor,
    placement: Placement,
    kind: str,
    day: datetime.date,
    data: dict[str, list[str]],
    *,
    evidence: list[tuple[str, bytes]] | None = None,
    submit: bool = True,
) -> Document | None:
    """A document of a kind written on ``day`` (submitted unless told otherwise); None when its rules refuse it."""
    with on(at(day, 13, 40)):
        facts = services.facts_of(placement)
        kind_periods = {period.start for period in kinds.kind(kind).new_periods(facts, set(), day)}
        if not kind_periods:
            return None
        document = services.start_document(
            actor=writer, placement=placement, kind_key=kind, period_start=min(kind_periods)
        )
        services.save_draft(actor=writer, document=document, version=document.version, data=data)
        if evidence:
            uploads = [SimpleUploadedFile(name, content) for name, content in evidence]
            services.attach_evidence(actor=writer, document=document, uploads=uploads)
        document.refresh_from_db()
        if not submit or services.preview(document=document).problems:
            return None if submit else document
        return services.submit(
            actor=writer, document=document, version=document.version, confirmed=True, findings_confirmed=True
        )


def _payslip(employer: str, day: datetime.date) -> bytes:
    """A one-page payslip as a PDF (fictional)."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    lines = [f"Lönespecifikation {day:%Y-%m}", employer, "Timlön enligt avtal", "Demo: fiktiva uppgifter"]
    text = " ".join(f"({line}) Tj 0 -20 Td" for line in lines)
    content = pdf.make_stream(f"BT /F1 14 Tf 72 760 Td {text} ET".encode("cp1252"))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Contents=content,
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _photo() -> bytes:
    """A photographed contract (a grey page, with a camera's metadata that the upload removes)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), (238, 236, 230))
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "Anstallningsavtal (demo)", fill=(20, 20, 20))
    for row in range(8):
        draw.line((40, 120 + row * 60, 560, 120 + row * 60), fill=(150, 150, 150), width=2)
    exif = Image.Exif()
    exif[0x010F] = "Demo-kamera"
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def _plan(placement: Placement, writer: Actor, day: datetime.date, rng: random.Random) -> Document | None:
    with on(at(day, 9, 15)):
        document = services.start_document(
            actor=writer, placement=placement, kind_key="plan", period_start=placement.starts_on
        )
        first_day = max(day, placement.starts_on)
        optional = rng.sample(["kartlaggning", "vagledning", "arbetsgivarmoten", "digital", "svenska", "praktik"], 2)
        data: dict[str, list[str]] = {
            "distance": [rng.choice(["yes", "no", "no", "no"])],
            "activities": ["matchning", "jobbsokning", *optional],
            "weeks": ["2"],
            "notes": [rng.choice(PLAN_NOTES)],
            "together": ["yes"],
        }
        activities = ["matchning", "jobbsokning", *optional]
        for row in range(3):
            when = add_working_days(first_day - datetime.timedelta(days=1), 1 + row * 2)
            starts = rng.choice([9, 10, 13])
            data.update(
                {
                    f"schedule-{row}-activity": [activities[row % len(activities)]],
                    f"schedule-{row}-day": [when.isoformat()],
                    f"schedule-{row}-starts_at": [f"{starts:02d}:00"],
                    f"schedule-{row}-ends_at": [f"{starts + rng.choice([1, 2, 3]):02d}:00"],
                    f"schedule-{row}-place": [rng.choice(PLACES)],
                    f"schedule-{row}-provider": ["provider"],
                    f"schedule-{row}-notes": [rng.choice(SCHEDULE_NOTES)],
                }
            )
        services.save_draft(actor=writer, document=document, version=document.version, data=data)
        document.refresh_from_db()
        checked = services.preview(document=document)
        if checked.problems:
            return None  # a placement too short for a two-week schedule: leave it without a plan
        return services.submit(
            actor=writer, document=document, version=document.version, confirmed=True, findings_confirmed=True
        )


def _monthly(
    placement: Placement, writer: Actor, month: YearMonth, day: datetime.date, rng: random.Random, *, leave_draft: bool
) -> Document | None:
    with on(at(day, 14, 5)):
        document = services.start_document(
            actor=writer, placement=placement, kind_key="monthly_report", period_start=month.first_day
        )
        facts = services.facts_of(placement)
        closed = monthly.MONTHLY_REPORT.closed(facts, month)
        codes = [activity.code for activity in monthly.plan_activities(placement.pk)]
        data: dict[str, list[str]] = {
            "language_support": ["yes" if placement.participant.needs_language_support else "no"],
            "suggested_jobs": [rng.choice(["yes", "yes", "no"])],
            "other_info": [rng.choice(MONTH_NOTES)],
        }
        for day_of_month in month.days():
            if day_of_month in closed or rng.random() < 0.3:
                continue
            left = Decimal(rng.choice([2, 3, 4, 5, 6]))
            for code in rng.sample(codes, min(2, len(codes))):
                hours = min(left, Decimal(rng.choice(["1", "1.5", "2", "2.25", "3"])))
                left -= hours
                if hours:
                    data[monthly.cell_name(code, day_of_month)] = [rules.format_hours(hours)]
        services.save_draft(actor=writer, document=document, version=document.version, data=data)
        if leave_draft:
            return None
        document.refresh_from_db()
        if services.preview(document=document).problems:
            return None
        return services.submit(
            actor=writer, document=document, version=document.version, confirmed=True, findings_confirmed=True
        )


def _review(
    document: Document, reviewer: AfStaffAccount, day: datetime.date, *, approve: bool, rng: random.Random
) -> None:
    actor = Actor.for_af_account(reviewer)
    with on(at(day, 11, 20)):
        services.receive(actor=actor, document=document)
    with on(at(day, 11, 35)):
        services.decide(
            actor=actor, document=document, approve=approve, reason="" if approve else rng.choice(REJECTION_REASONS)
        )
