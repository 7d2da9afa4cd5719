"""Roles keyed by a stable code: link the existing groups (found by their first names) to codes."""

import django.db.models.deletion
from django.db import migrations, models

FIRST_NAMES = {
    "clerk": "Văn thư",
    "specialist": "Chuyên viên",
    "leader": "Lãnh đạo",
    "onestop_officer": "Cán bộ một cửa",
    "sysadmin": "Quản trị hệ thống",
}


def link_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Role = apps.get_model("portal", "Role")
    for code, name in FIRST_NAMES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None and not Role.objects.filter(code=code).exists():
            Role.objects.create(code=code, group=group)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("portal", "0002_audit_append_only_and_calendar"),
    ]

    operations = [
        migrations.CreateModel(
            name="Role",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=32, unique=True, verbose_name="code")),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role",
                        to="auth.group",
                        verbose_name="group",
                    ),
                ),
            ],
            options={"verbose_name": "role", "verbose_name_plural": "roles", "ordering": ["code"]},
        ),
        migrations.RunPython(link_groups, migrations.RunPython.noop),
    ]
