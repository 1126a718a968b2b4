"""Successor links carry the share that went where (Succession). The links made before
shares existed become an equal split among each unit's successors, labelled "estimate"."""

from decimal import ROUND_HALF_UP, Decimal

import django.db.models.deletion
from django.db import migrations, models

EARLIER_LINKS = "Successor links made before shares were recorded (equal split)"


def copy_links(apps, schema_editor):
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    Succession = apps.get_model("orgs", "Succession")
    links: dict[int, list[int]] = {}
    for source, target in OrgUnit.successors.through.objects.values_list(
        "from_orgunit_id", "to_orgunit_id"
    ):
        links.setdefault(source, []).append(target)
    rows = []
    for source, targets in links.items():
        share = (Decimal(1) / len(targets)).quantize(Decimal("0.000001"), ROUND_HALF_UP)
        # The last takes the rounding, so that the shares add up to exactly 1.
        shares = [share] * (len(targets) - 1) + [Decimal(1) - share * (len(targets) - 1)]
        rows += [
            Succession(
                predecessor_id=source,
                successor_id=target,
                share=part,
                basis="estimate",
                source=EARLIER_LINKS,
            )
            for target, part in zip(sorted(targets), shares)
        ]
    Succession.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0008_official_code_and_email_indexes")]

    operations = [
        migrations.CreateModel(
            name="Succession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "share",
                    models.DecimalField(decimal_places=6, max_digits=7, verbose_name="share"),
                ),
                (
                    "basis",
                    models.CharField(
                        choices=[
                            ("area", "area"),
                            ("population", "population"),
                            ("estimate", "estimate (equal split)"),
                        ],
                        max_length=16,
                        verbose_name="basis of the share",
                    ),
                ),
                ("source", models.CharField(blank=True, max_length=255, verbose_name="source")),
                (
                    "predecessor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.orgunit",
                        verbose_name="former unit",
                    ),
                ),
                (
                    "successor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="orgs.orgunit",
                        verbose_name="successor unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "succession",
                "verbose_name_plural": "successions",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("predecessor", "successor"), name="succession_unique_pair"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("share__gt", 0), ("share__lte", 1)),
                        name="succession_share_fraction",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("predecessor", models.F("successor")), _negated=True),
                        name="succession_not_itself",
                    ),
                ],
            },
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="orgunit", name="successors"),
        migrations.AddField(
            model_name="orgunit",
            name="successors",
            field=models.ManyToManyField(
                blank=True,
                help_text="Units that took over this unit's territory or functions when it ended.",
                related_name="predecessors",
                through="orgs.Succession",
                through_fields=("predecessor", "successor"),
                to="orgs.orgunit",
                verbose_name="successor units",
            ),
        ),
    ]
