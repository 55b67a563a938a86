from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0003_review_conflict"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="pledge",
            index=models.Index(fields=["year", "status"], name="pledge_year_status"),
        ),
    ]
