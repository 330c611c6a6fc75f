"""Applying KA-webb files to the registry (SPEC S2.2)."""

from __future__ import annotations

import time

import pytest

from faportal.audit.models import AuditEvent
from faportal.registry.ka_import import Code, ImportFormat, Problem
from faportal.registry.models import Address, Organisation, Unit
from faportal.registry.services import ImportResult, StoredActor, apply_ka_import, check_ka_import
from faportal.registry.tests.factories import AddressFactory, OrganisationFactory, UnitFactory, organisationsnummer
from faportal.registry.tests.ka_files import ORG_A, ORG_B, csv_text, json_text, row

pytestmark = pytest.mark.django_db

ACTOR = StoredActor.system("test")


@pytest.fixture
def org_a() -> Organisation:
    return OrganisationFactory.create(organisationsnummer=ORG_A, name="Alfa AB")


@pytest.fixture
def org_b() -> Organisation:
    return OrganisationFactory.create(organisationsnummer=ORG_B, name="Beta AB")


def import_text(text: str, *, format: ImportFormat = ImportFormat.CSV, **kwargs: object) -> ImportResult:
    checked = check_ka_import(text=text, format=format)
    return apply_ka_import(actor=ACTOR, checked=checked, **kwargs)  # type: ignore[arg-type]


def counts(result: ImportResult) -> tuple[dict[str, int], dict[str, int]]:
    assert result.summary is not None, result.problems
    return result.summary.units.counts(), result.summary.addresses.counts()


def only(**nonzero: int) -> dict[str, int]:
    return {"added": 0, "changed": 0, "reactivated": 0, "retired": 0, "unchanged": 0} | nonzero


# Two units of Alfa AB: E1 with two addresses, E2 with one.
FIRST = (
    row(),
    row(adress_id="A2", gatuadress="Lillgatan 2", postnummer="411 01", ort="Göteborg", kommunkod="1480"),
    row(enhet_id="E2", enhet_namn="Enhet Två", adress_id="A3", gatuadress="Malmvägen 3", kommunkod="2584"),
)


def test_first_import_adds_units_and_addresses(org_a: Organisation) -> None:
    result = import_text(csv_text(*FIRST))

    assert result.applied
    assert counts(result) == (only(added=2), only(added=3))
    e1 = Unit.objects.get(ka_id="E1")
    assert (e1.organisation, e1.service.code, e1.name, e1.retired_at) == (org_a, "rusta-och-matcha", "Enhet Ett", None)
    a2 = Address.objects.get(ka_id="A2")
    assert (a2.unit, a2.street, a2.postcode, a2.town, a2.municipality.name) == (
        e1,
        "Lillgatan 2",
        "41101",
        "Göteborg",
        "Göteborg",
    )
    assert [item.label for item in result.summary.units.added] == ["Enhet Ett", "Enhet Två"]  # type: ignore[union-attr]
    assert {item.organisation for item in result.summary.addresses.added} == {"Alfa AB"}  # type: ignore[union-attr]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(org_a: Organisation) -> None:
    import_text(csv_text(*FIRST))
    before = list(Address.objects.values_list("ka_id", "unit__ka_id", "street", "postcode", "town", "retired_at"))

    result = import_text(csv_text(*FIRST))

    assert result.applied
    assert counts(result) == (only(unchanged=2), only(unchanged=3))
    assert not result.summary.has_changes  # type: ignore[union-attr]
    after = list(Address.objects.values_list("ka_id", "unit__ka_id", "street", "postcode", "town", "retired_at"))
    assert after == before


def test_the_same_data_as_json_is_the_same_import(org_a: Organisation) -> None:
    import_text(csv_text(*FIRST))

    result = import_text(json_text(*FIRST), format=ImportFormat.JSON)

    assert counts(result) == (only(unchanged=2), only(unchanged=3))


def test_different_values_are_changes_naming_the_columns(org_a: Organisation) -> None:
    import_text(csv_text(*FIRST))
    edited = (
        row(enhet_namn="Enhet Ett Nytt namn"),
        row(enhet_namn="Enhet Ett Nytt namn", adress_id="A2", gatuadress="Lillgatan 4", postnummer="41101",
            ort="Göteborg", kommunkod="1480"),
        # A3 moves from E2 to E1 (same organisation), and E2 then has no address.
        row(enhet_namn="Enhet Ett Nytt namn", adress_id="A3", gatuadress="Malmvägen 3", kommunkod="2584"),
    )  # fmt: skip

    result = import_text(csv_text(*edited))

    assert counts(result) == (only(changed=1, retired=1), only(changed=2, unchanged=1))
    summary = result.summary
    assert summary is not None
    assert [(i.ka_id, i.fields) for i in summary.units.changed] == [("E1", ("enhet_namn",))]
    assert sorted((i.ka_id, i.fields) for i in summary.addresses.changed) == [
        ("A2", ("gatuadress",)),
        ("A3", ("enhet_id",)),
    ]
    assert Unit.objects.get(ka_id="E1").name == "Enhet Ett Nytt namn"
    assert Address.objects.get(ka_id="A3").unit.ka_id == "E1"


def test_units_and_addresses_missing_from_the_file_are_retired_not_deleted(org_a: Organisation) -> None:
    import_text(csv_text(*FIRST))

    result = import_text(csv_text(FIRST[0]))

    assert counts(result) == (only(unchanged=1, retired=1), only(unchanged=1, retired=2))
    assert [i.ka_id for i in result.summary.units.retired] == ["E2"]  # type: ignore[union-attr]
    assert Unit.objects.count() == 2
    assert Address.objects.count() == 3
    assert set(Unit.objects.active().values_list("ka_id", flat=True)) == {"E1"}
    assert set(Address.objects.active().values_list("ka_id", flat=True)) == {"A1"}


def test_retired_units_and_addresses_come_back_when_the_file_has_them_again(org_a: Organisation) -> None:
    import_text(csv_text(*FIRST))
    import_text(csv_text(FIRST[0]))

    result = import_text(csv_text(*FIRST))

    assert counts(result) == (only(unchanged=1, reactivated=1), only(unchanged=1, reactivated=2))
    assert Unit.objects.active().count() == 2
    assert Address.objects.active().count() == 3


def test_organisations_not_named_in_the_file_are_untouched(org_a: Organisation, org_b: Organisation) -> None:
    b_address = AddressFactory.create(unit=UnitFactory.create(organisation=org_b, ka_id="EB"), ka_id="AB")

    result = import_text(csv_text(*FIRST))
    import_text(csv_text(FIRST[0]))

    assert result.summary is not None
    assert result.summary.organisations == ["Alfa AB"]
    b_address.refresh_from_db()
    b_address.unit.refresh_from_db()
    assert b_address.retired_at is None
    assert b_address.unit.retired_at is None


def test_nothing_is_applied_when_one_row_is_bad(org_a: Organisation) -> None:
    import_text(csv_text(*FIRST))
    bad = (row(enhet_namn="Nytt namn"), row(enhet_namn="Nytt namn", adress_id="A2", kommunkod="9999"))

    result = import_text(csv_text(*bad))

    assert not result.applied
    assert result.summary is None
    assert result.problems == [Problem(3, "kommunkod", Code.UNKNOWN_MUNICIPALITY, {"value": "9999"})]
    # The good row's rename and the retirement of E2 and A3 did not happen either.
    assert Unit.objects.get(ka_id="E1").name == "Enhet Ett"
    assert Unit.objects.active().count() == 2
    assert Address.objects.active().count() == 3


def test_a_unit_or_address_of_another_organisation_is_refused(org_a: Organisation, org_b: Organisation) -> None:
    AddressFactory.create(unit=UnitFactory.create(organisation=org_b, ka_id="EB"), ka_id="AB")
    text = csv_text(row(), row(enhet_id="EB", adress_id="A2"), row(adress_id="AB"))

    result = import_text(text)

    assert result.problems == [
        Problem(3, "enhet_id", Code.UNIT_OF_OTHER_ORGANISATION, {"value": "EB"}),
        Problem(4, "adress_id", Code.ADDRESS_OF_OTHER_ORGANISATION, {"value": "AB"}),
    ]
    assert Unit.objects.get(ka_id="EB").organisation == org_b


def test_unknown_organisation_is_refused_even_with_a_valid_organisationsnummer(org_a: Organisation) -> None:
    unknown = organisationsnummer(999)

    result = import_text(csv_text(row(organisationsnummer=unknown)))

    assert result.problems == [Problem(2, "organisationsnummer", Code.UNKNOWN_ORGANISATION, {"value": unknown})]
    assert not Unit.objects.exists()


def test_a_file_checked_before_the_registry_changed_is_checked_again(org_a: Organisation, org_b: Organisation) -> None:
    checked = check_ka_import(text=csv_text(row(enhet_id="EX", adress_id="AX")), format=ImportFormat.CSV)
    UnitFactory.create(organisation=org_b, ka_id="EX")  # another import gave EX to Beta AB meanwhile

    result = apply_ka_import(actor=ACTOR, checked=checked)

    assert result.problems == [Problem(2, "enhet_id", Code.UNIT_OF_OTHER_ORGANISATION, {"value": "EX"})]
    assert not Address.objects.filter(ka_id="AX").exists()


def test_dry_run_reports_what_would_change_and_changes_nothing(org_a: Organisation) -> None:
    result = import_text(csv_text(*FIRST), dry_run=True)

    assert not result.applied
    assert counts(result) == (only(added=2), only(added=3))
    assert not Unit.objects.exists()
    assert not AuditEvent.objects.filter(action="registry.ka_import").exists()


def test_one_audit_event_per_organisation_in_the_file(org_a: Organisation, org_b: Organisation) -> None:
    other = OrganisationFactory.create(name="Gamma AB")
    text = csv_text(*FIRST, row(organisationsnummer=ORG_B, enhet_id="EB", adress_id="AB"))

    import_text(text, run_id=42)

    events = {e.organisation_id: e for e in AuditEvent.objects.filter(action="registry.ka_import")}
    assert set(events) == {org_a.pk, org_b.pk}
    assert other.pk not in events
    alfa = events[org_a.pk]
    assert (alfa.subject_type, alfa.subject_id, alfa.actor_name, alfa.actor_kind) == (
        "registry.Organisation",
        str(org_a.pk),
        "test",
        "system",
    )
    assert alfa.data == {
        "run": 42,
        "units": only(added=2),
        "addresses": only(added=3),
    }


def test_a_large_file_is_applied_with_bulk_statements(
    org_a: Organisation, org_b: Organisation, django_assert_max_num_queries
) -> None:
    # 5 000 addresses of 1 000 units of two organisations, in every municipality.
    from faportal.registry.data.municipalities import MUNICIPALITIES

    rows = [
        row(
            organisationsnummer=ORG_A if u % 2 else ORG_B,
            enhet_id=f"E{u:04d}",
            enhet_namn=f"Enhet {u}",
            adress_id=f"A{u:04d}-{a}",
            gatuadress=f"Gatan {a + 1}",
            kommunkod=MUNICIPALITIES[(u * 5 + a) % len(MUNICIPALITIES)][0],
        )
        for u in range(1000)
        for a in range(5)
    ]
    text = csv_text(*rows)
    progress: list[tuple[int, int]] = []

    started = time.monotonic()
    checked = check_ka_import(text=text, format=ImportFormat.CSV)
    with django_assert_max_num_queries(100):
        result = apply_ka_import(actor=ACTOR, checked=checked, progress=lambda d, t: progress.append((d, t)))
    elapsed = time.monotonic() - started

    assert counts(result) == (only(added=1000), only(added=5000))
    assert Address.objects.filter(unit__organisation=org_a).count() == 2500
    assert Address.objects.values("municipality").distinct().count() == 290
    assert progress == [(done, 5000) for done in range(200, 5001, 200)]
    assert elapsed < 20, f"{elapsed:.1f} s for 5 000 rows"

    # Again, with every tenth address renamed: still bulk, and only those change.
    for r in rows[::10]:
        r["gatuadress"] += " B"
    checked = check_ka_import(text=csv_text(*rows), format=ImportFormat.CSV)
    with django_assert_max_num_queries(60):
        result = apply_ka_import(actor=ACTOR, checked=checked)

    assert counts(result) == (only(unchanged=1000), only(changed=500, unchanged=4500))
