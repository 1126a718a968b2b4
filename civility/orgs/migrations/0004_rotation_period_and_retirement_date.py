"""Posts subject to periodic rotation: the period is from a full 2 years to 5 years (Law on
Anti-Corruption 2018, Art. 25 cl. 2), and an official's retirement date (Decree 59/2019: no
rotation within 18 months of retirement).

Periods outside 24-60 months, which the form used to accept (1-120), are brought to the
nearest lawful bound before the check constraint is added.
"""

from django.db import migrations, models

import civility.orgs.models


def bound_rotation_periods(apps, schema_editor):
    Post = apps.get_model("orgs", "Post")
    Post.objects.filter(rotation_period_months__lt=24).update(rotation_period_months=24)
    Post.objects.filter(rotation_period_months__gt=60).update(rotation_period_months=60)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_unit_policy"),
    ]

    operations = [
        migrations.AddField(
            model_name="official",
            name="retirement_date",
            field=models.DateField(
                blank=True,
                help_text=(
                    "The day the official reaches retirement age. No rotation of post within "
                    "18 months of it (Decree 59/2019); left empty, that exemption is to be "
                    "assessed."
                ),
                null=True,
                verbose_name="retirement date",
            ),
        ),
        migrations.AlterField(
            model_name="post",
            name="is_sensitive",
            field=models.BooleanField(
                default=False,
                help_text="Posts in contact with citizens, businesses, finance or personnel work.",
                verbose_name="post subject to periodic rotation",
            ),
        ),
        migrations.AlterField(
            model_name="post",
            name="rotation_period_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text=(
                    "From a full 2 years to 5 years by sector: 24 to 60 months (Law on "
                    "Anti-Corruption 2018, Art. 25, cl. 2); Directive 24-CT/TU asks for 5 years."
                ),
                null=True,
                validators=[civility.orgs.models.validate_rotation_period],
                verbose_name="rotation period (months)",
            ),
        ),
        migrations.RunPython(bound_rotation_periods, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("rotation_period_months__isnull", True),
                    models.Q(
                        ("rotation_period_months__gte", 24), ("rotation_period_months__lte", 60)
                    ),
                    _connector="OR",
                ),
                name="post_rotation_period_24_to_60_months",
            ),
        ),
    ]
