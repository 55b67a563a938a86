from django.db import migrations

CODES = ["admin", "canbo", "congdoan", "chiuy", "lanhdao"]


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code in CODES:
        Role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
