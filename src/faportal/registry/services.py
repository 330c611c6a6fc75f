"""Writes for the registry (SPEC S2): the KA-webb import of units and addresses (S2.2).

A file is first checked in full (``check_ka_import``, outside any transaction so a run's progress can be watched)
and then applied in one transaction (``apply_ka_import``): nothing is written when any row is bad. The back office
calls ``start_ka_import``; the worker runs ``tasks.run_ka_import``, which calls ``execute_ka_import_run``; the
``import_ka_webb`` command does the same in the foreground.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from faportal.audit import services as audit
from faportal.audit.services import AuditActor
from faportal.registry.ka_import import (
    MUNICIPALITY,
    POSTCODE,
    PROGRESS_EVERY,
    SERVICE,
    STREET,
    TOWN,
    UNIT_ID,
    UNIT_NAME,
    Changes,
    Code,
    ImportFormat,
    ImportRow,
    ImportSummary,
    Item,
    Problem,
    Progress,
    RawRow,
    Reference,
    decode,
    guess_format,
    parse,
    sort_problems,
    validate,
)
from faportal.registry.models import (
    Address,
    KaImportPhase,
    KaImportRun,
    KaImportStatus,
    Organisation,
    Service,
    Unit,
)
from faportal.registry.selectors import ka_import_reference
from faportal.registry.signals import addresses_retired

logger = logging.getLogger(__name__)

# Rows per bulk statement and per ``pk__in`` list: within SQLite's 999 parameters whatever the field count.
BATCH_SIZE = 100
# A run's row is written at most this often while checking; the back-office page polls it.
PROGRESS_SAVE_SECONDS = 1.0

# Who may start an import: the back office (its view checks the provider-administration role) and jobs.
# access.ActorKind values, spelled out because registry sits below access and may not import it.
_IMPORTING_ACTOR_KINDS = frozenset({"af", "system"})


@dataclass(frozen=True)
class StoredActor:
    """An actor rebuilt from what a run stored, so the worker audits as whoever started the import.

    Satisfies ``audit.services.AuditActor``. ``StoredActor.system(label)`` gives the same audit fields as
    ``access.Actor.system(label)``, which this app (a layer below access) cannot import.
    """

    label: str
    kind: str
    person_id: int | None = None
    organisation_id: int | None = None
    ip_address: str | None = None

    @classmethod
    def system(cls, label: str) -> StoredActor:
        return cls(label=label, kind="system")

    @classmethod
    def of_run(cls, run: KaImportRun) -> StoredActor:
        return cls(label=run.actor_label, kind=run.actor_kind or "system", person_id=run.created_by_id)


# --- checking and applying ----------------------------------------------------------------------------------


@dataclass
class CheckedFile:
    """A KA-webb file read and checked against the registry as it was at ``reference``."""

    rows: list[RawRow]
    valid_rows: list[ImportRow]
    problems: list[Problem]
    reference: Reference

    @property
    def total_rows(self) -> int:
        return len(self.rows)


@dataclass
class ImportResult:
    """What an import did (``summary``) or why it did nothing (``problems``); a dry run has both unapplied."""

    summary: ImportSummary | None
    problems: list[Problem]
    applied: bool


def check_ka_import(*, text: str, format: ImportFormat, progress: Progress | None = None) -> CheckedFile:
    """Reads and checks a whole KA-webb file (SPEC S2.2), every row, reporting every problem with its line."""
    parsed = parse(text, format=format)
    reference = ka_import_reference()
    valid_rows, problems = validate(parsed.rows, reference=reference, progress=progress)
    return CheckedFile(
        rows=parsed.rows,
        valid_rows=valid_rows,
        problems=sort_problems(parsed.problems + problems),
        reference=reference,
    )


def apply_ka_import(
    *,
    actor: AuditActor,
    checked: CheckedFile,
    run_id: int | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """KA-webb import (SPEC S2.2): makes the units and addresses of each organisation in the file match it.

    All or nothing, in one transaction; a file with any problem changes nothing. Units and addresses of those
    organisations missing from the file are retired, never deleted (grants and placements point at them).
    One audit event per organisation in the file. ``dry_run`` computes the summary and rolls back.
    """
    if checked.problems:
        return ImportResult(summary=None, problems=checked.problems, applied=False)
    with transaction.atomic():
        rows = checked.valid_rows
        reference = ka_import_reference()
        if reference != checked.reference:
            # The registry changed while the file was being checked (an organisation added, another import):
            # check again inside the transaction, so what is written was checked against what is there.
            rows, problems = validate(checked.rows, reference=reference)
            if problems:
                return ImportResult(summary=None, problems=problems, applied=False)
        applier = _Applier(rows)
        summary = applier.apply(progress)
        if dry_run:
            transaction.set_rollback(True)
            return ImportResult(summary=summary, problems=[], applied=False)
        if applier.retired_address_ids:
            addresses_retired.send(sender=Address, address_ids=applier.retired_address_ids, actor=actor, at=applier.now)
        for organisation in sorted(applier.organisations.values(), key=lambda organisation: organisation.name):
            tally = applier.tallies[organisation.pk]
            audit.record(
                actor,
                "registry.ka_import",
                organisation,
                run=run_id,
                units=tally.units,
                addresses=tally.addresses,
            )
    return ImportResult(summary=summary, problems=[], applied=True)


def _empty_counts() -> dict[str, int]:
    return dict.fromkeys(("added", "changed", "reactivated", "retired", "unchanged"), 0)


@dataclass
class _Tally:
    """Counts for one organisation, for its audit event."""

    units: dict[str, int] = field(default_factory=_empty_counts)
    addresses: dict[str, int] = field(default_factory=_empty_counts)


def _classify(
    changes: Changes, counts: dict[str, int], item: Item, *, added: bool, reactivated: bool, changed: bool
) -> None:
    if added:
        changes.added.append(item)
        counts["added"] += 1
    elif reactivated:
        changes.reactivated.append(item)
        counts["reactivated"] += 1
    elif changed:
        changes.changed.append(item)
        counts["changed"] += 1
    else:
        changes.unchanged += 1
        counts["unchanged"] += 1


def _chunks(values: Sequence[Any], size: int = BATCH_SIZE) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _retire(model: type[models.Model], pks: Sequence[int], at: Any) -> None:
    for chunk in _chunks(pks):
        model._default_manager.filter(pk__in=chunk).update(retired_at=at)


class _Applier:
    """Writes checked rows with a fixed number of queries per ``BATCH_SIZE`` rows, never one per row."""

    def __init__(self, rows: Sequence[ImportRow]) -> None:
        self.retired_address_ids: list[int] = []
        self.rows = rows
        self.now = timezone.now()
        named = {row.organisationsnummer for row in rows}
        self.organisations = {
            organisation.organisationsnummer: organisation
            for organisation in Organisation.objects.filter(organisationsnummer__in=named)
        }
        self.names = {organisation.pk: organisation.name for organisation in self.organisations.values()}
        self.services = dict(Service.objects.values_list("code", "pk"))
        # Checking made sure every unit and address in the file is new or already belongs to its organisation,
        # so these two reads hold everything the file can touch.
        self.units = {unit.ka_id: unit for unit in Unit.objects.filter(organisation__in=self.organisations.values())}
        self.addresses = {
            address.ka_id: address
            for address in Address.objects.filter(unit__organisation__in=self.organisations.values()).order_by("pk")
        }
        self.summary = ImportSummary(organisations=sorted(self.names.values()))
        self.tallies: dict[int, _Tally] = defaultdict(_Tally)

    def apply(self, progress: Progress | None) -> ImportSummary:
        self._apply_units()
        self._apply_addresses(progress)
        self.summary.units.sort()
        self.summary.addresses.sort()
        return self.summary

    def _apply_units(self) -> None:
        # Each unit appears on every row of its addresses; the first row stands for it (checking made them agree).
        unit_rows: dict[str, ImportRow] = {}
        for row in self.rows:
            unit_rows.setdefault(row.unit_ka_id, row)
        new_units: list[Unit] = []
        changed_units: list[Unit] = []
        for ka_id, row in unit_rows.items():
            organisation = self.organisations[row.organisationsnummer]
            service_id = self.services[row.service_code]
            unit = self.units.get(ka_id)
            fields: list[str] = []
            added = unit is None
            reactivated = False
            if unit is None:
                unit = Unit(ka_id=ka_id, organisation=organisation, service_id=service_id, name=row.unit_name)
                self.units[ka_id] = unit
                new_units.append(unit)
            else:
                if unit.service_id != service_id:
                    unit.service_id = service_id
                    fields.append(SERVICE)
                if unit.name != row.unit_name:
                    unit.name = row.unit_name
                    fields.append(UNIT_NAME)
                reactivated = unit.retired_at is not None
                unit.retired_at = None
                if fields or reactivated:
                    changed_units.append(unit)
            _classify(
                self.summary.units,
                self.tallies[organisation.pk].units,
                Item(ka_id, unit.name, organisation.name, tuple(fields)),
                added=added,
                reactivated=reactivated,
                changed=bool(fields),
            )
        retired = [unit for ka_id, unit in self.units.items() if ka_id not in unit_rows and unit.retired_at is None]
        for unit in retired:
            self.summary.units.retired.append(Item(unit.ka_id, unit.name, self.names[unit.organisation_id]))
            self.tallies[unit.organisation_id].units["retired"] += 1
        Unit.objects.bulk_create(new_units, batch_size=BATCH_SIZE)
        Unit.objects.bulk_update(changed_units, ["service", "name", "retired_at"], batch_size=BATCH_SIZE)
        _retire(Unit, [unit.pk for unit in retired], self.now)

    def _apply_addresses(self, progress: Progress | None) -> None:
        total = len(self.rows)
        done = 0
        # A chunk at a time, so progress can be reported while writing.
        for chunk in _chunks(self.rows, PROGRESS_EVERY):
            new_addresses: list[Address] = []
            changed_addresses: list[Address] = []
            for row in chunk:
                unit = self.units[row.unit_ka_id]
                address = self.addresses.get(row.address_ka_id)
                fields: list[str] = []
                added = address is None
                reactivated = False
                if address is None:
                    address = Address(
                        ka_id=row.address_ka_id,
                        unit=unit,
                        street=row.street,
                        postcode=row.postcode,
                        town=row.town,
                        municipality_id=row.municipality_code,
                    )
                    new_addresses.append(address)
                else:
                    for column, attribute, value in (
                        (UNIT_ID, "unit_id", unit.pk),  # moved to another unit of the same organisation
                        (STREET, "street", row.street),
                        (POSTCODE, "postcode", row.postcode),
                        (TOWN, "town", row.town),
                        (MUNICIPALITY, "municipality_id", row.municipality_code),
                    ):
                        if getattr(address, attribute) != value:
                            setattr(address, attribute, value)
                            fields.append(column)
                    reactivated = address.retired_at is not None
                    address.retired_at = None
                    if fields or reactivated:
                        changed_addresses.append(address)
                _classify(
                    self.summary.addresses,
                    self.tallies[unit.organisation_id].addresses,
                    Item(row.address_ka_id, str(address), self.names[unit.organisation_id], tuple(fields)),
                    added=added,
                    reactivated=reactivated,
                    changed=bool(fields),
                )
            Address.objects.bulk_create(new_addresses, batch_size=BATCH_SIZE)
            Address.objects.bulk_update(
                changed_addresses,
                ["unit", "street", "postcode", "town", "municipality", "retired_at"],
                batch_size=BATCH_SIZE,
            )
            done += len(chunk)
            if progress is not None:
                progress(done, total)

        in_file = {row.address_ka_id for row in self.rows}
        retired = [
            address for ka_id, address in self.addresses.items() if ka_id not in in_file and address.retired_at is None
        ]
        unit_organisations = {unit.pk: unit.organisation_id for unit in self.units.values()}
        for address in retired:
            organisation_id = unit_organisations[address.unit_id]
            self.summary.addresses.retired.append(Item(address.ka_id, str(address), self.names[organisation_id]))
            self.tallies[organisation_id].addresses["retired"] += 1
        self.retired_address_ids = [address.pk for address in retired]
        _retire(Address, self.retired_address_ids, self.now)


# --- runs ---------------------------------------------------------------------------------------------------


def create_ka_import_run(
    *, actor: AuditActor, file_name: str, content: bytes, format: ImportFormat | None = None
) -> KaImportRun:
    """Stores an uploaded KA-webb file as a run (SPEC S2.2); a file that is not UTF-8 fails at once, on line 1."""
    if actor.kind not in _IMPORTING_ACTOR_KINDS:
        raise PermissionDenied
    text = decode(content)
    common: dict[str, Any] = {
        "file_name": file_name[:255],
        "created_by_id": actor.person_id,
        "actor_label": actor.label[:200],
        "actor_kind": actor.kind,
    }
    if isinstance(text, Problem):
        run = KaImportRun.objects.create(
            **common,
            format=format or guess_format(file_name, ""),
            content="",
            status=KaImportStatus.FAILED,
            problems=[text.as_dict()],
            finished_at=timezone.now(),
        )
    else:
        run = KaImportRun.objects.create(**common, format=format or guess_format(file_name, text), content=text)
    audit.record(actor, "registry.ka_import_started", run, file_name=run.file_name)
    return run


def start_ka_import(
    *, actor: AuditActor, file_name: str, content: bytes, format: ImportFormat | None = None
) -> KaImportRun:
    """Starts a KA-webb import in the background (SPEC S2.2); the worker runs it once this transaction commits.

    The format comes from the file name's extension unless given (a file named neither .csv nor .json is read
    as JSON when it starts with a brace). Poll the returned run's ``status`` and ``processed_rows``.
    """
    # Imported here: the task module imports this one to run the import.
    from faportal.registry.tasks import run_ka_import

    run = create_ka_import_run(actor=actor, file_name=file_name, content=content, format=format)
    if not run.is_finished:
        transaction.on_commit(partial(run_ka_import.enqueue, run_id=run.pk))
    return run


PhaseProgress = Callable[[str, int, int], None]


class _RunProgress:
    """Saves a run's progress while it is checked, at most every ``PROGRESS_SAVE_SECONDS``."""

    def __init__(self, run: KaImportRun, phase: str, echo: PhaseProgress | None) -> None:
        self.run = run
        self.phase = phase
        self.echo = echo
        self.saved_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        if self.echo is not None:
            self.echo(self.phase, done, total)
        # While applying, the run's row would only change inside the import's transaction, unseen until the end.
        if self.phase != KaImportPhase.CHECKING:
            return
        now = time.monotonic()
        if done == total or now - self.saved_at >= PROGRESS_SAVE_SECONDS:
            self.saved_at = now
            KaImportRun.objects.filter(pk=self.run.pk).update(processed_rows=done, total_rows=total)


def execute_ka_import_run(*, run_id: int, on_progress: PhaseProgress | None = None) -> KaImportRun:
    """Runs a stored KA-webb import (SPEC S2.2): check, apply, and keep progress and result on the run.

    ``on_progress(phase, done, total)`` hears about every ``PROGRESS_EVERY`` rows. A finished run is left alone,
    so a task delivered twice imports once.
    """
    run = KaImportRun.objects.get(pk=run_id)
    if run.is_finished:
        return run
    run.status = KaImportStatus.RUNNING
    run.phase = KaImportPhase.CHECKING
    run.started_at = timezone.now()
    run.processed_rows = 0
    run.save(update_fields=["status", "phase", "started_at", "processed_rows"])
    try:
        checked = check_ka_import(
            text=run.content,
            format=ImportFormat(run.format),
            progress=_RunProgress(run, KaImportPhase.CHECKING, on_progress),
        )
        run.total_rows = run.processed_rows = checked.total_rows
        if not checked.problems:
            run.phase = KaImportPhase.APPLYING
            run.save(update_fields=["phase", "total_rows", "processed_rows"])
        result = apply_ka_import(
            actor=StoredActor.of_run(run),
            checked=checked,
            run_id=run.pk,
            progress=_RunProgress(run, KaImportPhase.APPLYING, on_progress),
        )
    except Exception:
        # The transaction rolled back, so nothing was applied; the traceback goes to the log with the run id.
        logger.exception("KA-webb import run %s stopped on an unexpected error", run.pk)
        result = ImportResult(summary=None, problems=[Problem(0, "", Code.UNEXPECTED_ERROR)], applied=False)
    run.status = KaImportStatus.DONE if result.applied else KaImportStatus.FAILED
    run.phase = KaImportPhase.NONE
    run.summary = result.summary.as_dict() if result.summary is not None else {}
    run.problems = [problem.as_dict() for problem in result.problems]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "phase", "total_rows", "processed_rows", "summary", "problems", "finished_at"])
    return run
