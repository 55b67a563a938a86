"""A trigram index on the folded text of the public, recognised models only (PostgreSQL).

The showcase and the public part of the list search only those (about one model in ten). The
whole table's trigram index answered "tiet kiem" by reading 51,000 matches among 511,000 models
at nation5 (count 42 ms, page 64 ms); this one reads the 4,400 public ones (9 and 27 ms). SQLite
(`make run`) skips it, as it skips 0002.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS dvkmodel_public_search_trgm ON models_registry_dvkmodel "
    "USING gin (search_folded gin_trgm_ops) WHERE state = 'recognised' AND is_public"
)
BACKWARD = "DROP INDEX IF EXISTS dvkmodel_public_search_trgm"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0008_list_and_showcase_indexes")]
    operations = [migrations.RunPython(forward, backward)]
