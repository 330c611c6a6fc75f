"""The activity catalogue and the sensitive terms to begin with (Af edits both afterwards)."""

from django.db import migrations

ACTIVITIES = [
    # code, name, description, mandatory, own work, position
    (
        "matchning",
        "Matchning mot arbete",
        "Leverantören söker lediga jobb och arbetsgivare tillsammans med deltagaren och förmedlar kontakter.",
        True,
        False,
        10,
    ),
    (
        "jobbsokning",
        "Stöd i jobbsökande",
        "Ansökningshandlingar, cv, intervjuträning och digitala verktyg för att söka arbete.",
        True,
        False,
        20,
    ),
    (
        "kartlaggning",
        "Kartläggning av kompetens och mål",
        "Deltagarens erfarenheter, utbildning och mål inför arbete eller studier.",
        False,
        False,
        30,
    ),
    (
        "vagledning",
        "Studie- och yrkesvägledning",
        "Vägledning om yrken, utbildningar och vägar till dem.",
        False,
        False,
        40,
    ),
    (
        "arbetsgivarmoten",
        "Studiebesök och möten med arbetsgivare",
        "Besök på arbetsplatser, rekryteringsträffar och mässor.",
        False,
        False,
        50,
    ),
    ("praktik", "Arbetsplatsförlagd aktivitet", "Praktik eller annan aktivitet på en arbetsplats.", False, False, 60),
    ("svenska", "Svenska för arbetslivet", "Stöd i svenska med inriktning på arbetslivet.", False, False, 70),
    ("digital", "Digital kompetens", "Att använda dator, mobil och e-tjänster i jobbsökandet.", False, False, 80),
    ("infor_studier", "Stöd inför studier", "Förberedelser inför studier, ansökan och finansiering.", False, False, 90),
    (
        "annan_aktor",
        "Insats hos annan aktör",
        "En insats som en annan aktör ger, till exempel sfi eller en kommunal insats.",
        False,
        False,
        100,
    ),
    (
        "eget_arbete",
        "Eget arbete enligt gemensam planering med anordnare",
        "Det deltagaren gör på egen hand enligt planeringen; redovisas i den periodiska redovisningen.",
        False,
        True,
        200,
    ),
]

TERMS = {
    "health": [
        "sjuk",
        "diagnos",
        "depression",
        "deprimerad",
        "ångest",
        "adhd",
        "autism",
        "asperger",
        "psykisk",
        "psykiatri",
        "psykolog",
        "missbruk",
        "alkohol",
        "narkotika",
        "drog",
        "cancer",
        "diabetes",
        "gravid",
        "funktionsnedsättning",
        "funktionshinder",
        "medicin",
        "läkemedel",
        "terapi",
        "smärta",
        "utbränd",
        "utmattning",
        "demens",
        "epilepsi",
        "hiv",
        "migrän",
        "rehabilitering",
        "läkarintyg",
        "vårdcentral",
        "handikapp",
        "hörselskad",
        "synskad",
        "dyslexi",
    ],
    "ethnicity": ["etnisk", "hudfärg", "romsk", "rasism"],
    "religion": ["religion", "religiös", "muslim", "kristen", "judisk", "ramadan", "moské", "synagoga", "troende"],
    "politics": ["politisk", "partimedlem"],
    "union": ["fackförening", "facklig", "fackmedlem"],
    "sexuality": ["sexuell", "homosexuell", "bisexuell", "hbtq", "transperson"],
    "crime": ["brott", "dömd", "fängelse", "kriminell", "straff", "frivård", "polisanmäl", "anstalt"],
    "social": ["kronofogd", "skuldsan", "försörjningsstöd", "socialtjänst", "ekonomiskt bistånd", "hemlös", "våld"],
}


def seed(apps, schema_editor):
    Activity = apps.get_model("documents", "Activity")
    SensitiveTerm = apps.get_model("documents", "SensitiveTerm")
    for code, name, description, mandatory, own_work, position in ACTIVITIES:
        Activity.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "mandatory": mandatory,
                "own_work": own_work,
                "position": position,
            },
        )
    for category, terms in TERMS.items():
        for term in terms:
            SensitiveTerm.objects.update_or_create(term=term, defaults={"category": category})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
