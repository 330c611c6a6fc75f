"""Reads for the registry (SPEC S2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from faportal.registry.ka_import import Reference
from faportal.registry.models import Address, Municipality, Organisation, Service, Unit


def ka_import_reference() -> Reference:
    """What a KA-webb file is checked against (SPEC S2.2): organisations, services, municipalities, owners.

    Five queries whatever the size of the file: the whole registry is a few tens of thousands of rows, which is
    cheaper to read once than to look up row by row.
    """
    return Reference(
        organisations=frozenset(Organisation.objects.values_list("organisationsnummer", flat=True)),
        services=dict(Service.objects.values_list("code", "active")),
        municipalities=frozenset(Municipality.objects.values_list("code", flat=True)),
        unit_owners=dict(Unit.objects.values_list("ka_id", "organisation__organisationsnummer")),
        address_owners=dict(Address.objects.values_list("ka_id", "unit__organisation__organisationsnummer")),
    )


# --- finding an address among thousands (Af's decisions) -----------------------------------------------------------

ADDRESS_SEARCH_FIELDS = (
    "unit__organisation__name",
    "unit__name",
    "street",
    "postcode",
    "town",
    "municipality__name",
    "ka_id",
)


@dataclass(frozen=True)
class AddressOption:
    """An address as a choice: which provider, which unit of which service, and where."""

    pk: int
    organisation: str
    label: str


def _options(addresses: QuerySet[Address]) -> list[AddressOption]:
    return [
        AddressOption(
            pk, organisation, f"{unit} ({service}) – {Address.label_of(street, postcode, town, municipality)}"
        )
        for pk, organisation, unit, service, street, postcode, town, municipality in addresses.values_list(
            "pk",
            "unit__organisation__name",
            "unit__name",
            "unit__service__name",
            "street",
            "postcode",
            "town",
            "municipality__name",
        )
    ]


def find_addresses(text: str, *, limit: int) -> tuple[list[AddressOption], bool]:
    """Active addresses where every word of ``text`` is in the provider's or unit's name, the street, postcode,
    town, municipality or KA-webb id; at most ``limit``, and whether there are more. Nothing for no words.
    """
    words = text.split()[:6]  # "111 21" as two words finds the postcode "11121" too
    if not words:
        return [], False
    addresses = Address.objects.active()
    for word in words:
        matches = Q()
        for field in ADDRESS_SEARCH_FIELDS:
            matches |= Q(**{f"{field}__icontains": word})
        addresses = addresses.filter(matches)
    found = _options(addresses.order_by("unit__organisation__name", "unit__name", "street", "pk")[: limit + 1])
    return found[:limit], len(found) > limit


def address_option(pk: int | None) -> AddressOption | None:
    """One active address as a choice, or None."""
    if pk is None:
        return None
    found = _options(Address.objects.active().filter(pk=pk))
    return found[0] if found else None
