"""Example prices for Rusta och matcha, marked as examples: Af's real tariff is in the tender documents (SPEC S7.1)."""

import datetime
from decimal import Decimal

from django.db import migrations

EXAMPLES = [
    ("base", "A", "9800.00"),
    ("base", "B", "12400.00"),
    ("base", "C", "15600.00"),
    ("result_1", "", "12000.00"),
    ("result_2", "", "8000.00"),
    ("supplement", "", "3000.00"),
    ("speed_bonus", "", "5000.00"),
]


def add_examples(apps, schema_editor):
    Service = apps.get_model("registry", "Service")
    Tariff = apps.get_model("billing", "Tariff")
    service = Service.objects.filter(code="rusta-och-matcha").first()
    if service is None:
        return
    for article, level, price in EXAMPLES:
        Tariff.objects.get_or_create(
            service=service,
            article=article,
            level=level,
            valid_from=datetime.date(2021, 1, 1),
            defaults={"price": Decimal(price), "example": True},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("registry", "0003_service_rusta_och_matcha"),
    ]

    operations = [migrations.RunPython(add_examples, migrations.RunPython.noop)]
