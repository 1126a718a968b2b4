"""Decisions name the movement they commend; catalogues loaded before the pre-2024 titles
existed gain them (version 0, valid until 31/12/2023, conditions to be confirmed), built from
each title's first version as civility.awards.seed.pre_2024_version builds them for a new
catalogue. A title that already has a version in force before 2024 is left as it is."""

import datetime

import django.db.models.deletion
from django.db import migrations, models

COPIED = (
    "name", "name_en", "recipient", "form", "level", "legal_basis", "multiplier",
    "min_classification", "prerequisite_key", "initiative_rule", "consecutive_key",
    "consecutive_years", "no_discipline_from", "block_under_review", "member_share_key",
    "member_share_percent", "member_min_classification", "member_no_discipline_from",
    "member_at_least_one_key", "open_actions_effect", "open_actions_tolerated",
    "open_actions_lower_key", "extra_conditions", "conditions_note",
)


def add_pre_2024_versions(apps, schema_editor):
    from civility.awards import seed

    AwardTitle = apps.get_model("awards", "AwardTitle")
    keys = {title["key"] for title in seed.TITLES}
    end = datetime.date(2023, 12, 31)
    firsts = AwardTitle.objects.filter(key__in=keys, version=1).order_by("pk")
    for first in firsts:
        versions = AwardTitle.objects.filter(unit_id=first.unit_id, key=first.key)
        if versions.filter(valid_from__lte=end).exists() or versions.filter(version=0).exists():
            continue
        fields = {name: getattr(first, name) for name in COPIED}
        fields["key"] = first.key
        fields["valid_from"] = seed.EARLIEST_RECORDED
        AwardTitle.objects.create(
            unit_id=first.unit_id,
            version=seed.PRE_2024_VERSION,
            rule_set="law-2003",
            valid_to=end,
            multiplier_source="",
            **seed.pre_2024_version(fields),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0006_model_tally'),
    ]

    operations = [
        migrations.AddField(
            model_name='awarddecision',
            name='movement',
            field=models.ForeignKey(blank=True, help_text='The movement whose results the decision commends, if any.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='awards.movement', verbose_name='emulation movement'),
        ),
        migrations.AlterField(
            model_name='awarddecision',
            name='rule_set',
            field=models.CharField(choices=[('law-2003', 'Law on Emulation and Commendation 2003 (amended 2005, 2013) and Decree 91/2017/NĐ-CP, before 2024'), ('decree-98-2023', 'Law 06/2022/QH15 and Decree 98/2023/NĐ-CP'), ('decree-152-2025', 'Law 06/2022/QH15 and Decree 152/2025/NĐ-CP (from 1 July 2025)')], max_length=32, verbose_name='rule set'),
        ),
        migrations.AlterField(
            model_name='awardtitle',
            name='rule_set',
            field=models.CharField(choices=[('law-2003', 'Law on Emulation and Commendation 2003 (amended 2005, 2013) and Decree 91/2017/NĐ-CP, before 2024'), ('decree-98-2023', 'Law 06/2022/QH15 and Decree 98/2023/NĐ-CP'), ('decree-152-2025', 'Law 06/2022/QH15 and Decree 152/2025/NĐ-CP (from 1 July 2025)')], max_length=32, verbose_name='rule set'),
        ),
        migrations.AlterField(
            model_name='nomination',
            name='rule_set',
            field=models.CharField(choices=[('law-2003', 'Law on Emulation and Commendation 2003 (amended 2005, 2013) and Decree 91/2017/NĐ-CP, before 2024'), ('decree-98-2023', 'Law 06/2022/QH15 and Decree 98/2023/NĐ-CP'), ('decree-152-2025', 'Law 06/2022/QH15 and Decree 152/2025/NĐ-CP (from 1 July 2025)')], max_length=32, verbose_name='rule set'),
        ),
        migrations.RunPython(add_pre_2024_versions, migrations.RunPython.noop),
    ]
