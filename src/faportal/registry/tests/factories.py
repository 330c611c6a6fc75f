"""factory_boy factories for the registry, for any app's tests (``OrganisationFactory.create()`` is typed)."""

from __future__ import annotations

import factory
from stdnum import luhn

from faportal.registry.models import Address, Municipality, Organisation, Service, Unit


def organisationsnummer(n: int) -> str:
    """A valid organisationsnummer (Luhn check digit) numbered ``n``: 55xxxxxxxC, the aktiebolag range."""
    base = f"55{n:07d}"
    return base + luhn.calc_check_digit(base)


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    """Municipalities are loaded by migration: this returns the existing one (Stockholm unless told)."""

    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = "0180"
    name = "Stockholm"


class ServiceFactory(factory.django.DjangoModelFactory[Service]):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tjanst-{n}")
    name = factory.Sequence(lambda n: f"Tjänst {n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("organisationsnummer",)

    organisationsnummer = factory.Sequence(lambda n: organisationsnummer(n + 1))
    name = factory.Sequence(lambda n: f"Leverantör {n} AB")


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    ka_id = factory.Sequence(lambda n: f"E{n:05d}")
    organisation = factory.SubFactory(OrganisationFactory)
    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")


class AddressFactory(factory.django.DjangoModelFactory[Address]):
    class Meta:
        model = Address

    ka_id = factory.Sequence(lambda n: f"A{n:05d}")
    unit = factory.SubFactory(UnitFactory)
    street = factory.Sequence(lambda n: f"Storgatan {n + 1}")
    postcode = "11122"
    town = "Stockholm"
    municipality = factory.SubFactory(MunicipalityFactory)
