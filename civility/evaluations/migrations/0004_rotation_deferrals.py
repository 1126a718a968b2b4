"""Rotation exceptions become deferrals with a ground and dates (Decree 59/2019, amended by
Decree 134/2021): existing exceptions keep their reason under "other" and start on the day
they were recorded."""

from django.db import migrations, models
from django.utils import timezone


def start_on_the_day_recorded(apps, schema_editor):
    RotationException = apps.get_model("evaluations", "RotationException")
    for exception in RotationException.objects.filter(starts_on__isnull=True):
        exception.starts_on = timezone.localdate(exception.created_at)
        exception.save(update_fields=["starts_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0003_proposed_level_to_assess"),
    ]

    operations = [
        migrations.AddField(
            model_name="rotationexception",
            name="kind",
            field=models.CharField(
                choices=[
                    ("disciplinary_review", "Under disciplinary review"),
                    ("investigation", "Under investigation"),
                    ("serious_illness", "Treated for a serious illness"),
                    ("pregnancy", "Pregnant"),
                    ("child_under_36_months", "Raising a child under 36 months"),
                    ("other", "Other reason, stated below"),
                ],
                default="other",
                max_length=32,
                verbose_name="ground",
            ),
        ),
        migrations.AddField(
            model_name="rotationexception",
            name="starts_on",
            field=models.DateField(null=True, verbose_name="starts on"),
        ),
        migrations.RunPython(start_on_the_day_recorded, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="rotationexception",
            name="starts_on",
            field=models.DateField(verbose_name="starts on"),
        ),
        migrations.AddConstraint(
            model_name="rotationexception",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("valid_until__isnull", True),
                    ("valid_until__gte", models.F("starts_on")),
                    _connector="OR",
                ),
                name="rotation_exception_dates_in_order",
            ),
        ),
    ]
