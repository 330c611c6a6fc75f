"""Writes for documents (SPEC S5, S6): one life cycle for every kind.

Draft (saved as the person types, guarded by ``version``) → preview → submit (explicitly confirmed, after any
warnings about the free text were seen) → Af receives it → approved, or rejected with a reason → a correction, a new
document that replaces the rejected one. Only staff with the reporting role at the placement's address write; Af's
reviewers review. Every step is audited; submitting and the review's steps are events on the placement's timeline,
and an outcome raises the provider's unread flag.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role
from faportal.access.scoping import require, require_role
from faportal.audit.models import AuditEvent
from faportal.audit.services import record
from faportal.core.problems import Problem, Refused, raise_problems, refuse
from faportal.documents import events, files, kinds, listing, rules
from faportal.documents.kinds import Attached, Draft, Facts, Period, Writer
from faportal.documents.models import (
    Activity,
    Document,
    DocumentFile,
    InformationTopic,
    Review,
    ReviewStatus,
    SensitiveTerm,
)
from faportal.documents.rules import Code, Finding, free_text_findings
from faportal.documents.signals import document_decided
from faportal.placements.models import Interruption, Placement, today

# Saving a draft as one types is one change in the log per person and document within this long, not hundreds.
DRAFT_SAVES_LOGGED_EVERY = datetime.timedelta(minutes=10)
# What is not a field of the document in a form's POST.
CONTROL_FIELDS = {
    "csrfmiddlewaretoken",
    "version",
    "action",
    "add_row",
    "remove_row",
    "leaving",
    "evidence",
    "remove_evidence",
    "goto_step",
}


def facts_of(placement: Placement, document: Document | None = None) -> Facts:
    """What the rules need to know about a placement, read now (the interruption in force, the kinds of its
    submitted and approved documents), and the evidence attached to ``document``.
    """
    interrupts_on = (
        Interruption.objects.filter(placement=placement, withdrawn_at__isnull=True)
        .values_list("interrupts_on", flat=True)
        .first()
    )
    sent = list(
        Document.objects.filter(placement=placement, submitted_at__isnull=False).values_list("kind", "review__status")
    )
    return Facts(
        placement_id=placement.pk,
        period=placement.period,
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        interrupts_on=interrupts_on,
        submitted=frozenset(kind for kind, _status in sent),
        approved=frozenset(kind for kind, status in sent if status == ReviewStatus.APPROVED),
        evidence=attached(document) if document is not None and kinds.kind(document.kind).takes_evidence else (),
    )


def attached(document: Document) -> tuple[Attached, ...]:
    """The evidence files of a document, oldest first."""
    return tuple(
        Attached(pk, name, size, content_type)
        for pk, name, size, content_type in document.files.filter(purpose=DocumentFile.Purpose.EVIDENCE)
        .order_by("created_at", "pk")
        .values_list("pk", "file_name", "size", "content_type")
    )


def period_of(document: Document) -> Period:
    return Period(document.period_start, document.period_end)


def draft_from(data: Mapping[str, Any]) -> Draft:
    """The fields of a form's POST as a draft stores them: every value as typed, control fields left out."""
    lists = data.lists() if hasattr(data, "lists") else ((key, value) for key, value in data.items())
    return {
        str(name): [str(value) for value in (values if isinstance(values, list) else [values])]
        for name, values in lists
        if name not in CONTROL_FIELDS
    }


@transaction.atomic
def start_document(*, actor: Actor, placement: Placement, kind_key: str, period_start: datetime.date) -> Document:
    """A new draft of ``kind_key`` for the period starting ``period_start`` (SPEC S5)."""
    require(actor, Role.REPORT, placement)
    kind = kinds.kind(kind_key)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    facts = facts_of(locked)
    taken = set(
        Document.objects.filter(placement=locked, kind=kind.key, original__isnull=True).values_list(
            "period_start", flat=True
        )
    )
    periods = {period.start: period for period in kind.new_periods(facts, taken, today())}
    # A report of what happened has no period to pick: a page loaded yesterday starts today's the same.
    period = next(iter(periods.values()), None) if kind.many else periods.get(period_start)
    if period is None:
        raise refuse("period", Code.ALREADY_EXISTS if period_start in taken else Code.PERIOD_NOT_OPEN)
    assert actor.account is not None
    number = None
    if kind.many:  # numbered under the placement's lock: two colleagues starting at once get 1 and 2
        highest = Document.objects.filter(placement=locked, kind=kind.key).aggregate(Max("number"))["number__max"]
        number = (highest or 0) + 1
    writer = Writer(name=actor.account.person.full_name, email=actor.account.email)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                placement=locked,
                kind=kind.key,
                period_start=period.start,
                period_end=period.end,
                number=number,
                draft=kind.prefill(kind.initial_draft(facts, period, None), writer),
                created_by=actor.account,
                saved_by=actor.account,
            )
    except IntegrityError as error:  # started by a colleague at the same moment
        raise refuse("period", Code.ALREADY_EXISTS) from error
    record(actor, "documents.draft_started", document, kind=kind.key, period=period.start.isoformat())
    return document


@transaction.atomic
def start_correction(*, actor: Actor, document: Document) -> Document:
    """Rättelse: a new draft of the same kind that will replace ``document`` (rejected, or an approved plan that is
    being updated); it starts from what the replaced one said.
    """
    require(actor, Role.REPORT, document)
    kind = kinds.kind(document.kind)
    # Only the document is locked: PostgreSQL cannot lock the nullable side of the join to its review.
    old = Document.objects.select_for_update(of=("self",)).select_related("review").get(pk=document.pk)
    existing = Document.objects.filter(corrects=old).first()
    if existing is not None:
        if existing.is_draft:
            return existing  # the correction already begun: carry on with it
        raise refuse("", Code.CORRECTION_EXISTS)
    review = getattr(old, "review", None)
    status = review.status if review is not None else None
    if not (status == ReviewStatus.REJECTED or (kind.revisable and status == ReviewStatus.APPROVED)):
        raise refuse("", Code.NOT_CORRECTABLE)
    facts = facts_of(old.placement)
    if facts.last_day < today() and status == ReviewStatus.APPROVED:
        raise refuse("", Code.PLACEMENT_OVER)
    assert actor.account is not None
    correction = Document.objects.create(
        placement=old.placement,
        kind=old.kind,
        period_start=old.period_start,
        period_end=old.period_end,
        number=old.number,
        corrects=old,
        original=old.original or old,
        draft=kind.initial_draft(facts, period_of(old), old.content or {}),
        created_by=actor.account,
        saved_by=actor.account,
    )
    if kind.takes_evidence:
        _copy_evidence(old, correction, actor)
    record(actor, "documents.correction_started", correction, corrects=old.pk, kind=kind.key)
    return correction


def _copy_evidence(old: Document, correction: Document, actor: Actor) -> None:
    """A correction starts with the evidence of the version it corrects, as files of its own (the old version's stay
    final with it); the writer removes what was wrong.
    """
    for each in old.files.filter(purpose=DocumentFile.Purpose.EVIDENCE).order_by("created_at", "pk"):
        with files.open_stored(each.stored_name) as handle:
            data = handle.read()
        stored, digest = files.store(data, each.stored_name.rsplit(".", 1)[-1])
        DocumentFile.objects.create(
            document=correction,
            purpose=DocumentFile.Purpose.EVIDENCE,
            stored_name=stored,
            file_name=each.file_name,
            content_type=each.content_type,
            size=each.size,
            sha256=digest,
            created_by=actor.account,
        )


@dataclass(frozen=True)
class Saved:
    document: Document
    at: datetime.datetime


@transaction.atomic
def save_draft(*, actor: Actor, document: Document, version: int, data: Mapping[str, Any]) -> Saved:
    """Spara utkast: what was typed, as it was typed (nothing is checked yet, nothing is lost).

    ``version`` is the draft the person's page holds: when the stored draft has moved on meanwhile (another tab, a
    colleague), nothing is overwritten and the save is refused as stale.
    """
    require(actor, Role.REPORT, document)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not locked.is_draft:
        raise refuse("", Code.NOT_A_DRAFT)
    if locked.version != version:
        raise refuse(
            "",
            Code.STALE_DRAFT,
            saved_at=timezone.localtime(locked.saved_at).strftime("%H.%M"),
            version=locked.version,
        )
    now = timezone.now()
    assert actor.account is not None
    locked.draft = draft_from(data)
    locked.version += 1
    locked.saved_at = now
    locked.saved_by = actor.account
    _date(locked)
    locked.save(update_fields=["draft", "version", "saved_at", "saved_by", "period_start", "period_end"])
    if not _saved_just_now(actor, locked, now):
        record(actor, "documents.draft_saved", locked, kind=locked.kind)
    return Saved(locked, now)


def _delete_stored(names: list[str]) -> None:
    for name in names:
        files.delete_stored(name)


def _date(document: Document) -> None:
    """A document of a kind there are many of moves to the day its draft says it is about (SPEC S5.2, S5.3)."""
    kind = kinds.kind(document.kind)
    if not kind.many:
        return
    period = kind.dated(document.draft, period_of(document), today())
    document.period_start, document.period_end = period.start, period.end


def _saved_just_now(actor: Actor, document: Document, now: datetime.datetime) -> bool:
    return AuditEvent.objects.filter(
        actor_id=actor.person_id,
        action="documents.draft_saved",
        subject_type=Document._meta.label,
        subject_id=str(document.pk),
        at__gt=now - DRAFT_SAVES_LOGGED_EVERY,
    ).exists()


@transaction.atomic
def delete_draft(*, actor: Actor, document: Document) -> None:
    """Ta bort utkast: a draft nobody submitted can go (a submitted document never does)."""
    require(actor, Role.REPORT, document)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not locked.is_draft:
        raise refuse("", Code.NOT_A_DRAFT)
    record(actor, "documents.draft_deleted", locked, kind=locked.kind)
    names = list(locked.files.values_list("stored_name", flat=True))
    locked.files.all().delete()
    locked.delete()
    transaction.on_commit(partial(_delete_stored, names))


@dataclass(frozen=True)
class Preview:
    """A draft as it would be submitted: its clean content, or its problems; and the warnings about free text."""

    content: dict[str, Any] | None
    problems: list[Problem]
    findings: list[Finding]


def preview(*, document: Document, facts: Facts | None = None) -> Preview:
    """Förhandsgranska: check a draft (its kind's rules, and whether it can be submitted yet) without changing it."""
    kind = kinds.kind(document.kind)
    facts = facts or facts_of(document.placement, document)
    day = today()
    content, problems = kind.check(document.draft, facts, period_of(document), day)
    problems = problems + kind.submit_problems(facts, period_of(document), day)
    findings = free_text_findings(kind.free_texts(content), sensitive_terms(), today=day) if content else []
    return Preview(content if not problems else None, problems, findings)


def sensitive_terms() -> list[tuple[str, str]]:
    return list(SensitiveTerm.objects.filter(active=True).values_list("term", "category"))


@transaction.atomic
def submit(*, actor: Actor, document: Document, version: int, confirmed: bool, findings_confirmed: bool) -> Document:
    """Skicka in (SPEC S5): the draft's content becomes final and goes to Af's review.

    ``confirmed`` is the writer's explicit confirmation; ``findings_confirmed`` that they saw the warnings about the
    free text and the text stays as it is.
    """
    require(actor, Role.REPORT, document)
    locked = Document.objects.select_for_update().select_related("placement").get(pk=document.pk)
    if not locked.is_draft:
        raise refuse("", Code.NOT_A_DRAFT)
    if locked.version != version:
        raise refuse(
            "", Code.STALE_DRAFT, saved_at=timezone.localtime(locked.saved_at).strftime("%H.%M"), version=locked.version
        )
    checked = preview(document=locked)
    raise_problems(checked.problems)
    if checked.findings and not findings_confirmed:
        raise refuse("findings_confirmed", Code.SENSITIVE_NOT_CONFIRMED)
    if not confirmed:
        raise refuse("confirmed", Code.NOT_CONFIRMED)
    if (
        locked.corrects_id is not None
        and Document.objects.filter(corrects_id=locked.corrects_id, submitted_at__isnull=False).exists()
    ):
        raise refuse("", Code.CORRECTION_EXISTS)
    now = timezone.now()
    assert actor.account is not None
    assert checked.content is not None
    _date(locked)
    locked.content = checked.content
    locked.draft = {}
    locked.submitted_at = now
    locked.submitted_by = actor.account
    locked.version += 1
    locked.save(
        update_fields=["content", "draft", "submitted_at", "submitted_by", "version", "period_start", "period_end"]
    )
    Review.objects.create(document=locked, kind=locked.kind, submitted_at=now)
    listing.keep_copies(locked)
    kind = kinds.kind(locked.kind)
    events.record(
        actor,
        events.SUBMITTED,
        locked,
        corrects=locked.corrects_id is not None,
    )
    record(
        actor,
        "documents.submitted",
        locked,
        kind=kind.key,
        period=locked.period_start.isoformat(),
        corrects=locked.corrects_id,
        warnings_confirmed=[finding.kind for finding in checked.findings],
    )
    # The PDF copy is made by the worker right after (the document's page says so until it is there).
    from faportal.documents.tasks import make_copy  # the task module imports this one

    document_id = locked.pk
    transaction.on_commit(lambda: make_copy.enqueue(document_id=document_id))
    return locked


# --- Af's review (S6) -----------------------------------------------------------------------------------------


@transaction.atomic
def receive(*, actor: Actor, document: Document) -> Review:
    """Mottagen: the first time a reviewer opens a submitted document, the provider sees that Af has it."""
    require_role(actor, AfRole.REVIEWER)
    review = Review.objects.select_for_update().get(document=document)
    if review.status != ReviewStatus.SUBMITTED:
        return review
    review.status = ReviewStatus.RECEIVED
    review.received_at = timezone.now()
    review.received_by = actor.person
    review.save(update_fields=["status", "received_at", "received_by"])
    record(actor, "documents.received", document, kind=document.kind)
    return review


@transaction.atomic
def decide(*, actor: Actor, document: Document, approve: bool, reason: str = "") -> Review:
    """Godkänn, or Godkänn ej with a written reason (motivering, SPEC S5, S6): final, and the provider sees it at once
    (status, timeline, unread flag).
    """
    require_role(actor, AfRole.REVIEWER)
    review = Review.objects.select_for_update().select_related("document").get(document=document)
    if review.decided_at is not None:
        raise refuse("", Code.ALREADY_DECIDED)
    reason = reason.replace("\r\n", "\n").strip()
    if not approve and not reason:
        raise refuse("reason", Code.REASON_REQUIRED)
    if len(reason) > 2000:
        raise refuse("reason", Code.TOO_LONG, limit=2000, length=len(reason))
    now = timezone.now()
    if review.received_at is None:
        review.received_at = now
        review.received_by = actor.person
    review.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    review.decided_at = now
    review.decided_by = actor.person
    review.reason = reason
    review.save(update_fields=["status", "received_at", "received_by", "decided_at", "decided_by", "reason"])
    listing.keep_copies(review.document)
    events.record(actor, events.APPROVED if approve else events.REJECTED, review.document, reason=reason)
    record(
        actor,
        "documents.approved" if approve else "documents.rejected",
        review.document,
        kind=review.kind,
    )
    # Billing (above documents) issues orders and goods receipts from approvals: told once the decision is final.
    decided = {"document_id": review.document_id, "kind": review.kind, "approved": approve, "review_id": review.pk}
    transaction.on_commit(lambda: document_decided.send(sender=Document, **decided))
    return review


# --- what Af edits: the activity catalogue and the sensitive terms (S5, S5.1) ----------------------------------


@dataclass(frozen=True)
class ActivityValues:
    name: str
    description: str
    mandatory: bool
    active: bool
    position: int


@transaction.atomic
def save_activity(*, actor: Actor, code: str, values: ActivityValues, activity: Activity | None = None) -> Activity:
    """Aktivitetskatalogen (SPEC S5.1): Af adds an activity or changes one. Its code never changes: submitted plans
    name their activities by it.
    """
    require_role(actor, AfRole.REVIEWER)
    if activity is None:
        if Activity.objects.filter(code=code).exists():
            raise refuse("code", Code.ALREADY_EXISTS)
        activity = Activity(code=code)
    before = {field: getattr(activity, field) for field in ("name", "mandatory", "active")} if activity.pk else {}
    for field, value in asdict(values).items():
        setattr(activity, field, value)
    activity.save()
    record(actor, "documents.catalogue_changed", activity, code=activity.code, before=before, after=asdict(values))
    return activity


@transaction.atomic
def add_sensitive_term(*, actor: Actor, term: str, category: str) -> SensitiveTerm:
    """Känsliga ord: Af adds a word that suggests sensitive personal data in free text (SPEC S5)."""
    require_role(actor, AfRole.REVIEWER)
    cleaned = " ".join(term.split()).casefold()
    found, created = SensitiveTerm.objects.get_or_create(term=cleaned, defaults={"category": category})
    if not created:
        if found.active:
            raise refuse("term", Code.ALREADY_EXISTS)
        found.active = True
        found.category = category
        found.save(update_fields=["active", "category"])
    record(actor, "documents.terms_changed", found, term=found.term, category=category, active=True)
    return found


@transaction.atomic
def set_sensitive_term_active(*, actor: Actor, term: SensitiveTerm, active: bool) -> SensitiveTerm:
    require_role(actor, AfRole.REVIEWER)
    term.active = active
    term.save(update_fields=["active"])
    record(actor, "documents.terms_changed", term, term=term.term, active=active)
    return term


@transaction.atomic
def add_information_topic(*, actor: Actor, name: str) -> InformationTopic:
    """Ämnen för informativ rapport (SPEC S5.5): Af adds what an informative report can concern."""
    require_role(actor, AfRole.REVIEWER)
    cleaned = " ".join(name.split())
    if not cleaned:
        raise refuse("name", Code.REQUIRED)
    if InformationTopic.objects.filter(name__iexact=cleaned).exists():
        raise refuse("name", Code.ALREADY_EXISTS)
    code = slugify(cleaned)[:40] or "amne"
    while InformationTopic.objects.filter(code=code).exists():
        code = f"{slugify(cleaned)[:40]}-{InformationTopic.objects.count() + 1}"
    topic = InformationTopic.objects.create(code=code, name=cleaned, position=90)
    record(actor, "documents.topics_changed", topic, code=topic.code, name=topic.name, active=True)
    return topic


@transaction.atomic
def set_information_topic_active(*, actor: Actor, topic: InformationTopic, active: bool) -> InformationTopic:
    require_role(actor, AfRole.REVIEWER)
    topic.active = active
    topic.save(update_fields=["active"])
    record(actor, "documents.topics_changed", topic, code=topic.code, active=active)
    return topic


# --- files: evidence attached to a draft, and the PDF copy (S5.7; issue 10) -----------------------------------------


@dataclass(frozen=True)
class Attachment:
    """What became of an upload: the files attached, and why any other was refused."""

    added: list[DocumentFile]
    problems: list[Problem]


@transaction.atomic
def attach_evidence(*, actor: Actor, document: Document, uploads: Sequence[UploadedFile]) -> Attachment:
    """Bifoga underlag (SPEC S5.7): PDF, JPEG or PNG files, recognised by their content, at most 10 MB each and five
    per report, kept as clean copies (a PDF without scripts, actions or embedded files; an image without metadata)
    under random names. They belong to the draft and become final with it.
    """
    require(actor, Role.REPORT, document)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not locked.is_draft:
        raise refuse("", Code.NOT_A_DRAFT)
    if not uploads:
        raise refuse("evidence", Code.EVIDENCE_MISSING)
    assert actor.account is not None
    count = locked.files.filter(purpose=DocumentFile.Purpose.EVIDENCE).count()
    added: list[DocumentFile] = []
    problems: list[Problem] = []
    for upload in uploads:
        name = (upload.name or "?").replace("\\", "/").rsplit("/", 1)[-1][:100]
        head = upload.read(2048)
        upload.seek(0)
        content_type = files.sniff(head)
        found = rules.evidence_problems(
            content_type=content_type, size=upload.size or 0, attached=count + len(added), name=name
        )
        if found or content_type is None:
            problems.extend(found)
            continue
        try:
            clean = files.clean(upload.read(), content_type)
        except files.Unreadable:
            problems.append(Problem("evidence", Code.EVIDENCE_UNREADABLE, {"name": name}))
            continue
        stored, digest = files.store(clean.data, clean.extension)
        made = DocumentFile.objects.create(
            document=locked,
            purpose=DocumentFile.Purpose.EVIDENCE,
            stored_name=stored,
            file_name=files.safe_name(upload.name or "", clean.extension),
            content_type=clean.content_type,
            size=len(clean.data),
            sha256=digest,
            created_by=actor.account,
        )
        added.append(made)
        record(actor, "documents.evidence_attached", locked, file=made.pk, content_type=made.content_type)
    if not added:
        raise Refused(problems)
    return Attachment(added, problems)


@transaction.atomic
def remove_evidence(*, actor: Actor, document: Document, file_id: int) -> None:
    """Ta bort underlag: a file attached to a draft can be removed until the draft is submitted."""
    require(actor, Role.REPORT, document)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if not locked.is_draft:
        raise refuse("", Code.NOT_A_DRAFT)
    found = locked.files.filter(pk=file_id, purpose=DocumentFile.Purpose.EVIDENCE).first()
    if found is None:
        return  # removed already (another tab)
    name = found.stored_name
    found.delete()
    record(actor, "documents.evidence_removed", locked, file=file_id)
    transaction.on_commit(lambda: files.delete_stored(name))


def make_copy(*, document_id: int) -> DocumentFile | None:
    """Kopia (issue 10): the submitted document as a PDF/A-2 file with tags, made once right after it is submitted
    and kept; never made again.
    """
    from faportal.documents import pdf  # WeasyPrint is heavy to import: only the worker needs it

    document = Document.objects.select_related("placement").filter(pk=document_id).first()
    if document is None or document.is_draft:
        return None
    existing = DocumentFile.objects.filter(document=document, purpose=DocumentFile.Purpose.COPY).first()
    if existing is not None:
        return existing
    data = pdf.render(document)
    stored, digest = files.store(data, "pdf")
    kind = kinds.kind(document.kind)
    try:
        with transaction.atomic():
            made = DocumentFile.objects.create(
                document=document,
                purpose=DocumentFile.Purpose.COPY,
                stored_name=stored,
                file_name=pdf.file_name(document, kind),
                content_type="application/pdf",
                size=len(data),
                sha256=digest,
            )
            record(Actor.system("documents"), "documents.copy_made", document, file=made.pk, size=len(data))
    except IntegrityError:  # made meanwhile by another worker
        files.delete_stored(stored)
        return DocumentFile.objects.filter(document=document, purpose=DocumentFile.Purpose.COPY).first()
    return made
