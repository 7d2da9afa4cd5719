"""The time limits in force and the 1022 desk (data an administrator edits afterwards)."""

from datetime import date

from django.db import migrations


def load(apps, schema_editor):
    Rules = apps.get_model("feedback", "Rules")
    Desk = apps.get_model("feedback", "Desk")
    Rules.objects.get_or_create(
        effective_from=date(2008, 3, 1),
        defaults={
            "forward_days": 5,
            "reopen_days": 7,
            "legal_basis": "Nghị định 20/2008/NĐ-CP (sửa đổi bởi Nghị định 92/2017/NĐ-CP); quy chế tổng đài 1022",
        },
    )
    Desk.objects.get_or_create(pk=1, defaults={"phone": "1022"})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
