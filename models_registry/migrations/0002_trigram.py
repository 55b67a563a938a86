"""Trigram search on PostgreSQL: the pg_trgm extension and GIN indexes on the folded text.

They serve the similarity warning (TrigramSimilarity) and `LIKE '%...%'` searches at nation
size. Other databases (SQLite for `make run`) skip this migration's SQL and use the fallbacks.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS dvkmodel_name_trgm ON models_registry_dvkmodel "
    "USING gin (name_folded gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS dvkmodel_search_trgm ON models_registry_dvkmodel "
    "USING gin (search_folded gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS dvkmodel_search_trgm",
    "DROP INDEX IF EXISTS dvkmodel_name_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in FORWARD:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("models_registry", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
