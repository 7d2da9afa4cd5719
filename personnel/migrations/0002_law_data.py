from django.db import migrations


def load(apps, schema_editor):
    from personnel import law_data

    law_data.load(
        apps.get_model("personnel", "LegalRule"),
        apps.get_model("personnel", "RetirementAge"),
        apps.get_model("personnel", "SalaryScale"),
        apps.get_model("personnel", "Rank"),
    )


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
