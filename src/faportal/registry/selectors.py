"""Reads for the registry (SPEC S2)."""

from __future__ import annotations

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
