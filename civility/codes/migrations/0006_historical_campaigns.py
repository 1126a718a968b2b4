import django.db.models.functions
import django.utils.timezone
from django.db import migrations, models


def opening_days(apps, schema_editor):
    """Campaigns started before this field opened on the day they were started (Vietnam)."""
    Campaign = apps.get_model("codes", "CommitmentCampaign")
    from zoneinfo import ZoneInfo

    Campaign.objects.update(
        starts_on=django.db.models.functions.TruncDate(
            "started_at", tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
        )
    )
    # A campaign whose deadline was before the day it was started (none should be) keeps it.
    Campaign.objects.filter(deadline__lt=models.F("starts_on")).update(
        starts_on=models.F("deadline")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("codes", "0005_stored_files_random_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitmentcampaign",
            name="starts_on",
            field=models.DateField(null=True, verbose_name="starts on"),
        ),
        migrations.AddField(
            model_name="commitmentcampaign",
            name="historical",
            field=models.BooleanField(
                default=False,
                help_text="A campaign of earlier years, entered afterwards with its paper signatures.",
                verbose_name="recorded as historical",
            ),
        ),
        migrations.RunPython(opening_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commitmentcampaign",
            name="starts_on",
            field=models.DateField(
                default=django.utils.timezone.localdate, verbose_name="starts on"
            ),
        ),
        migrations.AddConstraint(
            model_name="commitmentcampaign",
            constraint=models.CheckConstraint(
                condition=models.Q(("deadline__gte", models.F("starts_on"))),
                name="campaign_period",
            ),
        ),
    ]
