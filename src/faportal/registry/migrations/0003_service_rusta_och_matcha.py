"""Creates the first service, Rusta och matcha (SPEC S2.3). Further services are added as data, not code."""

from django.db import migrations

CODE = "rusta-och-matcha"
NAME = "Rusta och matcha"


def create(apps, schema_editor):
    Service = apps.get_model("registry", "Service")
    Service.objects.get_or_create(code=CODE, defaults={"name": NAME})


def remove(apps, schema_editor):
    Service = apps.get_model("registry", "Service")
    # Only while nothing refers to it: a rollback must not take units or contracts with it.
    Service.objects.filter(code=CODE, units__isnull=True, contracts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_municipalities"),
    ]

    operations = [
        migrations.RunPython(create, remove),
    ]
